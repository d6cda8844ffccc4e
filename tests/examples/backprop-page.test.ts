/**
 * The backprop page (examples/web/backprop/) in headless Chromium: it is given `a*b + c` with
 * chosen values, runs Forward, is stepped to the end, and the gradient of `a` read from the page
 * must be b; on `(a+b)*a` the shared input `a` is highlighted when its second share accumulates;
 * Reset and Play replay it; the tiny MLP, stepped to the end, shows the gradients Node's backward() gives its parameters.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyMlp } from '../../examples/web/backprop/mlp.js';
import { startWebServer, type WebServer } from '../../examples/web/serve.js';
import { launchChromium } from '../browser/chromium.js';

let server: WebServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  // This page needs no weights; the digit page's file is only read when asked for.
  [server, browser] = await Promise.all([startWebServer({ port: 0, weights: 'no-weights.safetensors' }), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}backprop/`);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 20_000 }).catch((e: unknown) => {
    throw new Error(`the page did not get ready: ${String(e)}; page errors: ${errors.join('; ')}`);
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const state = () => page.evaluate(() => document.body.dataset.state);

/** Types an expression and its inputs' values, and runs Forward. */
async function forward(source: string, values: Record<string, number>): Promise<void> {
  await page.selectOption('#preset', source === 'a*b + c' ? 'a*b + c' : '(a+b)*a');
  await page.fill('#expression', source);
  for (const [name, v] of Object.entries(values)) await page.fill(`#input-${name}`, String(v));
  await page.click('#forward');
  expect(await state()).toBe('forward');
}

/** The gradient the page shows for the node named `name` (its data-grad), or null before it has one. */
async function gradientOf(name: string): Promise<number[] | null> {
  const text = await page.getAttribute(`#graph g[data-name="${name}"]`, 'data-grad');
  return text === null ? null : (JSON.parse(text) as number[]);
}

describe('examples/web/backprop: backprop step by step', () => {
  it('steps a*b + c to the end: the gradient of a is b, of b is a, of c is 1', async () => {
    const a = 1.5;
    const b = -4.25;
    const c = 0.5;
    await forward('a*b + c', { a, b, c });
    expect(await gradientOf('a')).toBeNull();
    expect(await page.textContent('#graph g[data-name="a"] text:last-of-type')).toBe('grad —');
    let clicks = 0;
    while ((await state()) !== 'done' && clicks < 20) {
      await page.click('#step');
      clicks++;
    }
    expect(await state()).toBe('done');
    // a·b + c has five nodes, each with one step: the add, c, the mul, b and a.
    expect(clicks).toBe(5);
    expect(await gradientOf('a')).toEqual([b]);
    expect(await gradientOf('b')).toEqual([a]);
    expect(await gradientOf('c')).toEqual([1]);
    expect(await page.textContent('#graph g[data-name="a"] text:last-of-type')).toBe(`grad ${b}`);
    expect(await page.locator('#log li').count()).toBe(5);
    expect(await page.isDisabled('#step')).toBe(true);
  });

  it('highlights the accumulation on a shared input: (a+b)*a', async () => {
    await forward('(a+b)*a', { a: 3, b: 4 });
    expect(await page.getAttribute('#graph g[data-name="a"]', 'class')).toContain('shared');
    await page.click('#step'); // the mul: a gets its first share, (a + b) = 7
    expect(await gradientOf('a')).toEqual([7]);
    expect(await page.getAttribute('#graph g[data-name="a"]', 'class')).not.toContain('accumulated');
    await page.click('#step'); // the add: a's second share, 3, is added onto the first
    expect(await gradientOf('a')).toEqual([10]);
    expect(await page.getAttribute('#graph g[data-name="a"]', 'class')).toContain('accumulated');
    expect(await page.textContent('#log li:last-child')).toContain('a ← 7 + 3 = 10 (accumulated)');
    // Reset runs forward again; Play then steps on its own to the end.
    await page.click('#reset');
    expect(await state()).toBe('forward');
    expect(await gradientOf('a')).toBeNull();
    await page.click('#play');
    await page.waitForSelector('body[data-state="done"]', { timeout: 20_000 });
    expect(await gradientOf('a')).toEqual([2 * 3 + 4]);
    expect(await gradientOf('b')).toEqual([3]);
  });

  it('steps the tiny MLP to the end, with the gradients backward() gives in Node', async () => {
    await page.selectOption('#preset', 'mlp');
    expect(await state()).toBe('forward');
    for (let clicks = 0; (await state()) !== 'done' && clicks < 40; clicks++) await page.click('#step');
    expect(await state()).toBe('done');
    const { root, names } = tinyMlp();
    root.backward();
    const parameters = names.filter(([, t]) => t.isLeaf && t.requiresGrad);
    expect(parameters.map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    for (const [name, t] of parameters) {
      const shown = await gradientOf(name);
      const expected = Array.from(t.grad?.toTypedArray() ?? []);
      expect(shown).toHaveLength(expected.length);
      shown?.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    }
    expect(errors).toEqual([]);
  });
});
