/**
 * Bad input throws the specific error class, with a message that names the op and the shapes,
 * dims or dtypes involved, before any state changes.
 */
import { describe, expect, it } from 'vitest';
import {
  AutogradError, DTypeError, ShapeError, arange, cat, chunk, gather, indexAdd, indexSelect, matmul, pad, rand, scatterAdd,
  split, stack, tensor, where, zeros, ones, type Tensor,
} from '../../src/index.js';

/** Asserts `fn` throws an instance of `kind` whose message matches every pattern. */
function throwsWith(fn: () => unknown, kind: typeof ShapeError | typeof DTypeError | typeof AutogradError, ...patterns: (RegExp | string)[]): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a throw').toBeInstanceOf(kind);
  const message = (caught as Error).message;
  for (const p of patterns) {
    if (typeof p === 'string') expect(message).toContain(p);
    else expect(message).toMatch(p);
  }
}

const m23 = () => zeros(2, 3);
const idx = (v: number[], shape = [v.length]) => tensor(Int32Array.from(v), { shape });

describe('shape errors', () => {
  it('broadcasting mismatches name the op and both shapes', () => {
    throwsWith(() => m23().add(zeros(4)), ShapeError, 'add: shapes [2,3] and [4] cannot be broadcast');
    throwsWith(() => m23().mul(zeros(3, 3)), ShapeError, 'mul: shapes [2,3] and [3,3]');
    throwsWith(() => where(tensor([true, false]), m23(), 0), ShapeError, /^where: shapes \[2\] and \[2,3\]/);
    throwsWith(() => m23().maskedFill(tensor([[true], [false]]).expand(2, 3).unsqueeze(0), 1), ShapeError, 'maskedFill', '[1,2,3]', '[2,3]');
  });

  it('matmul names unaligned shapes and the sizes that differ', () => {
    throwsWith(() => matmul(zeros(2, 3), zeros(4, 5)), ShapeError, 'matmul: shapes [2,3] and [4,5] are not aligned (3 != 4)');
    throwsWith(() => matmul(zeros(3), zeros(4)), ShapeError, 'matmul: shapes [3] and [4] are not aligned (3 != 4)');
    throwsWith(() => matmul(zeros(3), zeros(4, 2)), ShapeError, 'matmul: shapes [3] and [4,2]');
    throwsWith(() => matmul(zeros(2, 3), zeros(4)), ShapeError, 'matmul: shapes [2,3] and [4]');
    throwsWith(() => matmul(zeros(2, 2, 3), zeros(3, 3, 4)), ShapeError, /^matmul: shapes \[2\] and \[3\] cannot be broadcast/);
    throwsWith(() => matmul(tensor(1), zeros(2)), ShapeError, 'matmul', '[]', '[2]');
  });

  it('bad dims name the op, the dim and the number of dims', () => {
    throwsWith(() => m23().sum(2), ShapeError, 'sum: dim 2 is out of range for a tensor of 2 dims');
    throwsWith(() => m23().mean(-3), ShapeError, 'mean: dim -3');
    throwsWith(() => m23().softmax(5), ShapeError, 'softmax: dim 5');
    throwsWith(() => m23().transpose(0, 2), ShapeError, 'transpose: dim 2');
    throwsWith(() => m23().unsqueeze(4), ShapeError, 'unsqueeze: dim 4');
    throwsWith(() => m23().max(3), ShapeError, 'max: dim 3');
    throwsWith(() => m23().argmax(-5), ShapeError, 'argmax: dim -5');
    throwsWith(() => m23().sum([0, 0]), ShapeError, 'sum', 'repeats');
    throwsWith(() => m23().permute(0, 0), ShapeError, 'permute', 'repeat');
    throwsWith(() => m23().permute(0), ShapeError, 'permute', '[2,3]');
    throwsWith(() => cat([m23(), m23()], 2), ShapeError, 'cat: dim 2');
  });

  it('reshape and view to a wrong size name both shapes and the size', () => {
    throwsWith(() => m23().reshape(4, 2), ShapeError, 'reshape: shape [4,2] is invalid for input of size 6');
    throwsWith(() => m23().view([7]), ShapeError, 'view: shape [7] is invalid for input of size 6');
    throwsWith(() => m23().reshape(-1, -1), ShapeError, 'reshape: only one dim can be -1');
    throwsWith(() => m23().reshape(4, -1), ShapeError, 'reshape: shape [4,-1] is invalid for input of size 6');
    throwsWith(() => m23().reshape(2.5, 2), ShapeError, 'reshape: invalid shape');
  });

  it('view of a non-viewable layout says to use reshape', () => {
    throwsWith(() => m23().T.view(6), ShapeError, 'view: a tensor of shape [3,2] and strides [1,3] cannot be viewed as [6]', 'reshape');
  });

  it('expand, narrow, slice, cat and stack name the offending sizes', () => {
    throwsWith(() => m23().expand(4, 3), ShapeError, 'expand', '[2,3]', '[4,3]');
    throwsWith(() => m23().expand(3), ShapeError, 'expand', 'fewer dims');
    throwsWith(() => m23().narrow(1, 2, 2), ShapeError, 'narrow: start 2 and length 2 are out of range for dim 1 of size 3');
    throwsWith(() => m23().slice(1, 0, 2, 0), ShapeError, 'slice: step must be a positive integer');
    throwsWith(() => cat([m23(), zeros(2, 4)], 0), ShapeError, 'cat: shapes [2,3], [2,4] differ outside dim 0');
    throwsWith(() => cat([], 0), ShapeError, 'cat');
    throwsWith(() => stack([m23(), zeros(3, 2)]), ShapeError, 'stack', '[2,3], [3,2]');
  });

  it('split sizes that do not sum up, and bad chunk counts', () => {
    throwsWith(() => split(arange(3), [1, 1]), ShapeError, 'split: sizes [1,1] do not sum to 3', 'shape [3]');
    throwsWith(() => split(arange(3), 0), ShapeError, 'split: size must be a positive integer');
    throwsWith(() => chunk(arange(3), 0), ShapeError, 'chunk');
  });

  it('reflect padding ≥ the dim, and malformed padding lists', () => {
    throwsWith(() => pad(zeros(1, 3), [3, 0], { mode: 'reflect' }), ShapeError, 'pad: reflect padding (3, 0) must be less than the size 3 of dim 1', '[1,3]');
    throwsWith(() => pad(zeros(3), [1, 1, 1, 1]), ShapeError, 'pad', '[3]');
    throwsWith(() => pad(zeros(3), [1]), ShapeError, 'pad');
    throwsWith(() => pad(zeros(3), [-1, 0], { mode: 'replicate' }), ShapeError, 'pad: negative padding');
  });

  it('out-of-range indices in gather, indexSelect, scatterAdd and indexAdd name the index, dim and size', () => {
    throwsWith(() => gather(m23(), 1, idx([0, 5], [2, 1])), ShapeError, 'gather: index 5 is out of bounds for dim 1 with size 3');
    throwsWith(() => gather(m23(), 0, idx([-1], [1, 1])), ShapeError, 'gather: index -1 is out of bounds for dim 0 with size 2');
    throwsWith(() => gather(m23(), 1, idx([0, 0, 0, 0], [1, 4, 1])), ShapeError, 'gather', '[1,4,1]', '[2,3]');
    throwsWith(() => indexSelect(m23(), 0, idx([0, 2])), ShapeError, 'indexSelect: index 2 is out of bounds for dim 0 with size 2');
    // −1 is out of range too (it must not read as the kernels' "no bad index" answer).
    throwsWith(() => indexSelect(m23(), 1, idx([-1])), ShapeError, 'indexSelect: index -1 is out of bounds for dim 1 with size 3');
    throwsWith(() => scatterAdd(m23(), 0, idx([-1], [1, 1]), zeros(1, 1)), ShapeError, 'scatterAdd: index -1');
    throwsWith(() => indexAdd(m23(), 0, idx([-1]), zeros(1, 3)), ShapeError, 'indexAdd: index -1');
    throwsWith(() => indexSelect(m23(), 0, idx([0, 1], [1, 2])), ShapeError, 'indexSelect: index must be 1-d, got shape [1,2]');
    throwsWith(() => scatterAdd(m23(), 1, idx([3], [1, 1]), zeros(1, 1)), ShapeError, 'scatterAdd: index 3 is out of bounds for dim 1 with size 3');
    // src may be larger than index (PyTorch's rule), never smaller.
    throwsWith(() => scatterAdd(m23(), 1, idx([0, 0], [1, 2]), zeros(1, 1)), ShapeError, 'scatterAdd: index of shape [1,2]', 'src of shape [1,1]');
    throwsWith(() => indexAdd(m23(), 1, idx([4]), zeros(2, 1)), ShapeError, 'indexAdd: index 4 is out of bounds for dim 1 with size 3');
    throwsWith(() => indexAdd(m23(), 1, idx([0]), zeros(2, 2)), ShapeError, 'indexAdd: src of shape [2,2] must be [2,1]');
  });

  it('item() and creation name the shape', () => {
    throwsWith(() => m23().item(), ShapeError, 'item', '[2,3]');
    throwsWith(() => zeros(2, -1), ShapeError, 'zeros: invalid shape [2,-1]');
    throwsWith(() => arange(0, 3, 0), ShapeError, 'arange: step');
    throwsWith(() => tensor([[1], [2, 3]]), ShapeError, 'tensor: ragged');
  });
});

