/**
 * ReduceLROnPlateau: hand-worked sequences, a naive simulation of PyTorch's documented rule
 * over random metrics (both modes, both threshold modes, cooldown, minLr, eps), the state dict,
 * errors.
 */
import { describe, expect, it } from 'vitest';
import { Parameter, ShapeError, manualSeed, optim, rand, tensor, zeros } from '../../src/index.js';

const { ReduceLROnPlateau } = optim.lrScheduler;

function sgd(lrs: number[]): optim.SGD {
  return new optim.SGD(lrs.map((lr) => ({ params: [new Parameter(zeros(1))], lr })), { lr: 1 });
}

/** The learning rates after each metric. */
function run(s: InstanceType<typeof ReduceLROnPlateau>, metrics: number[]): number[][] {
  return metrics.map((m) => {
    s.step(m);
    return s.getLastLr();
  });
}

interface Rule { mode: 'min' | 'max'; factor: number; patience: number; threshold: number; thresholdMode: 'rel' | 'abs'; cooldown: number; minLr: number; eps: number }

/** The documented rule, written out plainly for one group. */
function simulate(r: Rule, lr0: number, metrics: number[]): number[] {
  let lr = lr0, best = r.mode === 'min' ? Infinity : -Infinity, bad = 0, cool = 0;
  const out: number[] = [];
  for (const m of metrics) {
    let better: boolean;
    if (r.mode === 'min') better = r.thresholdMode === 'rel' ? m < best * (1 - r.threshold) : m < best - r.threshold;
    else better = r.thresholdMode === 'rel' ? m > best * (1 + r.threshold) : m > best + r.threshold;
    if (better) { best = m; bad = 0; } else bad += 1;
    if (cool > 0) { cool -= 1; bad = 0; }
    if (bad > r.patience) {
      const next = Math.max(lr * r.factor, r.minLr);
      if (lr - next > r.eps) lr = next;
      cool = r.cooldown;
      bad = 0;
    }
    out.push(lr);
  }
  return out;
}

