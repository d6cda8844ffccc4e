/**
 * The bad-input table (issue 19 §4): each row is a call that must throw one error class with a
 * message naming the op, and must leave every tensor it touched as it was (values, version,
 * gradient, graph node). Rows with module state (loadStateDict, hooks) watch that state too.
 */
import { describe, expect, it } from 'vitest';
import {
  AutogradError, DTypeError, ShapeError, arange, cat, chunk, full, gather, indexAdd, indexSelect, linspace, maskedFill, narrow, nn,
  ones, rand, randint, randn, scatterAdd, slice, split, stack, tensor, where, zeros, type Tensor,
} from '../../src/index.js';

type ErrorClass = typeof ShapeError | typeof DTypeError | typeof AutogradError | typeof TypeError | typeof RangeError;

/** One bad call: `arrange` builds fresh inputs and returns the call and the tensors to watch. */
interface Row {
  name: string;
  arrange: () => { act: () => unknown; watched?: Tensor[]; extra?: () => unknown };
  error: ErrorClass;
  message: string[];
}

const int = (v: number | number[], shape?: number[]) =>
  typeof v === 'number' ? tensor(v, { dtype: 'int32' }) : tensor(Int32Array.from(v), { shape: shape ?? [v.length] });

/** Everything about a tensor a failed call must not change. */
function snapshot(t: Tensor): unknown {
  return { values: Array.from(t.toTypedArray()), shape: [...t.shape], version: t.version.value, grad: t.grad === null ? null : Array.from(t.grad.toTypedArray()), gradFn: t.gradFn?.name ?? null };
}

/** A row whose only state is its input tensors. */
function pure(name: string, inputs: () => Tensor[], call: (...xs: Tensor[]) => unknown, error: ErrorClass, ...message: string[]): Row {
  return {
    name,
    arrange: () => {
      const xs = inputs();
      return { act: () => call(...xs), watched: xs };
    },
    error,
    message,
  };
}

/** A row with no tensor inputs (creation). */
function creation(name: string, call: () => unknown, error: ErrorClass, ...message: string[]): Row {
  return { name, arrange: () => ({ act: call }), error, message };
}

/** A Linear(2, 2) with known values, and a state dict whose first key is fine and whose second is bad. */
function loadRow(name: string, bias: unknown, strict: boolean, error: ErrorClass, ...message: string[]): Row {
  return {
    name,
    arrange: () => {
      const layer = new nn.Linear(2, 2);
      const dict = { weight: full([2, 2], 5), bias } as unknown as Record<string, Tensor>;
      return { act: () => layer.loadStateDict(dict, { strict }), watched: [layer.weight, layer.bias as Tensor] };
    },
    error,
    message,
  };
}

/** A [2] leaf whose hook returns `replacement(grad)`; backward must throw and leave `.grad` unset. */
function hookRow(name: string, replacement: (g: Tensor) => unknown, error: ErrorClass, ...message: string[]): Row {
  return {
    name,
    arrange: () => {
      const x = tensor([1, 2]).requiresGrad_();
      x.registerHook(replacement as (g: Tensor) => Tensor);
      return { act: () => x.mul(2).sum().backward(), watched: [x] };
    },
    error,
    message,
  };
}

