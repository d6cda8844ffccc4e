import { beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, enableGrad, grad, gradcheck, manualSeed, nn, randn, tensor } from '../../src/index.js';
import { gradcheckModule, maxAbsDiff, stateDictShapes, toFloat64 } from './helpers.js';

beforeEach(() => manualSeed(23));

/** Per-channel mean and biased/unbiased variances of x (N, C, *) by plain loops. */
function channelStats(x: number[], shape: readonly number[]): { mean: number[]; biased: number[]; unbiased: number[] } {
  const [N, C] = shape;
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const mean: number[] = [], biased: number[] = [], unbiased: number[] = [];
  for (let c = 0; c < C; c++) {
    const vals: number[] = [];
    for (let n = 0; n < N; n++) for (let i = 0; i < inner; i++) vals.push(x[(n * C + c) * inner + i]);
    const m = vals.reduce((a, b) => a + b, 0) / vals.length;
    const ss = vals.reduce((a, b) => a + (b - m) ** 2, 0);
    mean.push(m);
    biased.push(ss / vals.length);
    unbiased.push(ss / (vals.length - 1));
  }
  return { mean, biased, unbiased };
}

/** (x − mean)/√(var + eps)·w + b per channel. */
function normalise(x: number[], shape: readonly number[], mean: number[], variance: number[], w: number[], b: number[], eps = 1e-5): number[] {
  const C = shape[1];
  const inner = shape.slice(2).reduce((a, v) => a * v, 1);
  return x.map((v, i) => {
    const c = Math.floor(i / inner) % C;
    return ((v - mean[c]) / Math.sqrt(variance[c] + eps)) * w[c] + b[c];
  });
}

