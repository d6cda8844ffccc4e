/**
 * LIME recovers the coefficients of a linear model: switching feature j on moves the score by
 * wⱼ(xⱼ − baselineⱼ), exactly with alpha 0 and within the ridge's shrinkage otherwise; on images
 * the features are grid superpixels (`explain.gridMask`).
 */
import { describe, expect, it } from 'vitest';
import { explain, manualSeed, randn, type Tensor } from '../../src/index.js';
import { linearModel, maxAbsDiff, mlp } from './models.js';

describe('explain.gridMask', () => {
  it('numbers cells row by row, the last ones cut short', () => {
    expect(explain.gridMask(3, 5, 2).toArray()).toEqual([[0, 0, 1, 1, 2], [0, 0, 1, 1, 2], [3, 3, 4, 4, 5]]);
    expect(explain.gridMask(28, 28, 7).max().item()).toBe(15);
    expect(() => explain.gridMask(4, 4, 0)).toThrow(/explain.gridMask: cell must be a positive integer/);
  });
});

describe('explain.lime', () => {
  const { f, w } = linearModel(6, 2, 40);
  manualSeed(41);
  const x = randn([3, 6], { dtype: 'float64' });
  const baseline = randn([1, 6], { dtype: 'float64' });
  const expected = x.sub(baseline).mul(w.narrow(1, 0, 1).reshape(1, 6));

  it('recovers w·(x − baseline) of a linear model exactly with alpha 0, for both distances', () => {
    expect(maxAbsDiff(explain.lime(f, x, { baseline, target: 0, alpha: 0, samples: 200 }), expected)).toBeLessThan(1e-9);
    expect(maxAbsDiff(explain.lime(f, x, { baseline, target: 0, alpha: 0, samples: 200, distance: 'euclidean' }), expected)).toBeLessThan(1e-9);
  });

  it('recovers them within 3% of the largest with the default ridge penalty', () => {
    const coefficients = explain.lime(f, x, { baseline, target: 0 });
    expect(maxAbsDiff(coefficients, expected) / expected.abs().max().item()).toBeLessThan(0.03);
  });

  it('on an image with grid superpixels gives each cell the sum of its pixels\' contributions', () => {
    manualSeed(42);
    const wImage = randn([1, 1, 4, 4], { dtype: 'float64' });
    const g = (t: Tensor) => t.mul(wImage).sum([1, 2, 3]);
    const image = randn([1, 1, 4, 4], { dtype: 'float64' });
    const featureMask = explain.gridMask(4, 4, 2);
    const coefficients = explain.lime(g, image, { featureMask, alpha: 0, samples: 64, seed: 1 }).toTypedArray();
    const contribution = image.mul(wImage).toTypedArray();
    const cell = (e: number) => Math.floor(Math.floor(e / 4) / 2) * 2 + Math.floor((e % 4) / 2);
    for (let e = 0; e < 16; e++) {
      let total = 0;
      for (let o = 0; o < 16; o++) if (cell(o) === cell(e)) total += contribution[o];
      expect(coefficients[e]).toBeCloseTo(total, 9);
    }
  });

  it('is reproducible by seed, and the kernel width changes a nonlinear fit', () => {
    const g = mlp(5, 12, 1, 43);
    const x5 = randn([1, 5], { dtype: 'float64' });
    const a = explain.lime(g, x5, { seed: 2, samples: 100 });
    expect(maxAbsDiff(a, explain.lime(g, x5, { seed: 2, samples: 100 }))).toBe(0);
    expect(maxAbsDiff(a, explain.lime(g, x5, { seed: 3, samples: 100 }))).toBeGreaterThan(0);
    expect(maxAbsDiff(a, explain.lime(g, x5, { seed: 2, samples: 100, kernelWidth: 5 }))).toBeGreaterThan(1e-6);
  });

  it('evaluates its perturbations in batches', () => {
    let calls = 0;
    const counted = (t: Tensor) => {
      calls++;
      expect(t.shape[0]).toBeLessThanOrEqual(64);
      return f(t);
    };
    explain.lime(counted, x.narrow(0, 0, 1), { target: 1, samples: 200, batchSize: 64 });
    expect(calls).toBe(Math.ceil(200 / 64));
  });
});
