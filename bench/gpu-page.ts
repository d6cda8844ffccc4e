/**
 * The browser half of bench/gpu.ts, bundled by esbuild and served to headless Chromium:
 * `window.benchGpu(quick)` times the CPU backend, gpu.js on WebGL2 and the WGSL kernels on WebGPU
 * in the page, each labelled with the renderer that really ran it (software rows stop at 512³:
 * SwiftShader takes tens of seconds per call beyond).
 */
import { createGpujsBackend, createWebGpuKernels, requestWebGpuDevice } from '../src/gpu.js';
import { currentBackend } from '../src/index.js';
import { bindProducts, runGpuBench } from './gpu-workload.js';
import type { BenchRunner } from './gpu-workload.js';

function kind(software: boolean, renderer: string | null): string {
  return `${software ? 'software' : 'hardware'}: ${renderer ?? 'no renderer'}`;
}

async function benchGpu(quick: boolean): Promise<string[]> {
  const rows: BenchRunner[] = [{ ...bindProducts(currentBackend()), label: 'cpu backend (in Chromium)', maxWork: Infinity }];
  const notes: string[] = [];
  try {
    const gl = await createGpujsBackend({ mode: 'webgl2', minSize: 0 });
    rows.push({ ...bindProducts(gl), label: `${gl.name} (${kind(gl.software, gl.renderer)})`, maxWork: gl.software ? 2 ** 28 : Infinity });
  } catch (e: unknown) {
    notes.push(`no gpu.js WebGL2 row: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const opened = await requestWebGpuDevice(navigator.gpu, { allowSoftware: true });
    const k = createWebGpuKernels(opened, { minSize: 0 });
    rows.push({ ...bindProducts(k), label: `webgpu WGSL (${kind(opened.software, opened.adapterDescription)})`, maxWork: opened.software ? 2 ** 28 : Infinity });
  } catch (e: unknown) {
    notes.push(`no WebGPU row: ${e instanceof Error ? e.message : String(e)}`);
  }
  return [...notes, ...(await runGpuBench(rows, quick))];
}

Object.assign(window, { benchGpu });
