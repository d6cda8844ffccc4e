/**
 * Each scheduler's learning-rate sequence against its closed form (PyTorch's numbers), per group;
 * OneCycleLR's momentum cycling; schedules reaching the optimizer; scheduler state dicts; errors.
 */
import { describe, expect, it } from 'vitest';
import { Parameter, optim, tensor, zeros } from '../../src/index.js';

const { StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, OneCycleLR } = optim.lrScheduler;

/** An SGD optimizer with one group per base rate. */
function sgd(lrs: number[], momentum = 0.9): optim.SGD {
  return new optim.SGD(lrs.map((lr) => ({ params: [new Parameter(zeros(1))], lr })), { momentum });
}

/** getLastLr() after construction and after each of `steps` steps. */
function sequence(sched: { step(): void; getLastLr(): number[] }, steps: number): number[][] {
  const out = [sched.getLastLr()];
  for (let s = 0; s < steps; s++) {
    sched.step();
    out.push(sched.getLastLr());
  }
  return out;
}

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, e) => row.forEach((x, g) => {
    if (!(Math.abs(x - expected[e][g]) <= 1e-12 * Math.max(1, Math.abs(expected[e][g])))) {
      expect.fail(`epoch ${e}, group ${g}: scheduler ${x}, closed form ${expected[e][g]}`);
    }
  }));
}

const epochs = (n: number) => Array.from({ length: n + 1 }, (_, e) => e);

describe('StepLR', () => {
  it('is base · γ^⌊e / stepSize⌋ for each group', () => {
    const bases = [0.1, 0.02];
    const s = new StepLR(sgd(bases), { stepSize: 3, gamma: 0.5 });
    expectClose(sequence(s, 10), epochs(10).map((e) => bases.map((b) => b * 0.5 ** Math.floor(e / 3))));
  });

  it('defaults γ to 0.1', () => {
    const s = new StepLR(sgd([1]), { stepSize: 2 });
    expectClose(sequence(s, 4), [[1], [1], [0.1], [0.1], [0.01]]);
  });
});

describe('ExponentialLR', () => {
  it('is base · γᵉ', () => {
    const s = new ExponentialLR(sgd([0.1, 0.3]), { gamma: 0.9 });
    expectClose(sequence(s, 12), epochs(12).map((e) => [0.1 * 0.9 ** e, 0.3 * 0.9 ** e]));
  });
});

describe('CosineAnnealingLR', () => {
  it('is η_min + (base − η_min)(1 + cos(πe/T))/2, past T_max too (up again, no restart)', () => {
    const bases = [0.1, 0.05];
    const T = 5;
    const etaMin = 0.001;
    const s = new CosineAnnealingLR(sgd(bases), { tMax: T, etaMin });
    const closed = epochs(4 * T).map((e) => bases.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((Math.PI * e) / T))) / 2));
    const got = sequence(s, 4 * T);
    expectClose(got, closed);
    expect(got[T][0]).toBeCloseTo(etaMin, 15);
    expect(got[2 * T][0]).toBeCloseTo(0.1, 15);
  });

  it('matches PyTorch at T_max = 10 (0.1 → 0.0975528…, 0.0904508…)', () => {
    const got = sequence(new CosineAnnealingLR(sgd([0.1]), { tMax: 10 }), 2);
    expect(got[1][0]).toBeCloseTo(0.09755282581475769, 15);
    expect(got[2][0]).toBeCloseTo(0.09045084971874738, 15);
  });
});

