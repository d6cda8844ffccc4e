/**
 * Shapley values: exact enumeration against closed forms (a linear model gives w·(x − mean of the
 * background); a product of two features splits evenly), efficiency (Σφ = F(x) − E[F(background)]),
 * and KernelSHAP against the exact values — equal when the budget covers every coalition, and
 * converging as the sampling budget grows.
 */
import { describe, expect, it } from 'vitest';
import { explain, manualSeed, noGrad, randn, tensor, type Tensor } from '../../src/index.js';
import { linearModel, maxAbsDiff, mlp } from './models.js';

/** Per-sample |Σφ − (F(x) − mean F(background))| for class k. */
function efficiencyGap(f: (x: Tensor) => Tensor, x: Tensor, background: Tensor, phi: Tensor, k: number): number {
  const sums = phi.reshape(x.shape[0], -1).sum(1).toTypedArray();
  const fx = noGrad(() => f(x).narrow(1, k, 1).reshape(-1)).toTypedArray();
  const expected = noGrad(() => f(background).narrow(1, k, 1).mean()).item();
  return Math.max(...Array.from(sums, (s, i) => Math.abs(s - (fx[i] - expected))));
}

describe('explain.shapleyExact', () => {
  it('of a linear model is w·(x − mean(background))', () => {
    const { f, w } = linearModel(5, 2, 20);
    manualSeed(21);
    const x = randn([3, 5], { dtype: 'float64' });
    const background = randn([7, 5], { dtype: 'float64' });
    const phi = explain.shapleyExact(f, x, { background, target: 1 });
    expect(phi.shape).toEqual([3, 5]);
    expect(maxAbsDiff(phi, x.sub(background.mean(0, true)).mul(w.narrow(1, 1, 1).reshape(1, 5)))).toBeLessThan(1e-12);
  });

  it('splits a product x₀·x₁ evenly (zero background) and gives nothing to a feature the model ignores', () => {
    const f = (t: Tensor) => t.narrow(1, 0, 1).mul(t.narrow(1, 1, 1)).reshape(-1);
    const x = tensor([[2, 3, 5]], { dtype: 'float64' });
    const phi = explain.shapleyExact(f, x, { background: tensor([[0, 0, 0]], { dtype: 'float64' }) });
    expect(Array.from(phi.toTypedArray())).toEqual([3, 3, 0]);
  });

  it('is efficient on an MLP, per sample', () => {
    const f = mlp(6, 16, 3, 22);
    manualSeed(23);
    const x = randn([2, 6], { dtype: 'float64' });
    const background = randn([10, 6], { dtype: 'float64' });
    expect(efficiencyGap(f, x, background, explain.shapleyExact(f, x, { background, target: 2 }), 2)).toBeLessThan(1e-12);
  });

  it('groups elements by featureMask: each group\'s value on all its elements', () => {
    const { f, w } = linearModel(6, 1, 24);
    manualSeed(25);
    const x = randn([1, 6], { dtype: 'float64' });
    const background = randn([4, 6], { dtype: 'float64' });
    const featureMask = tensor([7, 7, 2, 2, 2, 9]); // ids need not be contiguous
    const phi = explain.shapleyExact(f, x, { background, featureMask }).toTypedArray();
    const contribution = x.sub(background.mean(0, true)).mul(w.reshape(1, 6)).toTypedArray();
    const groups = [[0, 1], [2, 3, 4], [5]];
    for (const g of groups) {
      const total = g.reduce((s, e) => s + contribution[e], 0);
      for (const e of g) expect(phi[e]).toBeCloseTo(total, 12);
    }
  });

  it('throws above 12 features, naming the limit', () => {
    const f = (t: Tensor) => t.sum(1);
    const x = randn([1, 13], { dtype: 'float64' });
    expect(() => explain.shapleyExact(f, x, { background: x })).toThrow(/explain.shapleyExact: 13 features exceed the limit of 12/);
    // grouped into 2 features it is fine
    const featureMask = tensor(Array.from({ length: 13 }, (_, e) => (e < 6 ? 0 : 1)));
    const phi = explain.shapleyExact(f, x, { background: x.mul(0), featureMask }).toTypedArray();
    expect(phi[0]).toBeCloseTo(x.narrow(1, 0, 6).sum().item(), 10);
    expect(phi[12]).toBeCloseTo(x.narrow(1, 6, 7).sum().item(), 10);
  });
});

describe('explain.kernelShap', () => {
  const f = mlp(6, 16, 2, 30);
  manualSeed(31);
  const x = randn([2, 6], { dtype: 'float64' });
  const background = randn([8, 6], { dtype: 'float64' });
  const exact = explain.shapleyExact(f, x, { background, target: 1 });

  it('equals the exact Shapley values when the budget covers all 2^M − 2 coalitions', () => {
    expect(maxAbsDiff(explain.kernelShap(f, x, { background, target: 1, samples: 62 }), exact)).toBeLessThan(1e-10);
  });

  it('is efficient exactly, even with a small sampling budget', () => {
    for (const samples of [4, 10, 30]) {
      expect(efficiencyGap(f, x, background, explain.kernelShap(f, x, { background, target: 1, samples, seed: samples }), 1)).toBeLessThan(1e-12);
    }
  });

  it('converges to the exact values as the sampling budget grows (10 features, 1022 coalitions)', () => {
    const g = mlp(10, 16, 1, 32);
    manualSeed(33);
    const x10 = randn([1, 10], { dtype: 'float64' });
    const bg10 = randn([6, 10], { dtype: 'float64' });
    const exact10 = explain.shapleyExact(g, x10, { background: bg10 });
    const scale = exact10.abs().max().item();
    // average error over 4 seeds at each budget, relative to the largest value
    const error = (samples: number) => [0, 1, 2, 3].reduce((s, seed) => s + maxAbsDiff(explain.kernelShap(g, x10, { background: bg10, samples, seed }), exact10), 0) / 4 / scale;
    const errors = [24, 96, 384].map(error);
    expect(errors[1]).toBeLessThan(errors[0]);
    expect(errors[2]).toBeLessThan(errors[1]);
    expect(errors[2]).toBeLessThan(0.05); // measured: 0.106, 0.055, 0.026 (about 1/√samples)
  });

  it('is reproducible by seed and batches its model calls', () => {
    let calls = 0;
    const counted = (t: Tensor) => {
      calls++;
      expect(t.shape[0]).toBeLessThanOrEqual(100);
      return f(t);
    };
    const a = explain.kernelShap(counted, x.narrow(0, 0, 1), { background, target: 1, samples: 20, seed: 5, batchSize: 100 });
    expect(maxAbsDiff(a, explain.kernelShap(f, x.narrow(0, 0, 1), { background, target: 1, samples: 20, seed: 5 }))).toBe(0);
    // 2 rows of ∅/full and ≤ 20 coalitions, each over 8 background rows: at most 1 + 2 calls of ≤ 100 rows
    expect(calls).toBeLessThanOrEqual(3);
  });
});
