/**
 * InstanceNorm1d/2d and functional instanceNorm: forward against a float64 loop reference,
 * running statistics (PyTorch's update rule and state-dict names), gradcheck, errors.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, gradcheck, manualSeed, nn, randn, tensor } from '../../src/index.js';
import { gradcheckModule, maxAbsDiff, stateDictShapes, toFloat64 } from './helpers.js';
import { planeStats } from './norm-reference.js';

beforeEach(() => manualSeed(37));
const F = nn.functional;
const f64 = { dtype: 'float64' as const };

/** (x − μ_nc)/√(σ²_nc + eps)·γ_c + β_c with each plane's own statistics. */
function instanceRef(x: number[], shape: readonly number[], w: number[] | null, b: number[] | null, eps = 1e-5): number[] {
  const C = shape[1];
  const S = shape.slice(2).reduce((a, v) => a * v, 1);
  const st = planeStats(x, shape);
  return x.map((v, i) => {
    const plane = Math.floor(i / S), c = plane % C;
    const { mean, biased } = st[Math.floor(plane / C)][c];
    return ((v - mean) / Math.sqrt(biased + eps)) * (w ? w[c] : 1) + (b ? b[c] : 0);
  });
}

describe('InstanceNorm', () => {
  it('has PyTorch keys: none by default, weight/bias with affine, running stats only when tracked', () => {
    expect(stateDictShapes(new nn.InstanceNorm2d(3))).toEqual([]);
    expect(stateDictShapes(new nn.InstanceNorm1d(3, { affine: true }))).toEqual([['weight', [3]], ['bias', [3]]]);
    const tracked = new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true });
    expect(stateDictShapes(tracked)).toEqual([['weight', [3]], ['bias', [3]], ['running_mean', [3]], ['running_var', [3]], ['num_batches_tracked', []]]);
    expect(tracked.stateDict().num_batches_tracked.dtype).toBe('int32');
    expect(new nn.InstanceNorm1d(4).toString()).toBe('InstanceNorm1d(4, eps=0.00001, momentum=0.1, affine=false, trackRunningStats=false)');
  });

  it('normalises each (sample, channel) plane as the reference, batched and unbatched', () => {
    const x = randn([3, 2, 7], f64).mul(3).add(1);
    expect(maxAbsDiff(new nn.InstanceNorm1d(2).forward(x), tensor(instanceRef([...x.data()], x.shape, null, null), f64).reshape([3, 2, 7]))).toBeLessThan(1e-12);
    const m = toFloat64(new nn.InstanceNorm2d(3, { affine: true, eps: 1e-3 }));
    const w = [2, -1, 0.5], b = [0, 1, -2];
    m.loadStateDict({ weight: tensor(w, f64), bias: tensor(b, f64) });
    const x2 = randn([2, 3, 4, 3], f64);
    expect(maxAbsDiff(m.forward(x2), tensor(instanceRef([...x2.data()], x2.shape, w, b, 1e-3), f64).reshape([2, 3, 4, 3]))).toBeLessThan(1e-12);
    // Unbatched (C, H, W) is the batched result of its single sample.
    const one = x2.narrow(0, 1, 1);
    expect(maxAbsDiff(m.forward(one.squeeze(0)), m.forward(one).squeeze(0))).toBe(0);
    // Without affine or tracking, numFeatures is not used (as in PyTorch).
    expect(new nn.InstanceNorm1d(5).forward(randn([2, 3, 4])).shape).toEqual([2, 3, 4]);
  });

  it('tracks running statistics in training (batch mean of plane stats, unbiased variance) and uses them in eval', () => {
    const m = toFloat64(new nn.InstanceNorm1d(2, { trackRunningStats: true, momentum: 0.25 }));
    const x = randn([3, 2, 5], f64).mul(2).add(1);
    const st = planeStats([...x.data()], x.shape);
    const y = m.forward(x);
    expect(maxAbsDiff(y, tensor(instanceRef([...x.data()], x.shape, null, null), f64).reshape([3, 2, 5]))).toBeLessThan(1e-12);
    const avg = (f: (s: (typeof st)[0][0]) => number) => [0, 1].map((c) => st.reduce((a, row) => a + f(row[c]), 0) / 3);
    const rm = avg((s) => s.mean).map((v) => 0.25 * v);
    const rv = avg((s) => s.unbiased).map((v) => 0.75 + 0.25 * v);
    expect(maxAbsDiff(m.getBuffer('running_mean')!, tensor(rm, f64))).toBeLessThan(1e-14);
    expect(maxAbsDiff(m.getBuffer('running_var')!, tensor(rv, f64))).toBeLessThan(1e-14);
    expect(m.getBuffer('num_batches_tracked')!.item()).toBe(0);
    m.eval();
    const x2 = randn([2, 2, 4], f64);
    const expected = [...x2.data()].map((v, i) => (v - rm[Math.floor(i / 4) % 2]) / Math.sqrt(rv[Math.floor(i / 4) % 2] + 1e-5));
    expect(maxAbsDiff(m.forward(x2), tensor(expected, f64).reshape([2, 2, 4]))).toBeLessThan(1e-12);
    expect(maxAbsDiff(m.getBuffer('running_mean')!, tensor(rm, f64))).toBe(0);
    // Without tracking, eval still uses the input statistics.
    const plain = new nn.InstanceNorm1d(2).eval();
    expect(maxAbsDiff(plain.forward(x2.float()), tensor(instanceRef([...x2.data()], x2.shape, null, null)).reshape([2, 2, 4]))).toBeLessThan(1e-5);
  });

  it('passes gradcheck in train and eval, and on a non-contiguous input', () => {
    const m = toFloat64(new nn.InstanceNorm2d(2, { affine: true, trackRunningStats: true }));
    m.loadStateDict({ ...m.stateDict(), weight: tensor([1.5, -0.5], f64), running_var: tensor([0.5, 2], f64) });
    const x = randn([2, 2, 2, 3], f64).requiresGrad_();
    gradcheckModule(m, [x], (xi) => m.forward(xi));
    m.eval();
    gradcheckModule(m, [x], (xi) => m.forward(xi));
    const base = randn([4, 2, 3], f64).requiresGrad_();
    const b = randn([2], f64).requiresGrad_();
    expect(gradcheck((xi, bi) => F.instanceNorm(xi.transpose(0, 2), { bias: bi }), [base, b])).toBe(true);
  });

  it('names the op on bad input and bad options, changing no state', () => {
    const m = new nn.InstanceNorm2d(3, { trackRunningStats: true });
    expect(() => m.forward(randn([2, 4, 2, 2]))).toThrow('InstanceNorm2d: expected input with 3 channels, got shape [2,4,2,2]');
    expect(() => m.forward(randn([2, 3]))).toThrow('InstanceNorm2d: expected a 3-d (unbatched) or 4-d (batched) input, got shape [2,3]');
    expect(() => m.forward(randn([2, 3, 1, 1]))).toThrow(/InstanceNorm2d: expected more than 1 spatial element/);
    expect(m.getBuffer('running_mean')!.toArray()).toEqual([0, 0, 0]);
    expect(() => new nn.InstanceNorm1d(3, { track_running_stats: true } as never)).toThrow(/InstanceNorm1d: unknown option 'track_running_stats' \(did you mean 'trackRunningStats'\?\)/);
    expect(() => new nn.InstanceNorm1d(3, 1e-5 as never)).toThrow(/InstanceNorm1d: expected an options object/);
    expect(() => new nn.InstanceNorm1d(0)).toThrow(ShapeError);
    expect(() => F.instanceNorm(randn([2, 3]))).toThrow(/instanceNorm: expected an input of at least 3 dims/);
    expect(() => F.instanceNorm(randn([2, 3, 4]), { weight: randn([2]) })).toThrow(/instanceNorm: weight of shape \[2\]/);
    expect(() => F.instanceNorm(randn([2, 3, 4]), { useInputStats: false })).toThrow(/needs runningMean and runningVar/);
    expect(() => F.instanceNorm(randn([2, 3, 4]), { use_input_stats: false } as never)).toThrow(/did you mean 'useInputStats'/);
  });
});
