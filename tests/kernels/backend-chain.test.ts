/**
 * The backend chain: a plug-in serves the kernels it has and the chain below serves the rest;
 * `useWasmKernels` puts the WebAssembly backend in or out of the chain; `useBackend('cpu')`
 * restores the default.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  cpuBackend, currentBackend, exp, fallbackBackend, matmul, relu, tensor, useBackend, useWasmKernels, wasmKernelsActive,
  type BackendPlugin, type MatmulSpec,
} from '../../src/index.js';
import { wasmBackend } from '../../src/backends/wasm/wasm-backend.js';
import { wasmSimdAvailable } from '../../src/backends/wasm/simd.js';
import { seededArray } from './reference.js';

const square = (n: number): MatmulSpec => ({ batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });

describe('the backend chain', () => {
  afterEach(() => {
    useBackend('cpu');
    useWasmKernels(wasmSimdAvailable);
  });

  it('a plug-in serving matmul without prepareMatmul runs the prepared products on its own matmul', () => {
    let matmuls = 0;
    const counting: BackendPlugin = {
      name: 'counting',
      matmul(a, b, out, spec) {
        matmuls++;
        fallbackBackend().matmul(a, b, out, spec);
      },
    };
    useBackend(counting);
    const w = seededArray(Float32Array, 64 * 32, 1), h = seededArray(Float32Array, 8 * 32, 2);
    const out = new Float32Array(8 * 64);
    const product = currentBackend().prepareMatmul(w, 64, 32, true);
    product(h, out, 8);
    product(h, out, 8);
    expect(matmuls).toBe(2);
    const expected = new Float32Array(8 * 64);
    fallbackBackend().matmul(h, w, expected, { batch: 1, m: 8, n: 64, k: 32, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 });
    expect(out).toEqual(expected);
  });

  it('a partial plug-in serves its kernels and the chain below serves the rest', () => {
    let matmuls = 0;
    const counting: BackendPlugin = {
      name: 'counting',
      matmul(a, b, out, spec) {
        matmuls++;
        fallbackBackend().matmul(a, b, out, spec);
      },
    };
    const x = tensor([[1, 2], [3, 4]]), y = tensor([[5, 6], [7, 8]]);
    const expectedExp = exp(x).toArray();
    useBackend(counting);
    expect(currentBackend().name).toBe('counting');
    expect(matmul(x, y).toArray()).toEqual([[19, 22], [43, 50]]);
    expect(matmuls).toBe(1);
    // exp is not the plug-in's: it runs the kernel below, with the same result.
    expect(currentBackend().unary).toBe(fallbackBackend().unary);
    expect(exp(x).toArray()).toEqual(expectedExp);
    expect(matmuls).toBe(1);
  });

  it('a plug-in written as a class keeps its `this`', () => {
    class Recording implements BackendPlugin {
      readonly name = 'recording';
      readonly seen: string[] = [];
      unary(...args: Parameters<typeof cpuBackend.unary>): void {
        this.seen.push(args[0]);
        cpuBackend.unary(...args);
      }
    }
    const recording = new Recording();
    useBackend(recording);
    expect(relu(tensor([-1, 2])).toArray()).toEqual([0, 2]);
    expect(recording.seen).toEqual(['relu']);
  });

  it('useWasmKernels(false) then (true) moves unary and matmul between the CPU and the WebAssembly kernels', () => {
    expect(wasmSimdAvailable).toBe(true);
    const n = 4096;
    const src = seededArray(Float32Array, n, 1) as Float32Array;
    const a = seededArray(Float32Array, 64 * 64, 2) as Float32Array, b = seededArray(Float32Array, 64 * 64, 3) as Float32Array;
    const run = () => {
      const mapped = new Float32Array(n), product = new Float32Array(64 * 64);
      currentBackend().unary('relu', src, mapped, n, 0, 0);
      currentBackend().matmul(a, b, product, square(64));
      return { mapped, product };
    };

    useWasmKernels(false);
    expect(wasmKernelsActive()).toBe(false);
    expect(currentBackend()).toBe(cpuBackend);
    const off = run();
    const cpuProduct = new Float32Array(64 * 64);
    cpuBackend.matmul(a, b, cpuProduct, square(64));
    expect(off.product).toEqual(cpuProduct);

    useWasmKernels(true);
    expect(wasmKernelsActive()).toBe(true);
    expect(currentBackend().name).toBe('wasm');
    const on = run();
    const wasmProduct = new Float32Array(64 * 64);
    wasmBackend.matmul!(a, b, wasmProduct, square(64));
    expect(on.product).toEqual(wasmProduct);
    // The elementwise SIMD loops give the CPU's results bit for bit; the float32 gemm sums in
    // float32 lanes (the CPU's in float64), so its product differs in the last bits.
    expect(on.mapped).toEqual(off.mapped);
    expect(on.product).not.toEqual(off.product);
    on.product.forEach((v, i) => expect(v).toBeCloseTo(off.product[i], 3));
  });

  it("useBackend('cpu') restores the default chain", () => {
    const before = currentBackend();
    useBackend({ name: 'partial', unary: cpuBackend.unary });
    expect(currentBackend()).not.toBe(before);
    useBackend('cpu');
    expect(currentBackend()).toBe(before);
    expect(currentBackend().name).toBe(wasmSimdAvailable ? 'wasm' : 'cpu');
  });
});
