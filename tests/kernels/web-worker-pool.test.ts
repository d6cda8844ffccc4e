/**
 * The Web Worker pool in headless Chromium on a cross-origin-isolated page: pooled matmul and
 * conv2d equal the single-thread results exactly. (The page also times a 512³ matmul both
 * ways; the timing is logged, never asserted.)
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser/chromium.js';
import { serveIsolated } from './browser/serve-isolated.js';

interface PoolReport {
  isolated: boolean;
  matmulEqual: boolean;
  convEqual: boolean;
  singleMs: number;
  pooledMs: number;
}

describe('Web Worker kernel pool (headless Chromium)', () => {
  let server: Awaited<ReturnType<typeof serveIsolated>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await serveIsolated();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('splits matmul and conv2d over a Web Worker with results equal to the single-thread path', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const report = (await page.evaluate('window.runPoolCheck()')) as PoolReport;
    console.log(`web worker pool, 512³ matmul: single ${report.singleMs.toFixed(1)} ms, 2 threads ${report.pooledMs.toFixed(1)} ms`);
    expect(report.isolated).toBe(true);
    expect(report.matmulEqual).toBe(true);
    expect(report.convEqual).toBe(true);
  });
});
