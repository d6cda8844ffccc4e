import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matmulInt8Wasm } from '../../../src/backends/wasm/int8-wasm.js';
import { wasmKernelsActive } from '../../../src/backends/wasm/simd.js';
import { useWasmKernels } from '../../../src/backends/wasm/wasm-backend.js';
import { matmulInt8Cpu } from '../../../src/kernels/int8-matmul.js';
import { cpuBackend } from '../../../src/kernels/registry.js';
import { ShapeError } from '../../../src/errors.js';
// The package entry installs the wasm plug-in (a module imported alone starts on the CPU only).
import '../../../src/index.js';

/** A deterministic int8 array covering the whole range, −128 and 127 included. */
function int8s(n: number, seed: number): Int8Array {
  let s = seed >>> 0;
  return Int8Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 24) - 128;
  });
}

/** out[i, j] = Σ_p a[i, p]·b[j, p], written as plainly as possible. */
function naive(a: Int8Array, b: Int8Array, m: number, n: number, k: number): Int32Array {
  const out = new Int32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
    out[i * n + j] = s;
  }
  return out;
}

describe('the int8 matrix product', () => {
  it('the JS reference equals the naive sum, and the CPU backend serves it', () => {
    const [m, n, k] = [5, 7, 13];
    const a = int8s(m * k, 1);
    const b = int8s(n * k, 2);
    const out = new Int32Array(m * n);
    cpuBackend.matmulInt8(a, b, out, { m, n, k });
    expect(out).toEqual(naive(a, b, m, n, k));
    expect(cpuBackend.matmulInt8).toBe(matmulInt8Cpu);
  });

  it('the WebAssembly SIMD kernel is on here and bit-exact with the JS reference on random (ragged) shapes', () => {
    expect(wasmKernelsActive()).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 70 }), fc.integer(), (m, n, k, seed) => {
        const a = int8s(m * k, seed);
        const b = int8s(n * k, seed ^ 0x5bd1e995);
        const js = new Int32Array(m * n);
        const simd = new Int32Array(m * n);
        matmulInt8Cpu(a, b, js, { m, n, k });
        matmulInt8Wasm(a, b, simd, { m, n, k });
        expect(simd).toEqual(js);
      }),
      { seed: 21, numRuns: 60 },
    );
  });

  it('is bit-exact on shapes spanning several blocks of the kernel memory, and at the extremes of int8', () => {
    for (const [m, n, k, seed] of [[3, 1030, 513, 4], [700, 9, 1000, 5], [2, 3, 9216, 6]] as const) {
      const a = int8s(m * k, seed);
      const b = int8s(n * k, seed + 1);
      const js = new Int32Array(m * n);
      const simd = new Int32Array(m * n);
      matmulInt8Cpu(a, b, js, { m, n, k });
      matmulInt8Wasm(a, b, simd, { m, n, k });
      expect(simd).toEqual(js);
    }
    const k = 40;
    const low = new Int8Array(k).fill(-128);
    const out = new Int32Array(1);
    matmulInt8Wasm(low, low, out, { m: 1, n: 1, k });
    expect(out[0]).toBe(k * 16384);
  });

  it('the SIMD path switched off runs the reference', () => {
    const a = int8s(4 * 9, 7);
    const b = int8s(6 * 9, 8);
    const out = new Int32Array(24);
    useWasmKernels(false);
    try {
      matmulInt8Wasm(a, b, out, { m: 4, n: 6, k: 9 });
    } finally {
      useWasmKernels(true);
    }
    expect(out).toEqual(naive(a, b, 4, 6, 9));
  });

  it('refuses lengths that do not match the spec, naming the operand', () => {
    const out = new Int32Array(4);
    expect(() => matmulInt8Cpu(new Int8Array(6), new Int8Array(6), out, { m: 2, n: 2, k: 2 })).toThrow(ShapeError);
    expect(() => matmulInt8Wasm(new Int8Array(4), new Int8Array(5), out, { m: 2, n: 2, k: 2 })).toThrow(/b holds 5 values, but \[n, k\] = \[2, 2\] needs 4/);
    expect(() => matmulInt8Cpu(new Int8Array(4), new Int8Array(4), out, { m: -1, n: 2, k: 2 })).toThrow(/m must be a non-negative integer/);
  });
});
