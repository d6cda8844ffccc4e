/**
 * The WGSL kernels in Node on SwiftShader (webgpu 0.6.2): parity with the float64 reference on
 * every case, every call served by WebGPU on the SwiftShader adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebGpuKernels } from '../../../src/gpu.js';
import type { WebGpuDevice } from '../../../src/gpu.js';
import { describeFailures, PARITY_CALLS, runParity } from '../gpujs/parity.js';
import { openSwiftShaderDevice } from './webgpu-node.js';

describe('WGSL kernels on SwiftShader in Node', () => {
  let opened: WebGpuDevice;
  beforeAll(async () => {
    opened = await openSwiftShaderDevice();
  });
  afterAll(() => opened.device.destroy());

  it('runs on the SwiftShader adapter, which counts as software', () => {
    expect(opened.adapterDescription).toMatch(/swiftshader/i);
    expect(opened.software).toBe(true);
  });

  it('matches the float64 reference on every parity case, every call on WebGPU', async () => {
    const kernels = createWebGpuKernels(opened, { minSize: 0 });
    const results = await runParity(kernels);
    expect(describeFailures(results)).toBe('');
    expect(kernels.runCounts()).toEqual({ webgpu: PARITY_CALLS, 'cpu-backend': 0 });
  });

  it('covers more batches than one dispatch dimension holds (65535)', async () => {
    const kernels = createWebGpuKernels(opened, { minSize: 0 });
    const batch = 70_000;
    const a = Float32Array.from({ length: batch }, (_, i) => (i % 13) - 6);
    const b = Float32Array.from({ length: batch }, (_, i) => (i % 7) - 3);
    const out = new Float32Array(batch).fill(Number.NaN);
    await kernels.matmul(a, b, out, { batch, m: 1, n: 1, k: 1, transA: false, transB: false, aBatchStride: 1, bBatchStride: 1 });
    const wrong = out.findIndex((v, i) => v !== a[i] * b[i]);
    expect(wrong).toBe(-1);
    expect(kernels.runCounts().webgpu).toBe(1);
  });

  it('delegates small and float64 work to the CPU backend', async () => {
    const kernels = createWebGpuKernels(opened, { minSize: 100 });
    const spec = { batch: 1, m: 2, n: 2, k: 2, transA: false, transB: false, aBatchStride: 4, bBatchStride: 4 };
    const out = new Float32Array(4);
    await kernels.matmul(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), out, spec);
    expect(Array.from(out)).toEqual([19, 22, 43, 50]);
    expect(kernels.runCounts()).toEqual({ webgpu: 0, 'cpu-backend': 1 });
  });
});
