import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { binaryKernels } from '../../../src/kernels/binary.js';
import { unaryKernels } from '../../../src/kernels/unary.js';
import { MIN_ELEMENTS, tryWasmBinary, tryWasmUnary } from '../../../src/backends/wasm/elementwise-wasm.js';
import { wasmSimdAvailable } from '../../../src/backends/wasm/simd.js';
import { useWasmKernels } from '../../../src/backends/wasm/wasm-backend.js';
import { abs, add, div, mul, neg, relu, sqrt, sub, tensor } from '../../../src/index.js';
import { seededArray } from '../../kernels/reference.js';

/** Values that catch a wrong rounding or a wrong special case: ±0, ±∞, NaN, subnormals, huge. */
const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1.1754942e-38, 3.4028235e38, -3.4028235e38, 1, -1, 0.1];

/** `length` float32 numbers: mostly in [−4, 4), every 7th one a special value. */
function operand(length: number, seed: number): Float32Array {
  const out = seededArray(Float32Array, length, seed) as Float32Array;
  for (let i = 0; i < length; i++) out[i] = i % 7 === 3 ? SPECIAL[(i + seed) % SPECIAL.length] : out[i] * 4;
  return out;
}

/** Same numbers, with NaN equal to NaN and −0 different from +0 (Object.is), as plain arrays. */
function expectSameFloats(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect([i, actual[i]]).toEqual([i, expected[i]]);
  }
}

const LENGTHS = [MIN_ELEMENTS, MIN_ELEMENTS + 1, MIN_ELEMENTS + 3, 1023, 8191, 8192, 8193, 20005];

describe('WebAssembly SIMD float32 elementwise maps', () => {
  afterEach(() => useWasmKernels(wasmSimdAvailable));

  it('binary ops give the JS kernel’s results bit for bit, tensor by tensor and by scalar, at any offset', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('add', 'sub', 'mul', 'div', 'reluGrad'), fc.constantFrom(...LENGTHS),
        fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.boolean(),
        (op, n, ai, bi, scalar) => {
          if (scalar && op === 'reluGrad') return;
          const a = operand(ai + n, n + ai), b = operand(bi + (scalar ? 1 : n), n + 7 * bi + 1);
          const expected = new Float32Array(n), actual = new Float32Array(n);
          binaryKernels[op](a, ai, 1, b, bi, scalar ? 0 : 1, expected, 0, n);
          expect(tryWasmBinary(op, a, ai, b, bi, scalar ? 0 : 1, actual, n)).toBe(true);
          expectSameFloats(actual, expected);
        },
      ),
      { seed: 11, numRuns: 150 },
    );
  });

  it('unary ops (relu, neg, abs, sqrt) give the JS kernel’s results bit for bit', () => {
    for (const op of ['relu', 'neg', 'abs', 'sqrt'] as const) {
      for (const n of LENGTHS) {
        const src = operand(n, n + op.length);
        const expected = new Float32Array(n), actual = new Float32Array(n);
        unaryKernels[op](src, expected, n);
        expect(tryWasmUnary(op, src, actual, n)).toBe(true);
        expectSameFloats(actual, expected);
      }
    }
  });

  it('declines, touching nothing, where it does not apply: float64, small, other ops, switched off', () => {
    const n = 4 * MIN_ELEMENTS;
    const f32 = operand(n, 1), f64 = new Float64Array(n), out = new Float32Array(n);
    expect(tryWasmBinary('add', f64, 0, f32, 0, 1, out, n)).toBe(false);
    expect(tryWasmBinary('add', f32, 0, f32, 0, 1, out, MIN_ELEMENTS - 1)).toBe(false);
    expect(tryWasmBinary('pow', f32, 0, f32, 0, 1, out, n)).toBe(false);
    expect(tryWasmBinary('reluGrad', f32, 0, f32, 0, 0, out, n)).toBe(false);
    expect(tryWasmUnary('exp', f32, out, n)).toBe(false);
    useWasmKernels(false);
    expect(tryWasmBinary('add', f32, 0, f32, 0, 1, out, n)).toBe(false);
    expect(tryWasmUnary('relu', f32, out, n)).toBe(false);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('tensor ops give the same tensors with the SIMD kernels on and off', () => {
    const x = tensor(operand(3000, 5)), y = tensor(operand(3000, 6));
    const compute = () => [
      relu(add(mul(x, 0.5), 0.1)), sub(x, y), div(x, y), neg(x), abs(x), sqrt(x), mul(x, y).sum(),
    ].map((t) => t.toTypedArray() as Float32Array);
    useWasmKernels(false);
    const js = compute();
    useWasmKernels(true);
    const simd = compute();
    js.forEach((expected, i) => expectSameFloats(simd[i], expected));
  });
});
