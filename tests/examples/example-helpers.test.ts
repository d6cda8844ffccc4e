import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { arange, full, manualSeed, tensor } from '../../src/index.js';
import { rocAuc } from '../../examples/lib/roc-auc.js';
import { psnr } from '../../examples/lib/psnr.js';
import { imageGrid } from '../../examples/lib/image-grid.js';
import { defaultRing, modeCoverage, ringCentres, sampleRing } from '../../examples/lib/gaussian-ring.js';

/** AUC by its definition: the share of (positive, negative) pairs ordered correctly, ties one half. */
function pairwiseAuc(scores: number[], labels: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!labels[i]) return;
    scores.forEach((q, j) => {
      if (labels[j]) return;
      pairs++;
      wins += p > q ? 1 : p === q ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 when every score ties', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true])).toBe(0);
    expect(rocAuc([3, 3, 3, 3], [false, true, false, true])).toBe(0.5);
  });

  it('equals the pairwise definition, ties included', () => {
    const sample = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 40 })
      .filter((xs) => xs.some(([, l]) => l) && xs.some(([, l]) => !l));
    fc.assert(fc.property(sample, (xs) => {
      const scores = xs.map(([s]) => s);
      const labels = xs.map(([, l]) => l);
      expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    }), { seed: 6 });
  });

  it('throws when one class is missing', () => {
    expect(() => rocAuc([1, 2], [true, true])).toThrow(/both classes/);
  });
});

describe('psnr', () => {
  it('is 20 dB for an error of 0.1 everywhere, and grows as the error shrinks', () => {
    const clean = full([4, 4], 0.5);
    expect(psnr(clean.add(0.1), clean)).toBeCloseTo(20, 5);
    expect(psnr(clean.add(0.01), clean)).toBeCloseTo(40, 3);
  });
});

describe('imageGrid', () => {
  it('places image k at row ⌊k/cols⌋, column k mod cols, with gaps and empty tiles in the background value', () => {
    const images = arange(0, 5 * 2 * 3).float().reshape(5, 2, 3);
    const grid = imageGrid(images, { cols: 3, gap: 1, background: -1 });
    expect(grid.shape).toEqual([2 * 3 - 1, 3 * 4 - 1]);
    const g = grid.toArray() as number[][];
    expect(g[0].slice(0, 3)).toEqual([0, 1, 2]); // image 0, first row
    expect(g[0][3]).toBe(-1); // gap
    expect(g[1].slice(4, 7)).toEqual([9, 10, 11]); // image 1, second row
    expect(g[3].slice(4, 7)).toEqual([24, 25, 26]); // image 4 (row 1, col 1), first row
    expect(g[3].slice(8, 11)).toEqual([-1, -1, -1]); // the empty sixth tile
  });

  it('takes flattened images with `side`', () => {
    const grid = imageGrid(arange(0, 8).float().reshape(2, 4), { side: 2, cols: 2, gap: 0 });
    expect(grid.toArray()).toEqual([[0, 1, 4, 5], [2, 3, 6, 7]]);
  });
});

describe('modeCoverage', () => {
  it('finds every mode covered and ~99% of true samples within 3σ (P(χ²₂ ≤ 9) = 1 − e^(−4.5))', () => {
    manualSeed(1);
    const c = modeCoverage(sampleRing(4000, defaultRing), defaultRing);
    expect(c.modesCovered).toBe(8);
    expect(c.goodShare).toBeGreaterThan(0.98);
  });

  it('counts a collapsed generator as one mode, and points between modes as bad', () => {
    const centres = ringCentres(defaultRing);
    const collapsed = centres.narrow(0, 0, 1).expand(100, 2);
    expect(modeCoverage(collapsed, defaultRing).modesCovered).toBe(1);
    const between = centres.narrow(0, 0, 1).add(centres.narrow(0, 1, 1)).div(2);
    expect(modeCoverage(between, defaultRing).goodShare).toBe(0);
    expect(modeCoverage(tensor([[0, 0]]), defaultRing).goodShare).toBe(0);
  });
});
