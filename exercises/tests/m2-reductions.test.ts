/**
 * m2 — reductions and sumToShape: expandBack (the backward of sum, mean, var, logsumexp…),
 * Softmax.backward, and sumToShape (which undoes broadcasting). Backwards are called through the
 * node each op leaves (`gradFn.backward(g)`), so the engine (m3) is not needed.
 */
import { describe, expect, it } from 'vitest';
import { zeros, type Tensor } from 'tsgrad';
import { broadcastPosition, expectClose, randomTensor, seeded, sumToShape, unravel, values } from './helpers.js';

/** The node's gradient for its first input, for upstream g. */
function localGrad(out: Tensor, g: Tensor): Tensor {
  const grads = out.gradFn?.backward(g) ?? [];
  const g0 = grads[0];
  if (!g0) return expect.fail(`${out.gradFn?.name ?? 'the op'}.backward returned no gradient for its input`);
  return g0;
}

/** Sums `grad` (of `gradShape`) down to `shape` (same rank after padding with leading 1s), in plain JavaScript. */
function sumDown(grad: readonly number[], gradShape: readonly number[], shape: readonly number[]): number[] {
  const sums = new Array<number>(shape.reduce((s, d) => s * d, 1)).fill(0);
  grad.forEach((v, i) => (sums[broadcastPosition(unravel(i, gradShape), shape)] += v));
  return sums;
}

describe('m2: reductions and sumToShape', () => {
  it('m2: sum backward sends the output gradient to every summed element', () => {
    const random = seeded(21);
    const x = randomTensor([2, 3, 4], random, true);
    for (const keepdim of [false, true]) {
      const out = x.sum([0, 2], keepdim);
      const g = randomTensor(out.shape, random);
      const gx = localGrad(out, g);
      expect(gx.shape).toEqual([2, 3, 4]);
      const gv = values(g);
      expectClose(values(gx), Array.from({ length: 24 }, (_, i) => gv[unravel(i, [2, 3, 4])[1]]), `sum([0, 2], ${keepdim})`);
    }
    const all = x.sum();
    const g = randomTensor([], random);
    expectClose(values(localGrad(all, g)), new Array<number>(24).fill(values(g)[0]), 'sum()');
  });

  it('m2: var backward is 2(x − x̄)/(N − 1) times the expanded gradient', () => {
    const random = seeded(22);
    const x = randomTensor([3, 5], random, true);
    const out = x.var(1);
    const g = randomTensor([3], random);
    const xv = values(x);
    const gv = values(g);
    const expected = xv.map((v, i) => {
      const r = Math.floor(i / 5);
      const row = xv.slice(r * 5, r * 5 + 5);
      const mean = row.reduce((s, t) => s + t, 0) / 5;
      return (gv[r] * 2 * (v - mean)) / 4;
    });
    expectClose(values(localGrad(out, g)), expected, 'var(1)');
  });

  it('m2: softmax backward is y ⊙ (g − Σ g·y) along the dim', () => {
    const random = seeded(23);
    const x = randomTensor([3, 4], random, true);
    for (const dim of [0, 1]) {
      const y = x.softmax(dim);
      const g = randomTensor([3, 4], random);
      const [yv, gv] = [values(y), values(g)];
      const along = (i: number) => {
        const [r, c] = unravel(i, [3, 4]);
        return dim === 1 ? [0, 1, 2, 3].map((k) => r * 4 + k) : [0, 1, 2].map((k) => k * 4 + c);
      };
      const expected = yv.map((v, i) => v * (gv[i] - along(i).reduce((s, j) => s + gv[j] * yv[j], 0)));
      expectClose(values(localGrad(y, g)), expected, `softmax(${dim})`);
    }
  });

  it('m2: sumToShape sums a broadcast gradient back to each shape', () => {
    const random = seeded(24);
    const grad = randomTensor([2, 3, 4], random);
    const gv = values(grad);
    for (const shape of [[3, 1], [2, 1, 4], [4], [1, 3, 4], [1], [2, 3, 4]]) {
      const summed = sumToShape(grad, shape);
      expect(summed.shape).toEqual(shape);
      expectClose(values(summed), sumDown(gv, [2, 3, 4], shape), `sumToShape to [${shape}]`);
    }
    const toScalar = sumToShape(grad, []);
    expect(toScalar.shape).toEqual([]);
    expectClose(values(toScalar), [gv.reduce((s, v) => s + v, 0)], 'sumToShape to []');
    expect(sumToShape(zeros([0, 3]), [3]).shape).toEqual([3]);
  });
});
