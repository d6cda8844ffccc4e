/**
 * What every optimizer shares: parameter groups with live options, gradients cleared to null,
 * parameters without gradients left alone, state kept in the optimizer, non-contiguous parameters,
 * the step closure, the version bump, PyTorch's defaults, and the errors for bad input.
 */
import { describe, expect, it } from 'vitest';
import { AutogradError, DTypeError, Parameter, optim, tensor, zeros, type Tensor } from '../../src/index.js';
import { backwardQuadratic, expectTrajectoriesClose, quadraticGrad, type Quadratic } from './helpers.js';
import { adamReference, sgdReference, type RefStep, type Vec } from './reference.js';

const values = (t: Tensor): number[] => Array.from(t.toTypedArray());

describe('parameter groups', () => {
  const qa: Quadratic = { theta0: [1, -2, 0.5], a: [1, 2, 3], c: [0.1, 0, -0.1] };
  const qb: Quadratic = { theta0: [0.3, 0.7], a: [0.5, 1.5], c: [-0.2, 0.4] };

  it('gives each group its own options, the defaults filling what a group leaves out', () => {
    const pa = new Parameter(tensor(qa.theta0, { dtype: 'float64' }));
    const pb = new Parameter(tensor(qb.theta0, { dtype: 'float64' }));
    const opt = new optim.SGD([{ params: [pa] }, { params: [pb], lr: 0.05, nesterov: true }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum, g.nesterov])).toEqual([[0.1, 0.9, false], [0.05, 0.9, true]]);
    const refA = sgdReference({ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    const refB = sgdReference({ lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: true, maximize: false });
    let ta: Vec = qa.theta0;
    let tb: Vec = qb.theta0;
    for (let s = 0; s < 5; s++) {
      opt.zeroGrad();
      backwardQuadratic(pa, qa);
      backwardQuadratic(pb, qb);
      opt.step();
      ta = refA(ta, quadraticGrad(ta, qa));
      tb = refB(tb, quadraticGrad(tb, qb));
      expectTrajectoriesClose([values(pa), values(pb)], [ta, tb], 1e-12);
    }
  });

  it('reads the learning rate live: a change between steps takes effect at the next one', () => {
    const p = new Parameter(tensor([1, 2, 3], { dtype: 'float64' }));
    const opt = new optim.SGD([p], { lr: 0.1 });
    p.grad = tensor([1, 1, 1], { dtype: 'float64' });
    opt.step();
    opt.paramGroups[0].lr = 0.5;
    opt.step();
    expect(values(p)).toEqual([1 - 0.1 - 0.5, 2 - 0.1 - 0.5, 3 - 0.1 - 0.5]);
  });

  it('adds a group later with addParamGroup', () => {
    const a = new Parameter(zeros(2));
    const b = new Parameter(zeros(3));
    const opt = new optim.Adam([a], { lr: 0.01 });
    opt.addParamGroup({ params: [b], lr: 0.1, amsgrad: true });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.1, amsgrad: true, betas: [0.9, 0.999] });
  });
});

