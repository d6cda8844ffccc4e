import { beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, manualSeed, nn, randn, tensor } from '../../src/index.js';
import { gradcheckModule, maxAbsDiff, moments, stateDictShapes, toFloat64 } from './helpers.js';

beforeEach(() => manualSeed(7));

describe('Linear', () => {
  it('has PyTorch keys, shapes and printing', () => {
    const fc = new nn.Linear(4, 3);
    expect(stateDictShapes(fc)).toEqual([['weight', [3, 4]], ['bias', [3]]]);
    expect(stateDictShapes(new nn.Linear(4, 3, { bias: false }))).toEqual([['weight', [3, 4]]]);
    expect(fc.toString()).toBe('Linear(inFeatures=4, outFeatures=3, bias=true)');
    expect(fc.numParameters()).toBe(15);
  });

  it('computes x·Wᵀ + b over leading dims', () => {
    const fc = new nn.Linear(3, 2);
    const x = randn([2, 5, 3]);
    const y = fc.forward(x);
    expect(y.shape).toEqual([2, 5, 2]);
    const w = fc.weight.toArray() as number[][];
    const b = fc.bias!.toArray() as number[];
    const xs = x.toArray() as number[][][];
    const expected = xs.map((plane) => plane.map((row) => w.map((wr, o) => wr.reduce((s, v, i) => s + v * row[i], b[o]))));
    expect(maxAbsDiff(y, tensor(expected))).toBeLessThan(1e-5);
  });

  it('initialises weight and bias in U(−1/√in, 1/√in)', () => {
    const fc = new nn.Linear(64, 256);
    const bound = 1 / 8;
    const w = moments(fc.weight);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    // U(−b, b) has std b/√3; with 16384 samples the estimate is within a few percent.
    expect(w.std).toBeCloseTo(bound / Math.sqrt(3), 2);
    expect(w.max).toBeGreaterThan(0.95 * bound);
    const b = moments(fc.bias!);
    expect(Math.max(-b.min, b.max)).toBeLessThanOrEqual(bound);
  });

  it('passes gradcheck in float64', () => {
    const fc = toFloat64(new nn.Linear(3, 2));
    const x = randn([4, 3], { dtype: 'float64' }).requiresGrad_();
    gradcheckModule(fc, [x], (xi) => fc.forward(xi));
  });

  it('lays the weight gradient out like the weight (contiguous [out, in]), with the right values', () => {
    const fc = new nn.Linear(5, 3);
    const x = randn([4, 5]);
    fc.forward(x).sum().backward();
    const grad = fc.weight.grad!;
    expect(grad.shape).toEqual([3, 5]);
    expect(grad.isContiguous()).toBe(true);
    // loss = Σ y  ⇒  ∂L/∂W[o, i] = Σ_b x[b, i] for every output o.
    const columnSums = (x.toArray() as number[][]).reduce((acc, row) => acc.map((v, i) => v + row[i]), [0, 0, 0, 0, 0]);
    expect(maxAbsDiff(grad, tensor([columnSums, columnSums, columnSums]))).toBeLessThan(1e-5);
  });

  it('names the module and shape when the input is wrong', () => {
    const fc = new nn.Linear(4, 2);
    expect(() => fc.forward(randn([2, 3]))).toThrow(ShapeError);
    expect(() => fc.forward(randn([2, 3]))).toThrow('Linear: expected input with last dim 4, got shape [2,3]');
  });

  it('loads a state dict and rejects a mismatched shape', () => {
    const a = new nn.Linear(3, 2);
    const b = new nn.Linear(3, 2);
    b.loadStateDict(a.stateDict());
    expect(maxAbsDiff(a.weight, b.weight)).toBe(0);
    expect(() => b.loadStateDict({ weight: randn([3, 3]), bias: randn([2]) })).toThrow('loadStateDict: error loading state_dict for Linear: size mismatch for weight: copying a param with shape [3,3], the shape in the current model is [2,3]');
  });
});
