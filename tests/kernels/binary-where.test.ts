/** The where kernel's scalar-condition path gives what the per-element walk gives. */
import { describe, expect, it } from 'vitest';
import { whereMap, type StridedArray } from '../../src/kernels/binary.js';
import type { TypedArray } from '../../src/kernels/dtype.js';
import { seededArray } from './reference.js';

/** out[idx] = cond ? a : b by explicit multi-indices (the definition). */
function naiveWhere(cond: StridedArray, a: StridedArray, b: StridedArray, shape: number[]): number[] {
  const n = shape.reduce((p, s) => p * s, 1);
  const result: number[] = [];
  for (let flat = 0; flat < n; flat++) {
    const at = (v: StridedArray) => {
      let off = v.offset;
      for (let k = shape.length - 1, r = flat; k >= 0; k--) { off += (r % shape[k]) * v.strides[k]; r = Math.floor(r / shape[k]); }
      return v.data[off] as number;
    };
    result.push(at(cond) !== 0 ? at(a) : at(b));
  }
  return result;
}

describe('whereMap', () => {
  const shape = [3, 4, 5];
  const contiguous = (data: TypedArray, offset = 0): StridedArray => ({ data, offset, strides: [20, 5, 1] });
  const scalar = (data: TypedArray, offset = 0): StridedArray => ({ data, offset, strides: [0, 0, 0] });
  const transposed = (data: TypedArray): StridedArray => ({ data, offset: 0, strides: [1, 15, 3] });
  const x = seededArray(Float32Array, 64, 1), y = seededArray(Float32Array, 64, 2);

  it.each([1, 0])('a broadcast scalar condition (%i) copies the chosen operand: flat, offset, scalar or strided', (flag) => {
    const cond = scalar(new Uint8Array([7, flag]), 1);
    const cases: [StridedArray, StridedArray][] = [
      [contiguous(x), contiguous(y)], [contiguous(x, 3), scalar(y, 5)], [scalar(x, 2), contiguous(y, 1)],
      [transposed(x), transposed(y)], [contiguous(x), transposed(y)],
    ];
    for (const [a, b] of cases) {
      for (const out of [new Float32Array(60), new Float64Array(60)]) {
        whereMap(cond, a, b, out, shape);
        expect(Array.from(out)).toEqual(naiveWhere(cond, a, b, shape).map((v) => (out instanceof Float32Array ? Math.fround(v) : v)));
      }
    }
  });

  it('an elementwise condition and a 0-d shape keep their results', () => {
    const cond = contiguous(Uint8Array.from(seededArray(Float64Array, 60, 3), (v) => (v > 0 ? 1 : 0)));
    const out = new Float32Array(60);
    whereMap(cond, contiguous(x), scalar(y, 4), out, shape);
    expect(Array.from(out)).toEqual(naiveWhere(cond, contiguous(x), scalar(y, 4), shape));
    const one = new Float32Array(1);
    whereMap({ data: new Uint8Array([0]), offset: 0, strides: [] }, { data: x, offset: 2, strides: [] }, { data: y, offset: 3, strides: [] }, one, []);
    expect(one[0]).toBe(y[3]);
  });
});