describe('BatchNorm', () => {
  it('has PyTorch keys, shapes and dtypes (num_batches_tracked is a 0-d integer)', () => {
    const bn = new nn.BatchNorm2d(3);
    expect(stateDictShapes(bn)).toEqual([['weight', [3]], ['bias', [3]], ['running_mean', [3]], ['running_var', [3]], ['num_batches_tracked', []]]);
    expect(bn.stateDict().num_batches_tracked.dtype).toBe('int32');
    expect(bn.stateDict().running_var.toArray()).toEqual([1, 1, 1]);
    expect(stateDictShapes(new nn.BatchNorm1d(2, { affine: false, trackRunningStats: false }))).toEqual([]);
    expect(bn.toString()).toBe('BatchNorm2d(3, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)');
    const net = new nn.Sequential(new nn.Conv2d(1, 3, 3), new nn.BatchNorm2d(3));
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']);
  });

  it('trains with batch statistics, updates running stats with the unbiased variance, and evaluates with them', () => {
    const bn = toFloat64(new nn.BatchNorm2d(3, { momentum: 0.3 }));
    const w = [0.5, 2, -1], b = [0.1, 0, 3];
    bn.loadStateDict({ ...bn.stateDict(), weight: tensor(w, { dtype: 'float64' }), bias: tensor(b, { dtype: 'float64' }) });
    const x = randn([4, 3, 2, 3], { dtype: 'float64' }).mul(2).add(1);
    const xs = [...x.data()];
    const st = channelStats(xs, x.shape);
    const y = bn.forward(x);
    expect(maxAbsDiff(y, tensor(normalise(xs, x.shape, st.mean, st.biased, w, b), { dtype: 'float64' }).reshape([...x.shape]))).toBeLessThan(1e-12);
    const rm = st.mean.map((m) => 0.3 * m);
    const rv = st.unbiased.map((v) => 0.7 + 0.3 * v);
    expect(maxAbsDiff(bn.getBuffer('running_mean')!, tensor(rm, { dtype: 'float64' }))).toBeLessThan(1e-14);
    expect(maxAbsDiff(bn.getBuffer('running_var')!, tensor(rv, { dtype: 'float64' }))).toBeLessThan(1e-14);
    expect(bn.getBuffer('num_batches_tracked')!.item()).toBe(1);
    bn.eval();
    const x2 = randn([2, 3, 2, 2], { dtype: 'float64' });
    const ye = bn.forward(x2);
    expect(maxAbsDiff(ye, tensor(normalise([...x2.data()], x2.shape, rm, rv, w, b), { dtype: 'float64' }).reshape([...x2.shape]))).toBeLessThan(1e-12);
    expect(bn.getBuffer('num_batches_tracked')!.item()).toBe(1);
  });

  it('with momentum null keeps the cumulative average of the batch statistics', () => {
    const bn = toFloat64(new nn.BatchNorm1d(2, { momentum: null }));
    const batches = [randn([5, 2], { dtype: 'float64' }), randn([5, 2], { dtype: 'float64' }).add(3), randn([5, 2], { dtype: 'float64' }).mul(2)];
    for (const x of batches) bn.forward(x);
    const stats = batches.map((x) => channelStats([...x.data()], x.shape));
    const avg = (f: (s: (typeof stats)[0]) => number[]) => [0, 1].map((c) => stats.reduce((a, s) => a + f(s)[c], 0) / 3);
    // running_var starts at 1, but with factor 1/1 the first batch replaces it entirely.
    expect(maxAbsDiff(bn.getBuffer('running_mean')!, tensor(avg((s) => s.mean), { dtype: 'float64' }))).toBeLessThan(1e-12);
    expect(maxAbsDiff(bn.getBuffer('running_var')!, tensor(avg((s) => s.unbiased), { dtype: 'float64' }))).toBeLessThan(1e-12);
    expect(bn.getBuffer('num_batches_tracked')!.item()).toBe(3);
  });

  it('without running stats uses batch statistics in eval too', () => {
    const bn = toFloat64(new nn.BatchNorm1d(3, { trackRunningStats: false })).eval();
    const x = randn([4, 3, 5], { dtype: 'float64' });
    const st = channelStats([...x.data()], x.shape);
    expect(maxAbsDiff(bn.forward(x), tensor(normalise([...x.data()], x.shape, st.mean, st.biased, [1, 1, 1], [0, 0, 0]), { dtype: 'float64' }).reshape([4, 3, 5]))).toBeLessThan(1e-12);
  });

  it('passes gradcheck in train and eval', () => {
    const bn = toFloat64(new nn.BatchNorm1d(2));
    bn.loadStateDict({ ...bn.stateDict(), weight: tensor([1.5, -0.5], { dtype: 'float64' }), running_mean: tensor([0.2, -0.1], { dtype: 'float64' }) });
    const x = randn([3, 2, 2], { dtype: 'float64' }).requiresGrad_();
    gradcheckModule(bn, [x], (xi) => bn.forward(xi));
    bn.eval();
    gradcheckModule(bn, [x], (xi) => bn.forward(xi));
    const bn2 = toFloat64(new nn.BatchNorm2d(2));
    const x2 = randn([2, 2, 2, 2], { dtype: 'float64' }).requiresGrad_();
    gradcheckModule(bn2, [x2], (xi) => bn2.forward(xi));
  });

  it('training mode: the fused loop and the recorded backward agree, and second derivatives are exact', () => {
    const x = randn([3, 2, 2, 3], { dtype: 'float64' }).requiresGrad_();
    const w = randn([2], { dtype: 'float64' }).requiresGrad_();
    const b = randn([2], { dtype: 'float64' }).requiresGrad_();
    const v = randn([3, 2, 2, 3], { dtype: 'float64' });
    const F = nn.functional;
    const loss = (xi = x, wi = w) => F.batchNorm(xi, null, null, { weight: wi, bias: b, training: true }).mul(v).sum();
    const plain = grad(loss(), [x, w, b]);
    const recorded = grad(loss(), [x, w, b], { createGraph: true });
    plain.forEach((g, i) => expect(maxAbsDiff(g!, recorded[i]!.detach())).toBeLessThan(1e-12));
    // ∂/∂(x, w) of ‖∂L/∂x‖² + ‖∂L/∂w‖² goes through the recorded backward.
    const second = (xi: typeof x, wi: typeof w) => enableGrad(() => {
      const [gx, gw] = grad(loss(xi, wi), [xi, wi], { createGraph: true });
      return gx!.mul(gx!).sum().add(gw!.mul(gw!).sum());
    });
    expect(gradcheck(second, [x, w])).toBe(true);
  });

  it('float32 training matches the float64 formula on a non-contiguous input', () => {
    const base = randn([4, 6, 3, 5]);
    const x = base.transpose(2, 3); // [4, 6, 5, 3], not contiguous
    const out = nn.functional.batchNorm(x, null, null, { training: true });
    const xs = Array.from(x.contiguous().data());
    const { mean, biased } = channelStats(xs, x.shape);
    const expected = normalise(xs, x.shape, mean, biased, new Array(6).fill(1), new Array(6).fill(0));
    expect(maxAbsDiff(out, tensor(expected).reshape([...x.shape]))).toBeLessThan(1e-4);
  });

  it('names the module on bad input and changes no state', () => {
    const bn = new nn.BatchNorm2d(3);
    expect(() => bn.forward(randn([2, 4, 2, 2]))).toThrow('BatchNorm2d: expected input with 3 channels, got shape [2,4,2,2]');
    expect(() => bn.forward(randn([2, 3, 2]))).toThrow('BatchNorm2d: expected a 4-d input, got shape [2,3,2]');
    expect(() => new nn.BatchNorm1d(3).forward(randn([1, 3]))).toThrow(ShapeError);
    expect(bn.getBuffer('num_batches_tracked')!.item()).toBe(0);
    expect(() => bn.loadStateDict({ ...bn.stateDict(), running_mean: randn([4]) })).toThrow(/size mismatch for running_mean/);
  });
});
