import { beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, enableGrad, grad, gradcheck, manualSeed, nn, noGrad, randn, tensor } from '../../src/index.js';
import { gradcheckModule, maxAbsDiff, stateDictShapes, toFloat64 } from './helpers.js';

beforeEach(() => manualSeed(11));

/** Naive layer norm over the last `d` elements of each row of a [rows, d] array. */
function naiveLayerNorm(rows: number[][], w: number[], b: number[], eps: number): number[][] {
  return rows.map((r) => {
    const mean = r.reduce((s, v) => s + v, 0) / r.length;
    const variance = r.reduce((s, v) => s + (v - mean) ** 2, 0) / r.length;
    return r.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * w[i] + b[i]);
  });
}

describe('LayerNorm', () => {
  it('has PyTorch keys and shapes', () => {
    expect(stateDictShapes(new nn.LayerNorm([3, 4]))).toEqual([['weight', [3, 4]], ['bias', [3, 4]]]);
    expect(stateDictShapes(new nn.LayerNorm(5, { bias: false }))).toEqual([['weight', [5]]]);
    expect(stateDictShapes(new nn.LayerNorm(5, { elementwiseAffine: false }))).toEqual([]);
    expect(new nn.LayerNorm(5).toString()).toBe('LayerNorm([5], eps=0.00001, elementwiseAffine=true)');
  });

  it('matches the naive formula with the biased variance', () => {
    const ln = toFloat64(new nn.LayerNorm(6));
    noGrad(() => {
      ln.weight!.copy_(randn([6], { dtype: 'float64' }));
      ln.bias!.copy_(randn([6], { dtype: 'float64' }));
    });
    const x = randn([2, 3, 6], { dtype: 'float64' }).mul(3).add(1);
    const rows = (x.reshape([6, 6]).toArray() as number[][]);
    const expected = tensor(naiveLayerNorm(rows, ln.weight!.toArray() as number[], ln.bias!.toArray() as number[], 1e-5), { dtype: 'float64' });
    expect(maxAbsDiff(ln.forward(x).reshape([6, 6]), expected)).toBeLessThan(1e-12);
  });

  it('passes gradcheck over two normalised dims', () => {
    const ln = toFloat64(new nn.LayerNorm([2, 3]));
    noGrad(() => ln.weight!.copy_(randn([2, 3], { dtype: 'float64' })));
    const x = randn([2, 2, 3], { dtype: 'float64' }).requiresGrad_();
    gradcheckModule(ln, [x], (xi) => ln.forward(xi));
  });

  it('gives the same first gradients on the loop and the recorded path, and exact second derivatives', () => {
    const x = randn([3, 2, 3], { dtype: 'float64' }).requiresGrad_();
    const w = randn([2, 3], { dtype: 'float64' }).requiresGrad_();
    const b = randn([2, 3], { dtype: 'float64' }).requiresGrad_();
    const v = randn([3, 2, 3], { dtype: 'float64' });
    const F = nn.functional;
    const loss = () => F.layerNorm(x, [2, 3], { weight: w, bias: b }).mul(v).sum();
    const plain = grad(loss(), [x, w, b]);
    const recorded = grad(loss(), [x, w, b], { createGraph: true });
    plain.forEach((g, i) => expect(maxAbsDiff(g!, recorded[i]!.detach())).toBeLessThan(1e-12));
    // ∂/∂(x, w) of ‖∂L/∂x‖² + ‖∂L/∂w‖² goes through the recorded backward.
    const second = (xi: typeof x, wi: typeof w) => enableGrad(() => {
      const [gx, gw] = grad(F.layerNorm(xi, [2, 3], { weight: wi, bias: b }).mul(v).sum(), [xi, wi], { createGraph: true });
      return gx!.mul(gx!).sum().add(gw!.mul(gw!).sum());
    });
    expect(gradcheck(second, [x, w])).toBe(true);
    // A bias without a weight keeps the normalised shape.
    const ln = toFloat64(new nn.LayerNorm([2, 3], { elementwiseAffine: true }));
    ln.weight = null;
    gradcheckModule(ln, [x], (xi) => ln.forward(xi));
  });

  it('names the module and shapes on a wrong trailing shape', () => {
    expect(() => new nn.LayerNorm([3, 4]).forward(randn([2, 4, 3]))).toThrow(ShapeError);
    expect(() => new nn.LayerNorm([3, 4]).forward(randn([2, 4, 3]))).toThrow('LayerNorm: expected input with trailing shape [3,4], got shape [2,4,3]');
  });
});
