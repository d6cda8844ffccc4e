/**
 * The GPU lane in headless Chromium (npm's @sparticuz/chromium, driven by playwright-core; WebGL
 * and WebGPU on its SwiftShader software GPU): gpu.js on WebGL2 and WebGL1 and the WGSL kernels on
 * WebGPU pass the parity suite, each call served by the backend asked for; automatic selection
 * refuses SwiftShader as a GPU.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../browser/chromium.js';
import type { BrowserLane, LaneReport } from '../../browser/lane-report.js';
import { servePage } from '../../browser/serve-page.js';
import type { PageServer } from '../../browser/serve-page.js';
import { describeFailures, PARITY_CALLS } from './parity.js';

describe('GPU kernels in headless Chromium', () => {
  let server: PageServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await servePage();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // A string expression, not a function: a transpiled function may carry helpers the page lacks.
  const runLane = (lane: BrowserLane): Promise<LaneReport> => page.evaluate(`window.runGpuLane(${JSON.stringify(lane)})`);

  it.each([
    ['webgl2', 'gpujs-webgl2'],
    ['webgl', 'gpujs-webgl'],
  ] as const)('gpu.js on %s matches the float64 reference, every call on that engine', async (lane, name) => {
    const report = await runLane(lane);
    expect(report.error).toBeNull();
    expect(report.backend).toBe(name);
    expect(report.renderer).toMatch(/swiftshader/i);
    expect(report.software).toBe(true);
    expect(report.results).toHaveLength(PARITY_CALLS);
    expect(describeFailures(report.results)).toBe('');
    expect(report.runCounts[lane]).toBe(PARITY_CALLS);
    expect(Object.values(report.runCounts).reduce((a, b) => a + b, 0)).toBe(PARITY_CALLS);
  });

  it('WGSL kernels on WebGPU match the float64 reference, every call on WebGPU', async () => {
    const report = await runLane('webgpu');
    expect(report.error).toBeNull();
    expect(report.backend).toBe('webgpu');
    expect(report.software).toBe(true);
    expect(report.results).toHaveLength(PARITY_CALLS);
    expect(describeFailures(report.results)).toBe('');
    expect(report.runCounts).toEqual({ webgpu: PARITY_CALLS, 'cpu-backend': 0 });
  });

  it('automatic selection rejects SwiftShader as "no GPU", naming it', async () => {
    const report = await runLane('auto');
    expect(report.backend).toBeNull();
    expect(report.error).toMatch(/^BackendUnavailableError: createGpujsBackend: no hardware GPU context.*webgl2: software renderer ".*SwiftShader/);
  });
});