const rows: Row[] = [
  // Dim ops on 0-d tensors (PyTorch refuses these; transpose(0, −1), gather and scatter of a 0-d tensor work).
  pure('cat of 0-d tensors', () => [tensor(7), tensor(8)], (a, b) => cat([a, b], 0), ShapeError, 'cat: zero-dimensional tensor (at position 0) cannot be concatenated'),
  pure('cat with a 0-d tensor later in the list', () => [tensor([1]), tensor(8)], (a, b) => cat([a, b]), ShapeError, 'cat: zero-dimensional tensor (at position 1)'),
  pure('narrow of a 0-d tensor', () => [tensor(7)], (x) => narrow(x, 0, 0, 1), ShapeError, 'narrow: cannot be applied to a 0-d tensor'),
  pure('slice of a 0-d tensor', () => [tensor(7)], (x) => slice(x, 0, 0, 1), ShapeError, 'slice: cannot be applied to a 0-d tensor'),
  pure('split of a 0-d tensor', () => [tensor(7)], (x) => split(x, 1, 0), ShapeError, 'split: cannot be applied to a 0-d tensor'),
  pure('chunk of a 0-d tensor', () => [tensor(7)], (x) => chunk(x, 1, 0), ShapeError, 'chunk: cannot be applied to a 0-d tensor'),
  pure('transpose of a 0-d tensor with dim 1', () => [tensor(7)], (x) => x.transpose(0, 1), ShapeError, 'transpose: dim 1 is out of range for a tensor of 0 dims'),
  pure('gather of a 0-d tensor at index 5', () => [tensor(7), int(5)], (x, i) => gather(x, 0, i), ShapeError, 'gather: index 5 is out of bounds for dim 0 with size 1'),
  pure('scatterAdd into a 0-d tensor at index 3', () => [tensor(7), int(3), tensor(1)], (x, i, s) => scatterAdd(x, 0, i, s), ShapeError, 'scatterAdd: index 3 is out of bounds for dim 0 with size 1'),
  pure('indexSelect of a 0-d tensor at index 1', () => [tensor(7), int([1])], (x, i) => indexSelect(x, 0, i), ShapeError, 'indexSelect: index 1 is out of bounds for dim 0 with size 1'),
  pure('indexSelect of a 0-d tensor with two indices', () => [tensor(7), int([0, 0])], (x, i) => indexSelect(x, 0, i), ShapeError, 'indexSelect: a 0-d input takes exactly one index, got 2'),
  pure('indexAdd into a 0-d tensor with two indices', () => [tensor(7), int([0, 0]), tensor([1, 1])], (x, i, s) => indexAdd(x, 0, i, s), ShapeError, 'indexAdd: a 0-d input takes one index'),
  // scatterAdd: src may be larger than index, never smaller.
  pure('scatterAdd with src smaller than index', () => [zeros(2, 3), int([0, 1], [1, 2]), ones(1, 1)], (x, i, s) => scatterAdd(x, 1, i, s), ShapeError, 'scatterAdd: index of shape [1,2] must be no larger than src of shape [1,1]'),
  pure('gather with index larger than the input outside dim', () => [zeros(2, 3), int([0, 0, 0], [3, 1])], (x, i) => gather(x, 1, i), ShapeError, 'gather: index of shape [3,1] does not fit input of shape [2,3]'),
  // Lists that are not lists of tensors.
  pure('cat of a list holding a number', () => [tensor([1])], (a) => cat([a, 3 as unknown as Tensor]), TypeError, 'cat: element 1 of the list is not a Tensor'),
  pure('stack of a list holding undefined', () => [tensor([1])], (a) => stack([a, undefined as unknown as Tensor]), TypeError, 'stack: element 1 of the list is not a Tensor'),

  // Gradient hooks must return a tensor of the gradient's shape and dtype, or nothing.
  hookRow('hook returning a [5] gradient for a [2] leaf', () => zeros(5), ShapeError, 'registerHook: hook 0 changed the size of the gradient from [2] to [5]'),
  hookRow('hook returning a float64 gradient for a float32 leaf', (g) => g.double(), DTypeError, 'registerHook: hook 0 changed the dtype of the gradient from float32 to float64'),
  hookRow('hook returning a number', () => 3, TypeError, 'registerHook: hook 0 returned number'),
  pure('registerHook of a non-function', () => [tensor([1, 2]).requiresGrad_()], (x) => x.registerHook(3 as never), TypeError, 'registerHook: expected a function, got number'),

  // loadStateDict checks every entry before writing any.
  loadRow('loadStateDict with a key whose value is undefined', undefined, true, TypeError, 'loadStateDict', 'the value of "bias" is undefined, not a Tensor'),
  loadRow('loadStateDict (strict: false) with a key whose value is undefined', undefined, false, TypeError, 'the value of "bias" is undefined'),
  loadRow('loadStateDict with a key whose value is a number', 3, true, TypeError, 'the value of "bias" is number'),
  loadRow('loadStateDict with a later size mismatch', zeros(3), true, ShapeError, 'size mismatch for bias: copying a param with shape [3], the shape in the current model is [2]'),

  // Creation: ranges, sizes and the per-tensor limit (checked before allocating: these would take gigabytes).
  creation('arange(NaN)', () => arange(NaN), ShapeError, 'arange: start and end must be finite numbers, got 0 and NaN'),
  creation('arange(0, Infinity)', () => arange(0, Infinity), ShapeError, 'arange: start and end must be finite'),
  creation('arange(0, 3e9): 12 GB of int32', () => arange(0, 3e9), ShapeError, 'arange: shape [3000000000]', 'of int32 needs 12000000000 bytes', 'per-tensor limit of 2147483647 elements and 4294967296 bytes'),
  creation('zeros(1e10)', () => zeros(1e10), ShapeError, 'zeros: shape [10000000000] (10000000000 elements)'),
  creation('ones(1e5, 1e5)', () => ones(1e5, 1e5), ShapeError, 'ones: shape [100000,100000]'),
  creation('randn of 8 GiB of float64', () => randn([2 ** 20, 2 ** 10], { dtype: 'float64' }), ShapeError, 'randn: shape [1048576,1024]', 'float64 needs 8589934592 bytes'),
  creation('full beyond 4 GiB', () => full([2 ** 30 + 1], 0), ShapeError, 'full: shape [1073741825]'),
  creation('linspace of 2³¹ steps', () => linspace(0, 1, 2 ** 31), ShapeError, 'linspace: shape [2147483648]'),
  creation('randint(0, 1e10): would wrap in int32', () => randint(0, 1e10, [3]), DTypeError, 'randint: the range [0, 10000000000) does not fit int32'),
  creation('randint below int32', () => randint(-(2 ** 31) - 1, 0, [1]), DTypeError, 'randint: the range [-2147483649, 0) does not fit int32'),
  creation('randint beyond float32 integers', () => randint(0, 2 ** 24 + 2, [1], { dtype: 'float32' }), DTypeError, 'does not fit float32'),
  creation('randint with a fractional bound', () => randint(0.5, 3, [1]), ShapeError, 'randint: low and high must be integers, got 0.5 and 3'),
  creation('tensor([3e10], int32)', () => tensor([3e10], { dtype: 'int32' }), DTypeError, 'tensor: element 0 (30000000000) does not fit int32'),
  creation('tensor(Float64Array, int32) with an out-of-range value', () => tensor(Float64Array.of(1, -3e10), { dtype: 'int32' }), DTypeError, 'tensor: element 1 (-30000000000) does not fit int32'),
  creation('tensor([NaN], int32)', () => tensor([NaN], { dtype: 'int32' }), DTypeError, 'tensor: element 0 (NaN) does not fit int32'),
  creation('full with an int32 fill value that wraps', () => full([2], 3e10, { dtype: 'int32' }), DTypeError, 'full: fill value (30000000000) does not fit int32'),
  creation('arange past the int32 range', () => arange(2 ** 31 - 2, 2 ** 31 + 2), DTypeError, 'arange: last value (2147483649) does not fit int32'),
  creation("tensor([1, 'a', null])", () => tensor([1, 'a', null] as never), TypeError, "tensor: element 1 is the string 'a'; expected a number or a boolean"),
  creation('tensor([[1, 2], [3, null]])', () => tensor([[1, 2], [3, null]] as never), TypeError, 'tensor: element 3 is null'),
  creation('tensor(undefined)', () => tensor(undefined as never), TypeError, 'tensor: expected a number, a boolean, nested arrays or a typed array, got undefined'),
  creation("tensor('abc')", () => tensor('abc' as never), TypeError, "got the string 'abc'"),
  creation('tensor of an array-like holding a string', () => tensor({ length: 2, 0: 1, 1: 'x' } as never), TypeError, "tensor: element 1 is the string 'x'"),
  creation("zeros with dtype 'float16'", () => zeros(2, { dtype: 'float16' as never }), DTypeError, "zeros: unknown dtype 'float16' (expected one of bool, int32, float32, float64)"),
  creation("tensor with dtype 'int64'", () => tensor([1], { dtype: 'int64' as never }), DTypeError, "tensor: unknown dtype 'int64'"),
  creation("rand with dtype 'half'", () => rand(2, { dtype: 'half' as never }), DTypeError, "rand: unknown dtype 'half'"),
  creation("arange with dtype 'f32'", () => arange(0, 3, 1, { dtype: 'f32' as never }), DTypeError, "arange: unknown dtype 'f32'"),
  pure("to('float16')", () => [tensor([1, 2])], (x) => x.to('float16' as never), DTypeError, "to: unknown dtype 'float16'"),

  // Integer powers and masks.
  pure('int32.pow(-1)', () => [int([1, 2, 3])], (x) => x.pow(-1), DTypeError, 'pow: integers to negative integer powers are not allowed (dtype int32, exponent -1)'),
  pure('bool.pow(-2)', () => [tensor([true, false])], (x) => x.pow(-2), DTypeError, 'pow: integers to negative integer powers are not allowed (dtype bool'),
  pure('where with a float mask', () => [tensor([1, 0]), tensor([1, 2]), tensor([3, 4])], (c, a, b) => where(c, a, b), DTypeError, 'where: the condition must be a bool tensor, got float32 (of shape [2])'),
  pure('where with an int32 mask', () => [int([1, 0]), tensor([1, 2]), tensor([3, 4])], (c, a, b) => where(c, a, b), DTypeError, 'where: the condition must be a bool tensor, got int32'),
  pure('x.where(float mask, y)', () => [tensor([1, 2]), tensor([1, 0]), tensor([3, 4])], (a, c, b) => a.where(c, b), DTypeError, 'where: the condition must be a bool tensor'),
  pure('maskedFill with a float mask', () => [tensor([1, 2]), tensor([1, 0])], (x, m) => maskedFill(x, m, 9), DTypeError, 'maskedFill: the mask must be a bool tensor, got float32'),
  pure('maskedFill with an int32 mask', () => [tensor([1, 2]), int([1, 0])], (x, m) => x.maskedFill(m, 9), DTypeError, 'maskedFill: the mask must be a bool tensor, got int32'),
];

describe('bad input: a typed error naming the op, nothing changed', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const { act, watched = [] } = row.arrange();
    const before = watched.map(snapshot);
    let caught: unknown = null;
    try {
      act();
    } catch (e) {
      caught = e;
    }
    expect(caught, 'expected a throw').toBeInstanceOf(row.error);
    const message = (caught as Error).message;
    for (const fragment of row.message) expect(message).toContain(fragment);
    expect(watched.map(snapshot)).toEqual(before);
  });
});
