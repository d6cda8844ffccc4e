/**
 * Attention rollout: identity attention rolls out to the identity; uniform attention (without the
 * residual) to uniform; with the residual, L layers of uniform attention U give
 * (1 − 2^−L)·U + 2^−L·I; heads are averaged; weights of nn.MultiheadAttention roll out to
 * row-stochastic matrices.
 */
import { describe, expect, it } from 'vitest';
import { explain, eye, full, manualSeed, nn, rand, randn, type Tensor } from '../../src/index.js';
import { maxAbsDiff } from './models.js';

const identity = (n: number, s: number) => eye(s, { dtype: 'float64' }).reshape(1, s, s).expand(n, s, s).contiguous();

describe('explain.attentionRollout', () => {
  it('of identity attention is the identity, with and without the residual', () => {
    const layers = [identity(2, 5), identity(2, 5), identity(2, 5)];
    for (const addResidual of [true, false]) expect(maxAbsDiff(explain.attentionRollout(layers, { addResidual }), identity(2, 5))).toBe(0);
  });

  it('of uniform attention is uniform without the residual, and (1 − 2^−L)U + 2^−L·I with it', () => {
    const s = 4;
    const uniform = full([1, s, s], 1 / s, { dtype: 'float64' });
    for (const layers of [1, 2, 3]) {
      const weights = Array.from({ length: layers }, () => uniform);
      expect(maxAbsDiff(explain.attentionRollout(weights, { addResidual: false }), uniform)).toBeLessThan(1e-15);
      const kept = 2 ** -layers;
      const expected = uniform.mul(1 - kept).add(identity(1, s).mul(kept));
      expect(maxAbsDiff(explain.attentionRollout(weights), expected)).toBeLessThan(1e-15);
    }
  });

  it('averages heads of [N, H, S, S] weights, and composes later layers on the left', () => {
    manualSeed(50);
    const stochastic = (shape: number[]) => {
      const r = rand(shape, { dtype: 'float64' });
      return r.div(r.sum(-1, true));
    };
    const w1 = stochastic([2, 3, 4, 4]);
    const w2 = stochastic([2, 4, 4]);
    const expected = w2.matmul(w1.mean(1));
    expect(maxAbsDiff(explain.attentionRollout([w1, w2], { addResidual: false }), expected)).toBeLessThan(1e-14);
  });

  it('of nn.MultiheadAttention weights has rows summing to 1', () => {
    manualSeed(51);
    const layers = [new nn.MultiheadAttention(8, 2, { batchFirst: true }), new nn.MultiheadAttention(8, 2, { batchFirst: true })];
    let h: Tensor = randn([3, 6, 8]);
    const weights: Tensor[] = [];
    for (const layer of layers) {
      const [out, w] = layer.forward(h, h, h, { averageAttnWeights: false });
      if (!w) throw new Error('no weights');
      expect(w.shape).toEqual([3, 2, 6, 6]);
      weights.push(w);
      h = out;
    }
    const rollout = explain.attentionRollout(weights);
    expect(rollout.shape).toEqual([3, 6, 6]);
    expect(maxAbsDiff(rollout.sum(-1), full([3, 6], 1))).toBeLessThan(1e-5);
  });

  it('checks its input', () => {
    expect(() => explain.attentionRollout([])).toThrow(/explain.attentionRollout: expected a non-empty array/);
    expect(() => explain.attentionRollout([identity(1, 3), identity(1, 4)])).toThrow(/explain.attentionRollout: layer 1 weights must be \[N, H, S, S\] or \[N, S, S\] with N = 1, S = 3/);
    expect(() => explain.attentionRollout([randn([2, 3, 4])])).toThrow(/explain.attentionRollout: layer 0/);
    expect(() => explain.attentionRollout([identity(1, 3)], { add_residual: false } as never)).toThrow(/explain.attentionRollout: unknown option 'add_residual' \(did you mean 'addResidual'\?\)/);
  });
});
