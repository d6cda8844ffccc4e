/**
 * The gradient methods of `explain`: saliency is |∂F/∂x| (the weights of a linear model),
 * integrated gradients are complete (Σ IG = F(x) − F(baseline), with an error that shrinks as
 * 1/steps² on a smooth model), SmoothGrad with sigma 0 is the saliency map.
 */
import { describe, expect, it } from 'vitest';
import { explain, manualSeed, noGrad, randn, tensor, type Tensor } from '../../src/index.js';
import { linearModel, maxAbsDiff, mlp } from './models.js';

/** Per-sample completeness gap |Σ IG − (F(x) − F(x'))| of the score of class `k`. */
function completenessGap(f: (x: Tensor) => Tensor, x: Tensor, baseline: Tensor, k: number, steps: number): number {
  const ig = explain.integratedGradients(f, x, { baseline, steps, target: k });
  const sums = ig.sum(1).toTypedArray();
  const dif = noGrad(() => f(x).sub(f(baseline)).narrow(1, k, 1).reshape(-1)).toTypedArray();
  return Math.max(...Array.from(sums, (s, i) => Math.abs(s - dif[i])));
}

describe('explain.saliency', () => {
  it('is |w_k| for every sample of a linear model, and w_k signed with abs: false', () => {
    const { f, w } = linearModel(5, 3, 1);
    manualSeed(2);
    const x = randn([4, 5], { dtype: 'float64' });
    const column = w.narrow(1, 2, 1).reshape(1, 5).expand(4, 5);
    expect(maxAbsDiff(explain.saliency(f, x, { target: 2 }), column.abs())).toBeLessThan(1e-12);
    expect(maxAbsDiff(explain.saliency(f, x, { target: 2, abs: false }), column)).toBeLessThan(1e-12);
  });

  it('takes one class per sample, a scalar reduction, or f\'s single output', () => {
    const { f, w } = linearModel(3, 2, 3);
    const x = randn([2, 3], { dtype: 'float64' });
    const perSample = explain.saliency(f, x, { target: [1, 0], abs: false });
    expect(maxAbsDiff(perSample.narrow(0, 0, 1), w.narrow(1, 1, 1).reshape(1, 3))).toBeLessThan(1e-12);
    expect(maxAbsDiff(perSample.narrow(0, 1, 1), w.narrow(1, 0, 1).reshape(1, 3))).toBeLessThan(1e-12);
    const summed = explain.saliency(f, x, { target: (y) => y.sum(1), abs: false });
    expect(maxAbsDiff(summed, w.sum(1).reshape(1, 3).expand(2, 3))).toBeLessThan(1e-12);
    const single = explain.saliency((t) => f(t).narrow(1, 0, 1), x, { abs: false });
    expect(maxAbsDiff(single, w.narrow(1, 0, 1).reshape(1, 3).expand(2, 3))).toBeLessThan(1e-12);
  });

  it('works inside noGrad (it records its own graph)', () => {
    const { f, w } = linearModel(3, 1, 15);
    const x = randn([2, 3], { dtype: 'float64' });
    const inside = noGrad(() => explain.saliency(f, x, { abs: false }));
    expect(maxAbsDiff(inside, w.reshape(1, 3).expand(2, 3))).toBeLessThan(1e-12);
  });

  it('gives zero where the score does not depend on the input', () => {
    const x = randn([2, 3], { dtype: 'float64' });
    const constant = (t: Tensor) => t.mul(0).sum(1).add(1);
    expect(explain.saliency(constant, x).abs().sum().item()).toBe(0);
    expect(explain.saliency((t: Tensor) => tensor([1, 2], { dtype: 'float64' }).add(t.sum(1).detach()), x).abs().sum().item()).toBe(0);
  });
});

