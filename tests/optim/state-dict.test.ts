/**
 * Optimizer state dicts: saving mid-training and loading into a freshly built optimizer over
 * fresh parameters resumes bit for bit; the dict is a snapshot; a dict that does not fit throws
 * and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { Parameter, ShapeError, optim, tensor, type Tensor } from '../../src/index.js';
import { backwardQuadratic, type Quadratic } from './helpers.js';

type AnyOptimizer = optim.Optimizer<optim.ParamGroup, unknown>;

const qa: Quadratic = { theta0: [1, -2, 0.5, 0.25], a: [1, 2, 3, 0.5], c: [0.1, 0, -0.1, 0.3] };
const qb: Quadratic = { theta0: [0.3, 0.7, -0.9], a: [0.5, 1.5, 2], c: [-0.2, 0.4, 0.1] };

/** Every optimizer, with options that make every state buffer it has, over two groups. */
const makers: [string, (a: Tensor, b: Tensor) => AnyOptimizer][] = [
  ['SGD', (a, b) => new optim.SGD([{ params: [a] }, { params: [b], nesterov: true, dampening: 0 }], { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 })],
  ['Adam', (a, b) => new optim.Adam([{ params: [a] }, { params: [b], lr: 0.02 }], { lr: 0.05, amsgrad: true, weightDecay: 0.01 })],
  ['AdamW', (a, b) => new optim.AdamW([{ params: [a] }, { params: [b], amsgrad: true }], { lr: 0.05 })],
  ['RMSprop', (a, b) => new optim.RMSprop([{ params: [a] }, { params: [b], momentum: 0.5 }], { lr: 0.01, centered: true, momentum: 0.9 })],
  ['Adagrad', (a, b) => new optim.Adagrad([{ params: [a] }, { params: [b], lrDecay: 0.1 }], { lr: 0.1, initialAccumulatorValue: 0.1 })],
];

function train(opt: AnyOptimizer, a: Tensor, b: Tensor, steps: number): void {
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    backwardQuadratic(a, qa);
    backwardQuadratic(b, qb);
    opt.step();
  }
}

const fresh = (q: Quadratic) => new Parameter(tensor(q.theta0));
const copyOf = (p: Tensor) => new Parameter(tensor(p.toTypedArray()));

describe.each(makers)('%s state dict', (_name, make) => {
  it('resumes exactly: save after 3 steps, load into a new optimizer, 4 more steps match', () => {
    const a = fresh(qa);
    const b = fresh(qb);
    const opt = make(a, b);
    train(opt, a, b, 3);
    opt.paramGroups[0].lr *= 0.5; // an option changed by hand must travel too
    const saved = opt.stateDict();

    const a2 = copyOf(a);
    const b2 = copyOf(b);
    const opt2 = make(a2, b2);
    opt2.loadStateDict(saved);
    expect(opt2.paramGroups.map((g) => g.lr)).toEqual(opt.paramGroups.map((g) => g.lr));

    train(opt, a, b, 4);
    train(opt2, a2, b2, 4);
    expect(Array.from(a2.toTypedArray())).toEqual(Array.from(a.toTypedArray()));
    expect(Array.from(b2.toTypedArray())).toEqual(Array.from(b.toTypedArray()));
  });

  it('refers to parameters by position and is a snapshot that later steps do not change', () => {
    const a = fresh(qa);
    const b = fresh(qb);
    const opt = make(a, b);
    train(opt, a, b, 2);
    const saved = opt.stateDict();
    expect(saved.paramGroups.map((g) => g.params)).toEqual([[0], [1]]);
    expect(Object.keys(saved.state)).toEqual(['0', '1']);
    const before = JSON.stringify(Object.values(saved.state).map((s) => Object.values(s).map((v) => (typeof v === 'number' ? v : v.toArray()))));
    train(opt, a, b, 2);
    const after = JSON.stringify(Object.values(saved.state).map((s) => Object.values(s).map((v) => (typeof v === 'number' ? v : v.toArray()))));
    expect(after).toEqual(before);
  });

  it('throws on a dict that does not fit, leaving the optimizer as it was', () => {
    const a = fresh(qa);
    const b = fresh(qb);
    const opt = make(a, b);
    train(opt, a, b, 2);
    const saved = opt.stateDict();
    const other = make(new Parameter(tensor([1, 2])), new Parameter(tensor([1, 2, 3])));
    train(other, fresh(qa), fresh(qb), 0);
    const lrBefore = other.paramGroups.map((g) => g.lr);
    other.paramGroups[0].lr = 123;
    expect(() => other.loadStateDict(saved)).toThrow(ShapeError);
    expect(() => other.loadStateDict(saved)).toThrow(/parameter 0: state '\w+' has shape \[4\], the parameter \[2\]/);
    expect(other.paramGroups[0].lr).toBe(123);
    expect(other.paramGroups[1].lr).toBe(lrBefore[1]);
    expect(other.state.size).toBe(0);

    const oneGroup = { ...saved, paramGroups: saved.paramGroups.slice(0, 1) };
    expect(() => opt.loadStateDict(oneGroup)).toThrow(/the state dict has 1 parameter groups, the optimizer 2/);
  });
});

describe('state dict contents', () => {
  it('holds PyTorch-like per-parameter entries with camelCase names', () => {
    const a = fresh(qa);
    const opt = new optim.Adam([a], { amsgrad: true });
    train(opt, a, fresh(qb), 1);
    const s = opt.stateDict().state[0];
    expect(Object.keys(s).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq', 'step']);
    expect(s.step).toBe(1);
    expect(opt.stateDict().paramGroups[0]).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], amsgrad: true, params: [0] });
  });

  it('rejects group options of the wrong form', () => {
    const a = fresh(qa);
    const opt = new optim.SGD([a], { lr: 0.1 });
    const saved = opt.stateDict();
    saved.paramGroups[0].momentum = true;
    expect(() => opt.loadStateDict(saved)).toThrow(/option 'momentum'/);
  });
});