describe('LinearLR', () => {
  it('scales by s + (f − s)·min(e, N)/N (defaults s = 1/3, f = 1, N = 5)', () => {
    const bases = [0.3, 0.9];
    const s = new LinearLR(sgd(bases));
    expectClose(sequence(s, 9), epochs(9).map((e) => bases.map((b) => b * (1 / 3 + (2 / 3) * Math.min(e, 5) / 5))));
  });

  it('decays too (f < s)', () => {
    const s = new LinearLR(sgd([1]), { startFactor: 1, endFactor: 0.25, totalIters: 3 });
    expectClose(sequence(s, 5), [[1], [0.75], [0.5], [0.25], [0.25], [0.25]]);
  });

  it('rejects factors outside their ranges', () => {
    expect(() => new LinearLR(sgd([1]), { startFactor: 0 })).toThrow(/startFactor must be in \(0, 1\]/);
    expect(() => new LinearLR(sgd([1]), { endFactor: 1.5 })).toThrow(/endFactor must be in \[0, 1\]/);
  });
});

/** PyTorch's OneCycleLR closed form, from its documented phases. */
function oneCycleReference(maxLr: number, total: number, step: number, o: { pct?: number; linear?: boolean; threePhase?: boolean } = {}) {
  const pct = o.pct ?? 0.3;
  const initial = maxLr / 25;
  const min = initial / 1e4;
  const anneal = o.linear
    ? (a: number, b: number, t: number) => a + (b - a) * t
    : (a: number, b: number, t: number) => b + ((a - b) * (1 + Math.cos(Math.PI * t))) / 2;
  const phases = o.threePhase
    ? [[pct * total - 1, initial, maxLr, 0.95, 0.85], [2 * pct * total - 2, maxLr, initial, 0.85, 0.95], [total - 1, initial, min, 0.95, 0.95]]
    : [[pct * total - 1, initial, maxLr, 0.95, 0.85], [total - 1, maxLr, min, 0.85, 0.95]];
  let k = 0;
  let start = 0;
  while (k < phases.length - 1 && step > phases[k][0]) start = phases[k++][0];
  const [end, lr0, lr1, m0, m1] = phases[k];
  const t = (step - start) / (end - start);
  return { lr: anneal(lr0, lr1, t), momentum: anneal(m0, m1, t) };
}