describe('explain.integratedGradients', () => {
  it('is exactly w·(x − baseline) for a linear model, at any number of steps', () => {
    const { f, w } = linearModel(4, 2, 4);
    manualSeed(5);
    const x = randn([3, 4], { dtype: 'float64' });
    const baseline = randn([1, 4], { dtype: 'float64' });
    const expected = x.sub(baseline).mul(w.narrow(1, 1, 1).reshape(1, 4));
    for (const steps of [1, 7]) expect(maxAbsDiff(explain.integratedGradients(f, x, { baseline, steps, target: 1 }), expected)).toBeLessThan(1e-12);
  });

  it('is complete on a smooth MLP: the gap falls as 1/steps² (below 1e-4 at 256 steps)', () => {
    const f = mlp(6, 16, 3, 6);
    manualSeed(7);
    const x = randn([4, 6], { dtype: 'float64' });
    const baseline = randn([4, 6], { dtype: 'float64' }).mul(0.1);
    const gaps = [4, 16, 64, 256].map((steps) => completenessGap(f, x, baseline, 2, steps));
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThan(gaps[i - 1] / 8); // 4× steps → ~16× smaller
    expect(gaps[3]).toBeLessThan(1e-4);
  });

  it('gives the same attributions in batches of 5 rows as in one batch, in ceil(rows/5) calls', () => {
    const model = mlp(3, 8, 2, 8);
    let calls = 0;
    const f = (t: Tensor) => {
      calls++;
      expect(t.shape[0]).toBeLessThanOrEqual(5);
      return model(t);
    };
    const x = randn([3, 3], { dtype: 'float64' });
    const whole = explain.integratedGradients(model, x, { steps: 8, target: 0 });
    const batched = explain.integratedGradients(f, x, { steps: 8, target: 0, batchSize: 5 });
    expect(calls).toBe(Math.ceil((3 * 8) / 5));
    expect(maxAbsDiff(whole, batched)).toBeLessThan(1e-12);
  });

  it('defaults to a zero baseline, and a number is a constant baseline', () => {
    const f = mlp(3, 8, 2, 9);
    const x = randn([2, 3], { dtype: 'float64' });
    const zero = tensor([[0, 0, 0]], { dtype: 'float64' });
    expect(maxAbsDiff(explain.integratedGradients(f, x, { target: 1 }), explain.integratedGradients(f, x, { target: 1, baseline: zero }))).toBe(0);
    const half = explain.integratedGradients(f, x, { target: 1, baseline: 0.5 });
    expect(maxAbsDiff(half, explain.integratedGradients(f, x, { target: 1, baseline: zero.add(0.5) }))).toBe(0);
  });
});

describe('explain.smoothGrad', () => {
  it('with sigma 0 equals the saliency map', () => {
    const f = mlp(5, 12, 3, 10);
    const x = randn([3, 5], { dtype: 'float64' });
    const sal = explain.saliency(f, x, { target: [0, 1, 2] });
    expect(maxAbsDiff(explain.smoothGrad(f, x, { target: [0, 1, 2], sigma: 0, samples: 4 }), sal)).toBeLessThan(1e-12);
  });

  it('is |w| on a linear model at any noise level (its gradient is constant)', () => {
    const { f, w } = linearModel(4, 2, 11);
    const x = randn([2, 4], { dtype: 'float64' });
    expect(maxAbsDiff(explain.smoothGrad(f, x, { target: 0, sigma: 0.5, samples: 8 }), w.narrow(1, 0, 1).reshape(1, 4).expand(2, 4).abs())).toBeLessThan(1e-12);
  });

  it('is reproducible by seed, differs from the noiseless map, and approaches the average over noise as samples grow', () => {
    const f = mlp(4, 12, 1, 12);
    manualSeed(13);
    const x = randn([1, 4], { dtype: 'float64' });
    const a = explain.smoothGrad(f, x, { seed: 3, samples: 16 });
    expect(maxAbsDiff(a, explain.smoothGrad(f, x, { seed: 3, samples: 16 }))).toBe(0);
    expect(maxAbsDiff(a, explain.smoothGrad(f, x, { seed: 4, samples: 16 }))).toBeGreaterThan(0);
    expect(maxAbsDiff(a, explain.saliency(f, x))).toBeGreaterThan(1e-3);
    // two large independent runs agree better than two small ones (Monte Carlo error ~ 1/√samples)
    const spread = (samples: number) => maxAbsDiff(explain.smoothGrad(f, x, { seed: 1, samples }), explain.smoothGrad(f, x, { seed: 2, samples }));
    expect(spread(2000)).toBeLessThan(spread(20));
  });

  it('scales the noise by each sample\'s range: a constant sample gets no noise', () => {
    const f = mlp(4, 12, 1, 14);
    const x = tensor([[0.3, 0.3, 0.3, 0.3]], { dtype: 'float64' });
    expect(maxAbsDiff(explain.smoothGrad(f, x, { sigma: 0.5, samples: 4 }), explain.saliency(f, x))).toBeLessThan(1e-12);
  });
});
