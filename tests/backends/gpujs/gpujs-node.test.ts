/**
 * The gpu.js backend in Node: parity on the webasm and cpu engines (no GL context exists here),
 * which engine really ran, delegation below minSize and for float64, batch sharding under the
 * float-index limit, and the errors for what cannot be served.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/errors.js';
import { BackendUnavailableError, createGpujsBackend } from '../../../src/gpu.js';
import type { GpujsBackend } from '../../../src/gpu.js';
import type { Conv2dSpec, MatmulSpec } from '../../../src/kernels/backend.js';
import { conv2dWeightGradCpu } from '../../../src/kernels/conv2d.js';
import { matmulCpu } from '../../../src/kernels/matmul.js';
import { describeFailures, PARITY_CALLS, runParity } from './parity.js';

function ramp(n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 101) / 50 - 1).map((v) => v * scale);
}

async function withBackend<T>(opts: Parameters<typeof createGpujsBackend>[0], body: (b: GpujsBackend) => T | Promise<T>): Promise<T> {
  const backend = await createGpujsBackend(opts);
  try {
    return await body(backend);
  } finally {
    await backend.destroy();
  }
}

describe.each(['webasm', 'cpu'] as const)('gpu.js %s engine', (mode) => {
  it('matches the float64 reference on every parity case, and runs every call on that engine', async () => {
    await withBackend({ mode, minSize: 0 }, async (backend) => {
      expect(backend.name).toBe(`gpujs-${mode}`);
      expect(backend.software).toBe(true);
      const results = await runParity(backend);
      expect(describeFailures(results)).toBe('');
      const counts = backend.runCounts();
      expect(counts[mode]).toBe(PARITY_CALLS);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(PARITY_CALLS);
      expect(backend.lastFallbackReason()).toBeNull();
    });
  });
});

describe('gpu.js backend routing', () => {
  const spec: MatmulSpec = { batch: 1, m: 8, n: 8, k: 8, transA: false, transB: false, aBatchStride: 64, bBatchStride: 64 };

  it('delegates work below minSize and float64 work to the CPU backend', async () => {
    await withBackend({ mode: 'webasm', minSize: 1000 }, (backend) => {
      const out = new Float32Array(64);
      backend.matmul(ramp(64, 1), ramp(64, 2), out, spec); // 512 multiply-adds < 1000
      const out64 = new Float64Array(64);
      backend.matmul(Float64Array.from(ramp(64, 1)), Float64Array.from(ramp(64, 2)), out64, spec);
      expect(backend.runCounts()['cpu-backend']).toBe(2);
      expect(backend.runCounts().webasm).toBe(0);
      const want = new Float64Array(64);
      matmulCpu(Float64Array.from(ramp(64, 1)), Float64Array.from(ramp(64, 2)), want, spec);
      expect(Array.from(out64)).toEqual(Array.from(want));
    });
  });

  it('shards a batch so that no buffer exceeds the element limit, with the same result', async () => {
    const big: MatmulSpec = { batch: 5, m: 6, n: 7, k: 9, transA: true, transB: false, aBatchStride: 54, bBatchStride: 63 };
    const a = ramp(5 * 54, 1);
    const b = ramp(5 * 63, 0.5);
    const want = new Float64Array(5 * 42);
    matmulCpu(Float64Array.from(a), Float64Array.from(b), want, big);
    await withBackend({ mode: 'webasm', minSize: 0, maxBufferElements: 130 }, (backend) => {
      const out = new Float32Array(5 * 42);
      backend.matmul(a, b, out, big); // 130 elements hold 2 matrices of A (54 each): shards of 2, 2, 1
      expect(backend.runCounts().webasm).toBe(3);
      for (let i = 0; i < out.length; i++) expect(Math.abs(out[i] - want[i])).toBeLessThan(1e-5);
    });
  });

  it('sums conv2d weight gradients over batch shards', async () => {
    const s: Conv2dSpec = {
      batch: 3, inChannels: 2, inH: 5, inW: 5, outChannels: 2, kH: 3, kW: 3, outH: 5, outW: 5,
      strideH: 1, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, groups: 1,
    };
    const x = ramp(3 * 50, 1);
    const g = ramp(3 * 50, 0.25);
    const want = new Float64Array(36);
    conv2dWeightGradCpu(Float64Array.from(x), Float64Array.from(g), want, s);
    await withBackend({ mode: 'webasm', minSize: 0, maxBufferElements: 50 }, (backend) => {
      const gw = new Float32Array(36);
      backend.conv2dWeightGrad(x, g, gw, s);
      expect(backend.runCounts().webasm).toBe(3);
      for (let i = 0; i < 36; i++) expect(Math.abs(gw[i] - want[i])).toBeLessThan(1e-5);
    });
  });

  it('refuses, with a ShapeError naming the op, a single matrix above the element limit', async () => {
    await withBackend({ mode: 'webasm', minSize: 0, maxBufferElements: 63 }, (backend) => {
      const out = new Float32Array(64);
      expect(() => backend.matmul(ramp(64, 1), ramp(64, 1), out, spec)).toThrow(ShapeError);
      expect(() => backend.matmul(ramp(64, 1), ramp(64, 1), out, spec)).toThrow(/matmul \(gpujs-webasm\): A \[8,8\] needs 64 elements/);
    });
  });

  it('rejects inputs shorter than the spec says', async () => {
    await withBackend({ mode: 'webasm', minSize: 0 }, (backend) => {
      expect(() => backend.matmul(ramp(63, 1), ramp(64, 1), new Float32Array(64), spec)).toThrow(/matmul: A has 63 elements, the spec needs 64/);
    });
  });
});

describe('gpu.js context selection', () => {
  it("rejects automatic selection ('gpu') when no hardware GL context exists, saying why for each engine", async () => {
    const attempt = createGpujsBackend();
    await expect(attempt).rejects.toThrow(BackendUnavailableError);
    await expect(createGpujsBackend({ mode: 'gpu' })).rejects.toThrow(/no hardware GPU context.*headlessgl: not supported.*webgl2: not supported.*webgl: not supported/);
  });

  it('rejects an explicit mode that has no context here', async () => {
    await expect(createGpujsBackend({ mode: 'webgl2' })).rejects.toThrow(/mode 'webgl2' is unavailable: not supported/);
  });

  it('rejects a negative minSize before loading anything', async () => {
    await expect(createGpujsBackend({ mode: 'cpu', minSize: -1 })).rejects.toThrow(RangeError);
  });
});