describe('ReduceLROnPlateau', () => {
  it('reduces after more than `patience` epochs without improvement', () => {
    const s = new ReduceLROnPlateau(sgd([1, 0.1]), { patience: 2, factor: 0.5, threshold: 0 });
    expect(s.getLastLr()).toEqual([1, 0.1]);
    expect(run(s, [10, 9, 9, 9, 9, 9, 9, 9, 9]).map((r) => r[0])).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]);
    expect(s.getLastLr()[1]).toBeCloseTo(0.025, 15);
    expect(s.optimizer.paramGroups.map((g) => g.lr)).toEqual(s.getLastLr());
    expect(s.lastEpoch).toBe(9);
  });

  it('waits out the cooldown, stops at minLr, and skips reductions smaller than eps', () => {
    const s = new ReduceLROnPlateau(sgd([1]), { patience: 0, factor: 0.5, cooldown: 2, minLr: 0.2 });
    expect(run(s, [5, 5, 5, 5, 5, 5, 5, 5, 5]).map((r) => r[0])).toEqual([1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2]);
    const tiny = new ReduceLROnPlateau(sgd([1e-8]), { patience: 0 });
    expect(run(tiny, [1, 1, 1])).toEqual([[1e-8], [1e-8], [1e-8]]); // 1e-8 − 1e-9 is not more than eps
  });

  it('follows the documented rule over random metrics, every mode and threshold mode', () => {
    manualSeed(53);
    for (const mode of ['min', 'max'] as const) {
      for (const thresholdMode of ['rel', 'abs'] as const) {
        const rule: Rule = { mode, thresholdMode, factor: 0.3, patience: 2, threshold: 0.05, cooldown: 1, minLr: 0.001, eps: 1e-8 };
        // A trend with noise: improvements, plateaus and reductions all occur.
        const drift = mode === 'min' ? -0.05 : 0.05;
        const metrics = [...rand([60]).data()].map((v, i) => 5 + drift * i + 0.4 * v);
        const s = new ReduceLROnPlateau(sgd([0.5]), { ...rule });
        const expected = simulate(rule, 0.5, metrics);
        expect(run(s, metrics).map((r) => r[0])).toEqual(expected);
        expect(new Set(expected).size).toBeGreaterThan(2); // the sequence does exercise reductions
      }
    }
  });

  it('takes a one-element tensor as the metric; NaN counts as no improvement', () => {
    const s = new ReduceLROnPlateau(sgd([1]), { patience: 0, mode: 'max' });
    s.step(tensor([0.5]));
    expect(s.best).toBeCloseTo(0.5);
    s.step(Number.NaN);
    expect(s.getLastLr()).toEqual([0.1]);
    expect(() => s.step(tensor([1, 2]))).toThrow(/expected a one-element metric, got a tensor of shape \[2\]/);
    expect(() => s.step('0.5' as never)).toThrow(TypeError);
  });

  it('saves and restores its state (options and progress), JSON included', () => {
    const opt = sgd([1, 2]);
    const s = new ReduceLROnPlateau(opt, { patience: 1, cooldown: 1, minLr: [0, 0.5] });
    run(s, [3, 3, 3, 2]);
    const saved = s.stateDict();
    expect(saved).toEqual({
      mode: 'min', factor: 0.1, patience: 1, threshold: 1e-4, thresholdMode: 'rel', cooldown: 1, minLrs: [0, 0.5], eps: 1e-8,
      best: 2, numBadEpochs: 0, cooldownCounter: 0, lastEpoch: 4, lastLr: [0.1, 0.5],
    });
    const rest = [2, 2, 2, 1, 1, 1, 1];
    const expected = run(s, rest);
    const opt2 = sgd([0.1, 0.5]);
    const s2 = new ReduceLROnPlateau(opt2, {});
    s2.loadStateDict(JSON.parse(JSON.stringify(saved)));
    expect(run(s2, rest)).toEqual(expected);
    // A fresh state's best is +∞, which JSON writes as null and loading reads back.
    const fresh = new ReduceLROnPlateau(sgd([1]), { mode: 'max' });
    const copy = new ReduceLROnPlateau(sgd([1]), { mode: 'max' });
    copy.loadStateDict(JSON.parse(JSON.stringify(fresh.stateDict())));
    expect(copy.best).toBe(-Infinity);
  });

  it('checks its options and states, naming the scheduler', () => {
    expect(() => new ReduceLROnPlateau(sgd([1]), { factor: 1 })).toThrow('ReduceLROnPlateau: factor must be in [0, 1), got 1');
    expect(() => new ReduceLROnPlateau(sgd([1]), { mode: 'mean' as never })).toThrow(/mode must be 'min' or 'max'/);
    expect(() => new ReduceLROnPlateau(sgd([1]), { thresholdMode: 'relative' as never })).toThrow(/thresholdMode must be 'rel' or 'abs'/);
    expect(() => new ReduceLROnPlateau(sgd([1]), { patience: -1 })).toThrow(RangeError);
    expect(() => new ReduceLROnPlateau(sgd([1, 2]), { minLr: [0] })).toThrow(ShapeError);
    expect(() => new ReduceLROnPlateau(sgd([1]), { min_lr: 0.1 } as never)).toThrow(/ReduceLROnPlateau: unknown option 'min_lr' \(did you mean 'minLr'\?\)/);
    expect(() => new ReduceLROnPlateau(sgd([1]), 'min' as never)).toThrow(/ReduceLROnPlateau: expected an options object/);
    const s = new ReduceLROnPlateau(sgd([1]));
    const bad = { ...s.stateDict(), factor: 2, lastEpoch: 7 };
    expect(() => s.loadStateDict(bad)).toThrow(/factor must be in \[0, 1\)/);
    expect(s.lastEpoch).toBe(0);
    expect(() => s.loadStateDict({ ...s.stateDict(), lastLr: [1, 2] })).toThrow(/the state is for 1 parameter groups|parameter groups/);
  });
});
