import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gemm } from '../../../src/kernels/gemm.js';
import { wasmGemm } from '../../../src/backends/wasm/gemm-wasm.js';
import { wasmKernelsActive, wasmSimdAvailable } from '../../../src/backends/wasm/simd.js';
import { useWasmKernels, wasmBackend } from '../../../src/backends/wasm/wasm-backend.js';
import { matmul, tensor } from '../../../src/index.js';
import type { FloatArray } from '../../../src/kernels/dtype.js';
import { seededArray } from '../../kernels/reference.js';

describe('WebAssembly SIMD float32 gemm', () => {
  afterEach(() => useWasmKernels(wasmSimdAvailable));

  it('agrees with the float64 typed-array kernel on strided operands, offsets and accumulation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 140 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 300 }),
        fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 5 }),
        (m, n, k, transA, transB, accumulate, offset) => {
          const a = seededArray(Float32Array, offset + m * k, m + k);
          const b = seededArray(Float32Array, offset + k * n, n + k);
          const aRow = transA ? 1 : k, aCol = transA ? m : 1, bRow = transB ? 1 : n, bCol = transB ? k : 1;
          const start = seededArray(Float32Array, offset + m * n, m * n);
          const expected = new Float64Array(start);
          const actual = new Float32Array(start);
          gemm(a, offset, aRow, aCol, b, offset, bRow, bCol, expected, offset, m, n, k, accumulate);
          wasmGemm(a, offset, aRow, aCol, b, offset, bRow, bCol, actual, offset, m, n, k, accumulate);
          // Float32 sums of k terms of size ≤ 1: error grows like √k times the float32 epsilon.
          for (let i = 0; i < offset; i++) expect(actual[i]).toBe(start[i]);
          for (let i = offset; i < actual.length; i++) {
            expect(Math.abs(actual[i] - expected[i])).toBeLessThan(2e-6 * Math.sqrt(k) * Math.max(1, Math.abs(expected[i])));
          }
        },
      ),
      { seed: 7, numRuns: 120 },
    );
  });

  it('handles blocks larger than its packing blocks in every dimension (m > 128, n > 512, k > 256)', () => {
    const m = 131, n = 517, k = 260;
    const a = seededArray(Float32Array, m * k, 1), b = seededArray(Float32Array, k * n, 2);
    const expected = new Float64Array(m * n), actual = new Float32Array(m * n);
    gemm(a, 0, k, 1, b, 0, n, 1, expected, 0, m, n, k, false);
    wasmGemm(a, 0, k, 1, b, 0, n, 1, actual, 0, m, n, k, false);
    let worst = 0;
    for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    expect(worst).toBeLessThan(1e-4);
  });

  it('packs wide plain and deep transposed B blocks through the staged copies (widths not a multiple of 8, offsets)', () => {
    const cases = [[5, 128, 7, 0, false], [9, 133, 40, 3, false], [4, 250, 300, 1, false], [6, 13, 64, 0, true], [3, 141, 300, 2, true]] as const;
    for (const [m, n, k, offset, transB] of cases) {
      const a = seededArray(Float32Array, offset + m * k, m), b = seededArray(Float32Array, offset + k * n, n);
      const bRow = transB ? 1 : n, bCol = transB ? k : 1;
      const expected = new Float64Array(offset + m * n), actual = new Float32Array(offset + m * n);
      gemm(a, offset, k, 1, b, offset, bRow, bCol, expected, offset, m, n, k, false);
      wasmGemm(a, offset, k, 1, b, offset, bRow, bCol, actual, offset, m, n, k, false);
      for (let i = offset; i < actual.length; i++) {
        expect(Math.abs(actual[i] - expected[i])).toBeLessThan(2e-6 * Math.sqrt(k) * Math.max(1, Math.abs(expected[i])));
      }
    }
  });

  it('useWasmKernels switches float32 matmul between the kernels; float64 never uses it', () => {
    const x = tensor(Array.from(seededArray(Float32Array, 64 * 64, 3)), { dtype: 'float32' }).reshape([64, 64]);
    useWasmKernels(false);
    expect(wasmKernelsActive()).toBe(false);
    const typedArray = matmul(x, x).toArray();
    useWasmKernels(true);
    expect(wasmKernelsActive()).toBe(true);
    const simd = matmul(x, x).toArray();
    // Different summation (float32 lanes against float64), same product.
    expect(simd).not.toEqual(typedArray);
    (simd as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo((typedArray as number[][])[i][j], 4)));
  });
});

describe('prepared products (prepareMatmul): one B for many products', () => {
  afterEach(() => useWasmKernels(wasmSimdAvailable));

  /** The same product through `matmul`, for comparison. */
  const viaMatmul = (a: FloatArray, b: FloatArray, m: number, n: number, k: number, transB: boolean) => {
    const out = new Float32Array(m * n);
    wasmBackend.matmul!(a, b, out, { batch: 1, m, n, k, transA: false, transB, aBatchStride: 0, bBatchStride: 0 });
    return out;
  };

  it('equal matmul bit for bit on ragged sizes, across packing blocks and the direct path', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 300 }), fc.boolean(),
        (m, n, k, transB) => {
          const b = seededArray(Float32Array, k * n, n + 3 * k);
          const product = wasmBackend.prepareMatmul!(b, n, k, transB);
          for (let call = 0; call < 3; call++) {
            const a = seededArray(Float32Array, m * k, m + call);
            const out = new Float32Array(m * n).fill(NaN);
            product(a, out, m);
            expect(out).toEqual(viaMatmul(a, b, m, n, k, transB));
          }
        },
      ),
      { seed: 11, numRuns: 40 },
    );
  });

  it('stay right when other products and other prepared products run between their calls', () => {
    const [m, n, k] = [16, 256, 64];
    const w1 = seededArray(Float32Array, n * k, 1), w2 = seededArray(Float32Array, n * k, 2);
    const p1 = wasmBackend.prepareMatmul!(w1, n, k, true), p2 = wasmBackend.prepareMatmul!(w2, k, n, false);
    for (let step = 0; step < 4; step++) {
      const a = seededArray(Float32Array, m * k, 10 + step), g = seededArray(Float32Array, m * n, 20 + step);
      const out1 = new Float32Array(m * n), out2 = new Float32Array(m * k);
      p1(a, out1, m);
      if (step === 2) viaMatmul(g, w1, m, k, n, false); // an unprepared product packs its own B in between
      p2(g, out2, m);
      expect(out1).toEqual(viaMatmul(a, w1, m, n, k, true));
      expect(out2).toEqual(viaMatmul(g, w2, m, k, n, false));
    }
  });

  it('with the SIMD kernels off, and for float64, equal the CPU products', () => {
    const [m, n, k] = [9, 37, 70];
    const b64 = seededArray(Float64Array, n * k, 5), a64 = seededArray(Float64Array, m * k, 6);
    const out = new Float64Array(m * n);
    wasmBackend.prepareMatmul!(b64, n, k, true)(a64, out, m);
    const expected = new Float64Array(m * n);
    gemm(a64, 0, k, 1, b64, 0, 1, k, expected, 0, m, n, k, false);
    expect(out).toEqual(expected);
    useWasmKernels(false);
    const b = seededArray(Float32Array, n * k, 7), a = seededArray(Float32Array, m * k, 8);
    const got = new Float32Array(m * n), want = new Float32Array(m * n);
    wasmBackend.prepareMatmul!(b, n, k, false)(a, got, m);
    gemm(a, 0, k, 1, b, 0, n, 1, want, 0, m, n, k, false);
    expect(got).toEqual(want);
  });
});