describe('gradients and state', () => {
  it('zeroGrad sets every gradient to null', () => {
    const a = new Parameter(zeros(2));
    const b = new Parameter(zeros(3));
    const opt = new optim.SGD([{ params: [a] }, { params: [b] }], { lr: 0.1 });
    a.grad = zeros(2);
    b.grad = zeros(3);
    opt.zeroGrad();
    expect([a.grad, b.grad]).toEqual([null, null]);
  });

  it('leaves parameters without a gradient untouched and makes no state for them', () => {
    const a = new Parameter(tensor([1, 2]));
    const b = new Parameter(tensor([3, 4]));
    const opt = new optim.Adam([a, b], { lr: 0.1 });
    a.grad = tensor([1, -1]);
    opt.step();
    expect(values(b)).toEqual([3, 4]);
    expect(opt.state.has(a)).toBe(true);
    expect(opt.state.has(b)).toBe(false);
  });

  it('keeps the state in the optimizer, keyed by parameter, and nothing on the tensor', () => {
    const p = new Parameter(tensor([1, 2, 3]));
    const keys = Object.keys(p).sort();
    const opt = new optim.RMSprop([p], { momentum: 0.9, centered: true });
    p.grad = tensor([0.1, 0.2, 0.3]);
    opt.step();
    expect(Object.keys(p).sort()).toEqual(keys);
    const s = opt.state.get(p);
    expect(s?.step).toBe(1);
    expect(s?.squareAvg.shape).toEqual([3]);
    expect(s?.momentumBuffer).not.toBeNull();
    expect(s?.gradAvg).not.toBeNull();
  });

  it('updates a parameter that is a non-contiguous view, writing through to its storage', () => {
    const base = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
    const p = new Parameter(base.T);
    expect(p.isContiguous()).toBe(false);
    const opt = new optim.SGD([p], { lr: 0.5 });
    p.grad = tensor([[1, 0], [0, 2], [4, 0]], { dtype: 'float64' });
    opt.step();
    expect(p.toArray()).toEqual([[0.5, 4], [2, 4], [1, 6]]);
    expect(base.toArray()).toEqual([[0.5, 2, 1], [4, 4, 6]]);
  });

  it('bumps the version, so a backward through a graph that saved the old value throws', () => {
    const p = new Parameter(tensor([1, 2]));
    const loss = p.mul(p).sum();
    const opt = new optim.SGD([p], { lr: 0.1 });
    p.grad = tensor([1, 1]);
    opt.step();
    expect(() => loss.backward()).toThrow(AutogradError);
  });

  it('runs a closure with grad mode on and returns its loss', () => {
    const q: Quadratic = { theta0: [1, -1], a: [2, 1], c: [0, 0.5] };
    const p = new Parameter(tensor(q.theta0, { dtype: 'float64' }));
    const opt = new optim.Adam([p], { lr: 0.1 });
    const ref: RefStep = adamReference({ lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupled: false });
    let losses = 0;
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = p.mul(p).mul(tensor(q.a, { dtype: 'float64' })).mul(0.5).add(p.mul(tensor(q.c, { dtype: 'float64' }))).sum();
      l.backward();
      losses++;
      return l;
    });
    expect(losses).toBe(1);
    expect(loss?.item()).toBeCloseTo(0.5 * 2 + 0.5 * 1 - 0.5, 12);
    expectTrajectoriesClose([values(p)], [ref(q.theta0, quadraticGrad(q.theta0, q))], 1e-12);
  });
});

describe('defaults (PyTorch’s)', () => {
  const p = () => [new Parameter(zeros(1))];
  it('has the documented defaults for every optimizer', () => {
    expect(new optim.SGD(p()).paramGroups[0]).toMatchObject({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(new optim.Adam(p()).paramGroups[0]).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(new optim.AdamW(p()).paramGroups[0]).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false });
    expect(new optim.RMSprop(p()).paramGroups[0]).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false });
    expect(new optim.Adagrad(p()).paramGroups[0]).toMatchObject({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
  });
});

describe('bad input', () => {
  const p = () => new Parameter(zeros(2));
  it('rejects out-of-range options, naming the optimizer and the option', () => {
    expect(() => new optim.SGD([p()], { lr: -1 })).toThrow(/SGD: invalid lr -1/);
    expect(() => new optim.SGD([p()], { lr: 0.1, nesterov: true })).toThrow(/Nesterov momentum requires a momentum > 0/);
    expect(() => new optim.Adam([p()], { betas: [1, 0.999] })).toThrow(/Adam: invalid betas\[0\] 1/);
    expect(() => new optim.AdamW([p()], { eps: -1e-8 })).toThrow(/AdamW: invalid eps/);
    expect(() => new optim.RMSprop([p()], { alpha: Number.NaN })).toThrow(/RMSprop: invalid alpha NaN/);
    expect(() => new optim.Adagrad([p()], { lrDecay: -0.1 })).toThrow(/Adagrad: invalid lrDecay/);
    expect(() => new optim.SGD([{ params: [p()], momentum: -0.5 }], { lr: 0.1 })).toThrow(RangeError);
  });

  it('rejects an empty list, repeated parameters, non-leaves, integer tensors and unknown group options', () => {
    const a = p();
    expect(() => new optim.SGD([])).toThrow(/empty parameter list/);
    expect(() => new optim.SGD([a, a])).toThrow(/appears more than once/);
    expect(() => new optim.SGD([{ params: [a] }, { params: [a] }])).toThrow(/appears more than once/);
    expect(() => new optim.SGD([a.mul(2)])).toThrow(AutogradError);
    expect(() => new optim.SGD([tensor([1, 2], { dtype: 'int32' })])).toThrow(DTypeError);
    expect(() => new optim.SGD([{ params: [a], betas: [0.9, 0.99] } as unknown as { params: Tensor[] }])).toThrow(/unknown option 'betas'/);
  });

  it('rejects a gradient whose size does not match its parameter', () => {
    const a = p();
    const opt = new optim.SGD([a], { lr: 0.1 });
    a.grad = zeros(3);
    expect(() => opt.step()).toThrow(/gradient of shape \[3\] does not match its parameter's shape \[2\]/);
  });
});
