/**
 * Every method of `explain` checks its options (unknown keys, snake_case spellings) and its
 * inputs (x, baseline, background, featureMask, target, f's output), naming the method, before
 * calling the model.
 */
import { describe, expect, it } from 'vitest';
import { explain, randn, tensor, type Tensor } from '../../src/index.js';

const f = (t: Tensor) => t.sum(1, true).mul(tensor([[1, 2]]));
const x = randn([2, 3]);
const background = randn([4, 3]);

type Method = [name: string, run: (opts: Record<string, unknown>, input?: Tensor) => Tensor];
const methods: Method[] = [
  ['explain.saliency', (opts, input = x) => explain.saliency(f, input, opts)],
  ['explain.integratedGradients', (opts, input = x) => explain.integratedGradients(f, input, opts)],
  ['explain.smoothGrad', (opts, input = x) => explain.smoothGrad(f, input, opts)],
  ['explain.shapleyExact', (opts, input = x) => explain.shapleyExact(f, input, { background, ...opts })],
  ['explain.kernelShap', (opts, input = x) => explain.kernelShap(f, input, { background, ...opts })],
  ['explain.lime', (opts, input = x) => explain.lime(f, input, opts)],
];

describe('explain: options and shapes', () => {
  it.each(methods)('%s rejects unknown options, suggesting the camelCase name', (name, run) => {
    expect(() => run({ target: 0, batch_size: 4 })).toThrow(`${name}: unknown option 'batch_size' (did you mean 'batchSize'?)`);
    expect(() => run({ target: 0, batchSize: 0 })).toThrow(`${name}: batchSize must be a positive integer, got 0`);
  });

  it.each(methods)('%s checks x and the target, naming itself', (name, run) => {
    expect(() => run({ target: 0 }, randn([3]))).toThrow(`${name}: x must be a batch [N, …features]`);
    expect(() => run({ target: 0 }, tensor([[1, 2, 3]], { dtype: 'int32' }))).toThrow(`${name}: x must be float32 or float64, got int32`);
    expect(() => run({})).toThrow(`${name}: f returned [`);
    expect(() => run({ target: [0, 1, 1] })).toThrow(`${name}: target has 3 entries for 2 samples`);
    expect(() => run({ target: 2 })).toThrow(`${name}: target class 2 is out of range for f's 2 outputs`);
    expect(() => run({ target: 0.5 })).toThrow(`${name}: target class indices must be non-negative integers, got 0.5`);
    expect(() => run({ target: (y: Tensor) => y })).toThrow(`${name}: the target function must map f's output [`);
    expect(run({ target: 1 }).shape).toEqual([2, 3]);
  });

  it('checks each method\'s own options', () => {
    expect(() => explain.integratedGradients(f, x, { target: 0, steps: 0 })).toThrow('explain.integratedGradients: steps must be a positive integer, got 0');
    expect(() => explain.integratedGradients(f, x, { target: 0, baseline: randn([3, 3]) })).toThrow('explain.integratedGradients: baseline of shape [3,3] does not broadcast to x\'s shape [2,3]');
    expect(() => explain.smoothGrad(f, x, { target: 0, sigma: -1 })).toThrow('explain.smoothGrad: sigma must be a finite number ≥ 0, got -1');
    expect(() => explain.smoothGrad(f, x, { target: 0, samples: 1.5 })).toThrow('explain.smoothGrad: samples must be a positive integer, got 1.5');
    expect(() => explain.kernelShap(f, x, { target: 0, background: randn([4, 2]) })).toThrow('explain.kernelShap: background must have shape [B,3] (B ≥ 1 rows shaped as a sample of x), got [4,2]');
    expect(() => explain.shapleyExact(f, x, { target: 0, background: randn([4, 3]), featureMask: tensor([0, 1]) })).toThrow('explain.shapleyExact: featureMask of shape [2] does not broadcast to a sample\'s shape [3]');
    expect(() => explain.shapleyExact(f, x, { target: 0, background: randn([4, 3]), featureMask: tensor([0, 0.5, 1]) })).toThrow('explain.shapleyExact: featureMask must hold integer group ids, got 0.5');
    expect(() => explain.shapleyExact(f, x, undefined as never)).toThrow('explain.shapleyExact: options with a background tensor are required');
    expect(() => explain.lime(f, x, { target: 0, distance: 'manhattan' as never })).toThrow("explain.lime: distance must be 'cosine' or 'euclidean', got 'manhattan'");
    expect(() => explain.lime(f, x, { target: 0, kernelWidth: 0 })).toThrow('explain.lime: kernelWidth must be a positive number, got 0');
    expect(() => explain.lime(f, x, { target: 0, alpha: -1 })).toThrow('explain.lime: alpha must be a finite number ≥ 0, got -1');
    expect(() => explain.lime(f, x, { target: 0, samples: 1 })).toThrow('explain.lime: samples must be an integer ≥ 2, got 1');
    expect(() => explain.saliency((t) => t.sum(), x)).toThrow('explain.saliency: f must map a batch [2,3] to outputs with 2 rows, got []');
  });

  it('accepts a [1, …features] feature mask and one broadcast over channels', () => {
    const images = randn([1, 2, 4, 4]);
    const g = (t: Tensor) => t.sum([1, 2, 3]);
    const bg = randn([2, 2, 4, 4]);
    const a = explain.kernelShap(g, images, { background: bg, featureMask: explain.gridMask(4, 4, 2), samples: 50 });
    const b = explain.kernelShap(g, images, { background: bg, featureMask: explain.gridMask(4, 4, 2).reshape(1, 1, 4, 4), samples: 50 });
    expect(a.shape).toEqual([1, 2, 4, 4]);
    expect(Array.from(a.toTypedArray())).toEqual(Array.from(b.toTypedArray()));
    // both channels of a cell carry the cell's one value
    expect(a.narrow(1, 0, 1).sub(a.narrow(1, 1, 1)).abs().max().item()).toBe(0);
  });
});
