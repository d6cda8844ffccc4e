import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { currentBackend } from '../../../src/kernels/registry.js';
import { MIN_SUM_ELEMENTS, tryWasmSum8 } from '../../../src/backends/wasm/reduce-wasm.js';
import { wasmSimdAvailable } from '../../../src/backends/wasm/simd.js';
import { useWasmKernels } from '../../../src/backends/wasm/wasm-backend.js';
import { mean, sum, tensor } from '../../../src/index.js';
import { seededArray } from '../../kernels/reference.js';

/** `length` float32 numbers in [−4, 4), with a few huge and tiny ones mixed in. */
function values(length: number, seed: number): Float32Array {
  const out = seededArray(Float32Array, length, seed) as Float32Array;
  for (let i = 0; i < length; i++) out[i] = i % 97 === 5 ? 3e30 * (i % 2 ? 1 : -1) : i % 89 === 1 ? 1e-40 : out[i] * 4;
  return out;
}

/** The current backend's sum with the SIMD kernels on or off. */
function blockSums(src: Float32Array, outer: number, inner: number, simd: boolean): Float32Array {
  useWasmKernels(simd);
  const out = new Float32Array(outer);
  currentBackend().sum(src, out, outer, inner);
  return out;
}

const INNER = [MIN_SUM_ELEMENTS, MIN_SUM_ELEMENTS + 1, MIN_SUM_ELEMENTS + 7, 16383, 16384, 16385, 40007];

describe('the WebAssembly SIMD float32 sum', () => {
  afterEach(() => useWasmKernels(wasmSimdAvailable));

  it('gives the JS loop’s sums bit for bit, block by block, across chunk boundaries', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INNER), fc.integer({ min: 1, max: 3 }), (inner, outer) => {
        const src = values(outer * inner, inner + outer);
        const simd = blockSums(src, outer, inner, true), js = blockSums(src, outer, inner, false);
        for (let o = 0; o < outer; o++) expect(Object.is(simd[o], js[o]) ? simd[o] : [o, simd[o]]).toBe(js[o]);
      }),
      { seed: 3, numRuns: 30 },
    );
  });

  it('agrees with a float64 sum of the same floats, and gives ∞ and NaN where they do', () => {
    const src = seededArray(Float32Array, 50000, 9) as Float32Array;
    let exact = 0;
    for (const v of src) exact += v;
    expect(blockSums(src, 1, src.length, true)[0]).toBeCloseTo(exact, 3);
    src[777] = Infinity;
    expect(blockSums(src, 1, src.length, true)[0]).toBe(Infinity);
    src[20001] = -Infinity;
    expect(blockSums(src, 1, src.length, true)[0]).toBeNaN();
  });

  it('declines, touching nothing, for float64, short blocks, and with the kernels off', () => {
    const sums = new Float64Array(8);
    expect(tryWasmSum8(new Float64Array(2048), 0, 2048, sums)).toBe(false);
    expect(tryWasmSum8(values(2048, 1), 0, MIN_SUM_ELEMENTS - 8, sums)).toBe(false);
    useWasmKernels(false);
    expect(tryWasmSum8(values(2048, 1), 0, 2048, sums)).toBe(false);
    expect(sums.every((v) => v === 0)).toBe(true);
  });

  it('sum and mean of float32 tensors are the same with the kernels on and off', () => {
    const x = tensor(values(6 * 3000, 4)).reshape([6, 3000]);
    const compute = () => [sum(x), sum(x, 1), mean(x, 1), sum(x.T.contiguous(), 0)].map((t) => Array.from(t.data()));
    useWasmKernels(true);
    const on = compute();
    useWasmKernels(false);
    expect(compute()).toEqual(on);
  });
});