describe('OneCycleLR', () => {
  it('goes 0.004 → 0.1 → 4e-7 with maxLr 0.1 over 10 steps, momentum 0.95 → 0.85 → 0.95', () => {
    const opt = sgd([0.5]);
    const s = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
    const lrs: number[] = [];
    const momenta: number[] = [];
    for (let e = 0; e < 10; e++) {
      if (e > 0) s.step();
      lrs.push(s.getLastLr()[0]);
      momenta.push(opt.paramGroups[0].momentum);
    }
    expect(lrs[0]).toBeCloseTo(0.004, 15);
    expect(lrs[1]).toBeCloseTo(0.052, 15);
    expect(lrs[2]).toBeCloseTo(0.1, 15);
    expect(lrs[9]).toBeCloseTo(4e-7, 15);
    expect(momenta[0]).toBeCloseTo(0.95, 15);
    expect(momenta[1]).toBeCloseTo(0.9, 15);
    expect(momenta[2]).toBeCloseTo(0.85, 15);
    expect(momenta[9]).toBeCloseTo(0.95, 15);
    lrs.forEach((lr, e) => expect(lr).toBeCloseTo(oneCycleReference(0.1, 10, e).lr, 14));
    momenta.forEach((m, e) => expect(m).toBeCloseTo(oneCycleReference(0.1, 10, e).momentum, 14));
  });

  it('follows the three-phase and linear schedules, per group, from epochs × stepsPerEpoch', () => {
    for (const variant of [{ threePhase: true }, { linear: true }, { threePhase: true, linear: true, pct: 0.4 }]) {
      const opt = sgd([1, 1]);
      const s = new OneCycleLR(opt, {
        maxLr: [0.2, 0.05], epochs: 4, stepsPerEpoch: 25, pctStart: variant.pct ?? 0.3,
        threePhase: variant.threePhase ?? false, annealStrategy: variant.linear ? 'linear' : 'cos',
      });
      const got = sequence(s, 99);
      const expected = epochs(99).map((e) => [0.2, 0.05].map((m) => oneCycleReference(m, 100, e, variant).lr));
      expectClose(got, expected);
    }
  });

  it('cycles β1 of Adam’s betas, keeping β2', () => {
    const opt = new optim.Adam([new Parameter(zeros(1))], { betas: [0.9, 0.98] });
    const s = new OneCycleLR(opt, { maxLr: 0.01, totalSteps: 20, baseMomentum: 0.8, maxMomentum: 0.9 });
    expect(opt.paramGroups[0].betas).toEqual([0.9, 0.98]);
    for (let e = 0; e < 5; e++) s.step();
    // Step 5 is at the peak (phase 1 ends at 0.3·20 − 1 = 5): β1 is at baseMomentum.
    expect(opt.paramGroups[0].betas[0]).toBeCloseTo(0.8, 15);
    expect(opt.paramGroups[0].betas[1]).toBe(0.98);
    expect(s.getLastLr()[0]).toBeCloseTo(0.01, 15);
  });

  it('leaves momentum alone with cycleMomentum false, and needs momentum or betas otherwise', () => {
    const opt = sgd([0.1], 0.7);
    new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10, cycleMomentum: false }).step();
    expect(opt.paramGroups[0].momentum).toBe(0.7);
    const adagrad = new optim.Adagrad([new Parameter(zeros(1))]);
    expect(() => new OneCycleLR(adagrad, { maxLr: 0.1, totalSteps: 10 })).toThrow(/neither momentum nor betas/);
    expect(() => new OneCycleLR(adagrad, { maxLr: 0.1, totalSteps: 10, cycleMomentum: false })).not.toThrow();
  });

  it('throws when stepped past totalSteps, and on missing or mismatched sizes', () => {
    const s = new OneCycleLR(sgd([0.1]), { maxLr: 0.1, totalSteps: 3 });
    for (let e = 0; e < 3; e++) s.step();
    expect(() => s.step()).toThrow(/tried to step 4 times; the cycle has 3 steps/);
    expect(() => new OneCycleLR(sgd([0.1]), { maxLr: 0.1 })).toThrow(/give totalSteps, or both epochs and stepsPerEpoch/);
    expect(() => new OneCycleLR(sgd([0.1, 0.2]), { maxLr: [0.1], totalSteps: 5 })).toThrow(/maxLr has 1 values for 2 parameter groups/);
  });
});

describe('schedulers and optimizers together', () => {
  it('sets the rate the optimizer steps with', () => {
    const p = new Parameter(tensor([0], { dtype: 'float64' }));
    const opt = new optim.SGD([p], { lr: 1 });
    const s = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const moves: number[] = [];
    for (let e = 0; e < 4; e++) {
      const before = p.item();
      p.grad = tensor([1], { dtype: 'float64' });
      opt.step();
      moves.push(before - p.item());
      s.step();
    }
    expect(moves).toEqual([1, 0.5, 0.25, 0.125]);
  });

  it('resumes from a state dict together with the optimizer', () => {
    const run = (resumeAt: number | null): number[] => {
      let opt = sgd([0.1]);
      let s = new CosineAnnealingLR(opt, { tMax: 6, etaMin: 0.01 });
      const lrs: number[] = [];
      for (let e = 0; e < 10; e++) {
        if (e === resumeAt) {
          const saved = { opt: opt.stateDict(), sched: s.stateDict() };
          opt = sgd([0.7]);
          s = new CosineAnnealingLR(opt, { tMax: 6, etaMin: 0.01 });
          opt.loadStateDict(saved.opt);
          s.loadStateDict(saved.sched);
        }
        s.step();
        lrs.push(opt.paramGroups[0].lr);
      }
      return lrs;
    };
    expect(run(4)).toEqual(run(null));
  });

  it('refuses to step when the optimizer gained a group', () => {
    const opt = sgd([0.1]);
    const s = new ExponentialLR(opt, { gamma: 0.5 });
    opt.addParamGroup({ params: [new Parameter(zeros(1))] });
    expect(() => s.step()).toThrow(/the optimizer has 2 parameter groups, the scheduler was made for 1/);
  });
});
