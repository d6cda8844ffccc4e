/**
 * The Web Worker pool in headless Chromium on a cross-origin-isolated page: pooled matmul and
 * conv2d equal the single-thread results exactly (the page also times a 512³ matmul both ways;
 * the timing is logged, never asserted), and a call its workers break fails with one clear
 * error, after which the pool works again.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../browser/chromium.js';
import { serveIsolated } from './browser/serve-isolated.js';

interface CallReport {
  error: string | null;
  failures: string[];
  ms: number;
  exact: boolean;
}

interface FaultReport {
  bothThrow: CallReport;
  afterThrow: CallReport;
  terminated: CallReport;
  whileReplacing: CallReport;
  replaced: CallReport;
  workersMade: number;
}

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

  it('works from inside a dedicated worker too (nested workers; the waiting thread sleeps there), with exact results', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const report = await page.evaluate('window.runPoolInWorker()');
    expect(report).toEqual({ threads: 3, matmulEqual: true, convEqual: true });
  });

  it('fails a call its workers break with one clear error, then recovers (two workers throw; a worker terminated behind its back)', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}faults`);
    const r = (await page.evaluate('window.runPoolFaults()')) as FaultReport;
    for (const [name, call] of Object.entries(r).filter(([, v]) => typeof v === 'object')) {
      console.log(`web worker pool, ${name} (${(call as CallReport).ms.toFixed(0)} ms): ${(call as CallReport).error ?? 'ok'}`);
    }
    expect(r.bothThrow.failures).toEqual(['0:threw', '1:threw']);
    expect(r.bothThrow.error).toBe(
      "matmul failed in the kernel worker pool: kernel worker 0 threw Error: runTask: unknown kernel task 'unknownKernel'; " +
        "kernel worker 1 threw Error: runTask: unknown kernel task 'unknownKernel'.",
    );
    expect([r.afterThrow.error, r.afterThrow.exact]).toEqual([null, true]);
    expect(r.terminated.failures).toEqual(['1:stalled']);
    expect(r.terminated.error).toMatch(/^matmul failed in the kernel worker pool: kernel worker 1 did not finish within \d+\.\d s and was terminated\. The pool replaces a worker/);
    expect(r.terminated.ms).toBeLessThan(10_000);
    expect([r.whileReplacing.error, r.whileReplacing.exact]).toEqual([null, true]);
    expect([r.replaced.error, r.replaced.exact, r.workersMade]).toEqual([null, true, 3]);
  });
});
