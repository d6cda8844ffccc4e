/**
 * GroupNorm and functional groupNorm: forward against a float64 loop reference, gradcheck
 * (contiguous and non-contiguous inputs), PyTorch's state-dict layout, errors.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, gradcheck, manualSeed, nn, randn, tensor } from '../../src/index.js';
import { gradcheckModule, maxAbsDiff, stateDictShapes, toFloat64 } from './helpers.js';
import { groupNormRef } from './norm-reference.js';

beforeEach(() => manualSeed(31));
const F = nn.functional;
const f64 = { dtype: 'float64' as const };

describe('GroupNorm', () => {
  it('has PyTorch keys and shapes (weight, bias [C]; none without affine)', () => {
    const gn = new nn.GroupNorm(2, 6);
    expect(stateDictShapes(gn)).toEqual([['weight', [6]], ['bias', [6]]]);
    expect(gn.weight!.toArray()).toEqual([1, 1, 1, 1, 1, 1]);
    expect(gn.bias!.toArray()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(stateDictShapes(new nn.GroupNorm(3, 6, { affine: false }))).toEqual([]);
    expect(gn.toString()).toBe('GroupNorm(2, 6, eps=0.00001, affine=true)');
  });

  it('matches the float64 reference for several group counts and ranks', () => {
    for (const [shape, groups] of [[[2, 6, 5], 3], [[3, 4, 2, 3], 2], [[2, 4, 3, 2], 4], [[2, 4, 3, 2], 1], [[4, 3], 3]] as [number[], number][]) {
      const x = randn(shape, f64).mul(2).add(0.5);
      const C = shape[1];
      const w = Array.from({ length: C }, (_, c) => 0.5 + c * 0.3), b = Array.from({ length: C }, (_, c) => c - 1);
      const y = F.groupNorm(x, groups, { weight: tensor(w, f64), bias: tensor(b, f64), eps: 1e-3 });
      const ref = groupNormRef([...x.data()], shape, groups, w, b, 1e-3);
      expect(maxAbsDiff(y, tensor(ref, f64).reshape(shape))).toBeLessThan(1e-12);
    }
  });

  it('float32 on a non-contiguous input matches the reference', () => {
    const x = randn([2, 3, 4, 5]).permute(0, 3, 2, 1); // [2, 5, 4, 3], not contiguous
    const y = new nn.GroupNorm(5, 5).forward(x);
    const ref = groupNormRef([...x.contiguous().data()], x.shape, 5, null, null);
    expect(maxAbsDiff(y, tensor(ref).reshape([...x.shape]))).toBeLessThan(1e-5);
  });

  it('passes gradcheck (module with its parameters, functional on a transposed input)', () => {
    const gn = toFloat64(new nn.GroupNorm(2, 4));
    gn.loadStateDict({ weight: tensor([1.5, -0.5, 0.7, 2], f64), bias: tensor([0.1, 0.2, -0.3, 0], f64) });
    const x = randn([2, 4, 3], f64).requiresGrad_();
    gradcheckModule(gn, [x], (xi) => gn.forward(xi));
    const base = randn([3, 4, 2], f64).requiresGrad_();
    const w = randn([4], f64).requiresGrad_();
    expect(gradcheck((b, wi) => F.groupNorm(b.transpose(0, 2), 2, { weight: wi }), [base, w])).toBe(true);
  });

  it('names the op on bad input and bad options', () => {
    expect(() => new nn.GroupNorm(4, 6)).toThrow('GroupNorm: numChannels 6 must be divisible by numGroups 4');
    expect(() => new nn.GroupNorm(0, 6)).toThrow(ShapeError);
    expect(() => new nn.GroupNorm(2, 6, { elementwise_affine: false } as never)).toThrow(/GroupNorm: unknown option 'elementwise_affine'/);
    expect(() => new nn.GroupNorm(2, 6, 1e-5 as never)).toThrow(/GroupNorm: expected an options object/);
    expect(() => new nn.GroupNorm(2, 6).forward(randn([2, 4, 3]))).toThrow('GroupNorm: expected input (N, 6, *), got shape [2,4,3]');
    expect(() => F.groupNorm(randn([2, 6]), 4)).toThrow(/groupNorm: expected the 6 channels .* numGroups=4/);
    expect(() => F.groupNorm(randn([2, 6]), 3, { weight: randn([3]) })).toThrow(/groupNorm: weight of shape \[3\]/);
    expect(() => F.groupNorm(randn([6]), 3)).toThrow(ShapeError);
    expect(() => F.groupNorm(tensor([[1, 2]], { dtype: 'int32' }), 1)).toThrow(DTypeError);
    expect(() => F.groupNorm(randn([2, 6]), 3, { epsilon: 1 } as never)).toThrow(/groupNorm: unknown option 'epsilon'/);
  });
});
