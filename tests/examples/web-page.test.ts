/**
 * The live page (examples/web/) in headless Chromium: served by its own server with weights
 * from a short training run, it is given MNIST digits through its test hook (painted onto the
 * pad as 10×10 blocks, classified through the same path as a drawing) and a stroke drawn with
 * pointer events; each time its predicted digit and ten probabilities must equal Node's for the
 * same canvas pixels, bit for bit (both run the WebAssembly kernels: the page's CSP allows them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, wasmKernelsActive, type nn } from 'tsgrad';
import { demoCnn, seededModel, trainClassifier } from '../../examples/cnn-mnist.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';
import { digitProbabilities, loadClassifier } from '../../examples/web/classifier.js';
import { digitInput } from '../../examples/web/digit-input.js';
import { startWebServer, type WebServer } from '../../examples/web/serve.js';
import { launchChromium } from '../browser/chromium.js';

const PAD = 280;
const { train, test } = loadMnist({ trainSize: 960, testSize: 3 });
let folder = '';
let server: WebServer;
let browser: Browser;
let page: Page;
let nodeModel: nn.Sequential;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'tsgrad-web-'));
  const model = seededModel(0, demoCnn);
  trainClassifier(model, train, { epochs: 1, batchSize: 32, lr: 3e-3, seed: 0, maxSteps: 30 });
  const weights = io.saveSafetensors(model.stateDict());
  writeFileSync(join(folder, 'weights.safetensors'), weights);
  nodeModel = loadClassifier(weights);
  [server, browser] = await Promise.all([startWebServer({ port: 0, weights: join(folder, 'weights.safetensors') }), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 900, height: 560 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector('#status:text("ready")', { timeout: 20_000 }).catch((e: unknown) => {
    throw new Error(`the page did not get ready: ${String(e)}; page errors: ${errors.join('; ')}`);
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (folder !== '') rmSync(folder, { recursive: true, force: true });
});

/** The page's answer: the shown digit and each bar's exact probability. */
async function pageAnswer(): Promise<{ digit: number; probabilities: number[] }> {
  const digit = Number(await page.textContent('#prediction'));
  const probabilities = await page.$$eval('#bars .track', (tracks) => tracks.map((t) => Number((t as HTMLElement).dataset.probability)));
  return { digit, probabilities };
}

/** Node's answer for the same RGBA pixels of the pad. */
function nodeAnswer(rgba: Uint8ClampedArray): { digit: number; probabilities: number[] } {
  const probabilities = Array.from(digitProbabilities(nodeModel, digitInput(rgba, PAD, PAD)));
  return { digit: probabilities.indexOf(Math.max(...probabilities)), probabilities };
}

/** A 28×28 image painted as the hook paints it: 10×10 blocks of its grey levels. */
function paintedPad(pixels: Float32Array): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(PAD * PAD * 4);
  for (let y = 0; y < PAD; y++) {
    for (let x = 0; x < PAD; x++) {
      const level = Math.round(Math.min(1, Math.max(0, pixels[Math.floor(y / 10) * 28 + Math.floor(x / 10)])) * 255);
      rgba.set([level, level, level, 255], (y * PAD + x) * 4);
    }
  }
  return rgba;
}

describe('examples/web: the live digit page', () => {
  it('runs the WebAssembly kernels, as Node does', async () => {
    expect(await page.textContent('#status')).toBe('ready · kernels: WebAssembly SIMD');
    expect(wasmKernelsActive()).toBe(true);
  });

  it.each([0, 1, 2])('classifies held-out MNIST digit %i exactly as Node does', async (index) => {
    const pixels = test.images.narrow(0, index, 1).toTypedArray() as Float32Array;
    await page.evaluate((p) => window.tsgradDigitPage?.paintPixels(p), Array.from(pixels));
    const expected = nodeAnswer(paintedPad(pixels));
    const answer = await pageAnswer();
    expect(answer).toEqual(expected);
    expect(answer.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('classifies a stroke drawn with pointer events exactly as Node does with the pad’s pixels', async () => {
    await page.click('#clear');
    const box = await page.locator('#pad').boundingBox();
    if (box === null) throw new Error('the pad is not visible');
    await page.mouse.move(box.x + 150, box.y + 50);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) await page.mouse.move(box.x + 150 - step, box.y + 50 + step * 18);
    await page.mouse.up();
    // The page classifies at most once per frame: wait two frames for the last one.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const rgba = await page.evaluate(() => {
      const pad = document.getElementById('pad') as HTMLCanvasElement;
      return Array.from((pad.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, pad.width, pad.height).data);
    });
    expect(rgba.some((v, i) => i % 4 === 0 && v > 0)).toBe(true);
    expect(await pageAnswer()).toEqual(nodeAnswer(Uint8ClampedArray.from(rgba)));
  });
});
