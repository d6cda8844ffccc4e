/**
 * m0 — strides and broadcasting: broadcastShapes, broadcastStrides, stridedAs (a kernel's
 * broadcast view) and advance (the odometer behind every copy of a strided view), checked
 * through the ops that use them against plain-JavaScript references.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError, tensor, zeros } from 'tsgrad';
import { broadcastPosition, expectClose, randomTensor, seeded, unravel, values } from './helpers.js';

/** a + b by the broadcasting rule, in plain JavaScript. */
function broadcastAdd(a: readonly number[], aShape: readonly number[], b: readonly number[], bShape: readonly number[], outShape: readonly number[]): number[] {
  const n = outShape.reduce((s, d) => s * d, 1);
  return Array.from({ length: n }, (_, i) => {
    const index = unravel(i, outShape);
    return a[broadcastPosition(index, aShape)] + b[broadcastPosition(index, bShape)];
  });
}

describe('m0: strides and broadcasting', () => {
  it('m0: broadcast shapes align at the right and take the larger size', () => {
    expect(zeros([3, 1, 5]).add(zeros([4, 1])).shape).toEqual([3, 4, 5]);
    expect(zeros([2, 3]).add(zeros([])).shape).toEqual([2, 3]);
    expect(zeros([1]).add(zeros([6, 1, 2])).shape).toEqual([6, 1, 2]);
    expect(zeros([0, 1]).add(zeros([3])).shape).toEqual([0, 3]);
  });

  it('m0: incompatible shapes throw a ShapeError naming both shapes', () => {
    expect(() => zeros([2, 3]).add(zeros([4]))).toThrow(ShapeError);
    expect(() => zeros([2, 3]).add(zeros([4]))).toThrow(/\[2,3\].*\[4\]/);
  });

  it('m0: broadcast operands read the right elements (stride 0 on grown dims)', () => {
    const random = seeded(1);
    for (const [aShape, bShape] of [[[3, 1], [1, 4]], [[2, 3, 4], [3, 1]], [[4], [2, 3, 1]], [[2, 1, 3], [2, 4, 1]]]) {
      const a = randomTensor(aShape, random);
      const b = randomTensor(bShape, random);
      const out = a.add(b);
      expectClose(values(out), broadcastAdd(values(a), aShape, values(b), bShape, out.shape), `[${aShape}] + [${bShape}]`);
    }
  });

  it('m0: copies of permuted, sliced and expanded views visit every element in row-major order', () => {
    const x = tensor(Array.from({ length: 24 }, (_, i) => i), { dtype: 'float64' }).reshape([2, 3, 4]);
    const permuted = x.permute([2, 0, 1]).contiguous();
    expect(permuted.shape).toEqual([4, 2, 3]);
    expect(values(permuted)).toEqual(Array.from({ length: 24 }, (_, i) => {
      const [k, i0, j] = unravel(i, [4, 2, 3]);
      return i0 * 12 + j * 4 + k;
    }));
    // An offset view: the middle two rows of each matrix, transposed.
    const sliced = x.narrow(1, 1, 2).transpose(1, 2).contiguous();
    expect(values(sliced)).toEqual(Array.from({ length: 16 }, (_, i) => {
      const [i0, k, j] = unravel(i, [2, 4, 2]);
      return i0 * 12 + (j + 1) * 4 + k;
    }));
    const expanded = tensor([1, 2, 3], { dtype: 'float64' }).reshape([3, 1]).expand([2, 3, 4]).contiguous();
    expect(values(expanded)).toEqual(Array.from({ length: 24 }, (_, i) => unravel(i, [2, 3, 4])[1] + 1));
  });

  it('m0: elementwise ops on non-contiguous broadcast views', () => {
    const random = seeded(2);
    const a = randomTensor([4, 3], random);
    const b = randomTensor([3], random);
    const out = a.transpose(0, 1).mul(b.reshape([3, 1]));
    const av = values(a);
    const bv = values(b);
    expectClose(values(out), Array.from({ length: 12 }, (_, i) => {
      const [r, c] = unravel(i, [3, 4]);
      return av[c * 3 + r] * bv[r];
    }), 'aᵀ · b[:, None]');
  });
});
