import { beforeEach, describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, grad, gradcheck, manualSeed, nn, ones, randn, tensor } from '../../src/index.js';
import { moments, stateDictShapes, toFloat64 } from './helpers.js';

beforeEach(() => manualSeed(5));

describe('Dropout', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1 − p)', () => {
    const d = new nn.Dropout(0.3);
    const x = randn([100, 100]);
    const y = d.forward(x);
    const xs = x.data(), ys = y.data();
    let zeros = 0;
    for (let i = 0; i < xs.length; i++) {
      if (ys[i] === 0) zeros++;
      else expect(Math.abs(ys[i] - xs[i] / 0.7)).toBeLessThan(1e-6 * Math.abs(xs[i]) + 1e-7);
    }
    // Binomial(10000, 0.3): std ≈ 46, so ±250 is > 5 sigma.
    expect(Math.abs(zeros - 3000)).toBeLessThan(250);
  });

  it('is seeded, the identity in eval, and passes its mask to the gradient', () => {
    const x = ones([50]).requiresGrad_();
    manualSeed(9);
    const a = new nn.Dropout(0.5).forward(x);
    manualSeed(9);
    const b = new nn.Dropout(0.5).forward(x);
    expect(a.toArray()).toEqual(b.toArray());
    const [g] = grad(a.sum(), [x]);
    expect(g!.toArray()).toEqual(a.toArray());
    const d = new nn.Dropout(0.5).eval();
    expect(d.forward(x)).toBe(x);
    expect(new nn.Dropout(1).forward(x).toArray()).toEqual(new Array(50).fill(0));
    expect(() => new nn.Dropout(1.5)).toThrow(ShapeError);
    expect(new nn.Dropout(0.2).toString()).toBe('Dropout(p=0.2)');
  });
});

describe('Embedding', () => {
  it('has PyTorch keys and N(0, 1) init', () => {
    const e = new nn.Embedding(100, 64);
    expect(stateDictShapes(e)).toEqual([['weight', [100, 64]]]);
    const m = moments(e.weight);
    expect(Math.abs(m.mean)).toBeLessThan(0.05);
    expect(Math.abs(m.std - 1)).toBeLessThan(0.05);
  });

  it('looks up rows for indices of any shape', () => {
    const e = new nn.Embedding(5, 3);
    const idx = tensor([[0, 4], [2, 2]], { dtype: 'int32' });
    const y = e.forward(idx);
    expect(y.shape).toEqual([2, 2, 3]);
    const w = e.weight.toArray() as number[][];
    expect((y.toArray() as number[][][])[1][0]).toEqual(w[2]);
    expect((y.toArray() as number[][][])[0][1]).toEqual(w[4]);
  });

  it('zeroes the padding row and gives it no gradient', () => {
    const e = toFloat64(new nn.Embedding(4, 2, { paddingIdx: -1 }));
    expect(e.paddingIdx).toBe(3);
    expect((e.weight.toArray() as number[][])[3]).toEqual([0, 0]);
    const idx = tensor([3, 1, 3, 1, 0], { dtype: 'int32' });
    const [g] = grad(e.forward(idx).sum(), [e.weight]);
    expect(g!.toArray()).toEqual([[1, 1], [2, 2], [0, 0], [0, 0]]);
    expect(gradcheck(() => e.forward(idx).mul(e.forward(idx)), [e.weight])).toBe(true);
    expect(e.toString()).toBe('Embedding(4, 2, paddingIdx=3)');
  });

  it('rejects out-of-range and non-integer indices', () => {
    const e = new nn.Embedding(4, 2);
    expect(() => e.forward(tensor([4], { dtype: 'int32' }))).toThrow('embedding: index 4 is out of range for an embedding of 4 rows');
    expect(() => e.forward(tensor([1]))).toThrow(DTypeError);
    expect(() => new nn.Embedding(4, 2, { paddingIdx: 4 })).toThrow(ShapeError);
  });
});
