/**
 * The browser side of the GPU lane, bundled by esbuild and loaded by tests/browser/index.html:
 * `window.runGpuLane(lane)` builds the backend for that lane, runs the parity suite on it and
 * reports the results with the backend that really ran.
 */
import { createGpujsBackend, createWebGpuKernels, requestWebGpuDevice } from '../../src/gpu.js';
import { runParity } from '../backends/gpujs/parity.js';
import type { BrowserLane, LaneReport } from './lane-report.js';

function emptyReport(lane: BrowserLane): LaneReport {
  return { lane, backend: null, renderer: null, software: null, runCounts: {}, results: [], error: null };
}

async function runGpujs(lane: 'webgl2' | 'webgl'): Promise<LaneReport> {
  const backend = await createGpujsBackend({ mode: lane, minSize: 0 });
  try {
    const results = await runParity(backend);
    return { ...emptyReport(lane), backend: backend.name, renderer: backend.renderer, software: backend.software, runCounts: backend.runCounts(), results };
  } finally {
    await backend.destroy();
  }
}

async function runWebGpu(): Promise<LaneReport> {
  const opened = await requestWebGpuDevice(navigator.gpu, { allowSoftware: true });
  try {
    const kernels = createWebGpuKernels(opened, { minSize: 0 });
    const results = await runParity(kernels);
    return { ...emptyReport('webgpu'), backend: kernels.name, renderer: opened.adapterDescription, software: opened.software, runCounts: kernels.runCounts(), results };
  } finally {
    opened.device.destroy();
  }
}

/** Automatic selection must reject a software renderer: report the rejection (or, wrongly, a backend). */
async function runAuto(): Promise<LaneReport> {
  try {
    const backend = await createGpujsBackend();
    const report = { ...emptyReport('auto'), backend: backend.name, renderer: backend.renderer, software: backend.software };
    await backend.destroy();
    return report;
  } catch (e: unknown) {
    return { ...emptyReport('auto'), error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

async function runGpuLane(lane: BrowserLane): Promise<LaneReport> {
  try {
    if (lane === 'webgpu') return await runWebGpu();
    if (lane === 'auto') return await runAuto();
    return await runGpujs(lane);
  } catch (e: unknown) {
    return { ...emptyReport(lane), error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

Object.assign(window, { runGpuLane });