describe('dtype errors', () => {
  it('name the op and the dtype', () => {
    throwsWith(() => arange(3).requiresGrad_(), DTypeError, 'requiresGrad_', 'int32');
    throwsWith(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true }), DTypeError, 'int32');
    throwsWith(() => gather(m23(), 1, tensor([[0], [1]])), DTypeError, 'gather: index must be an int32 tensor, got float32');
    throwsWith(() => indexSelect(m23(), 0, tensor([true])), DTypeError, 'indexSelect: index must be an int32 tensor, got bool');
    throwsWith(() => arange(4).var(), DTypeError, 'var: expected a float tensor, got int32');
    throwsWith(() => arange(4).std(), DTypeError, 'std', 'int32');
    throwsWith(() => rand(2, { dtype: 'int32' }), DTypeError, 'rand: dtype must be float32 or float64, got int32');
  });
});

describe('errors leave state unchanged', () => {
  it('a failing in-place op changes neither the values nor the version', () => {
    const t = zeros(2, 2);
    const check = (fn: (x: Tensor) => unknown) => {
      expect(() => fn(t)).toThrow(ShapeError);
      expect(t.toArray()).toEqual([[0, 0], [0, 0]]);
      expect(t.version.value).toBe(0);
    };
    check((x) => x.add_(ones(3)));
    check((x) => x.mul_(ones(2, 2, 2)));
    check((x) => x.copy_(ones(3, 2)));
  });

  it('a failing op does not record anything on its inputs', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expect(() => x.add(zeros(2))).toThrow(ShapeError);
    expect(x.grad).toBeNull();
    expect(x.isLeaf).toBe(true);
  });
});
