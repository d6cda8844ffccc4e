/**
 * Small helpers shared by the op files (not public): turning scalars into tensors, running a
 * unary or binary kernel into a new tensor, strided views for kernels, mask checks, and
 * `sumToShape`, the one helper that undoes broadcasting in backward.
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import type { BinaryOpName, StridedArray } from '../../kernels/binary.js';
import { currentBackend } from '../../kernels/registry.js';
import { allocate, isFloating, promoteTypes, scalarResultType, type DType, type TypedArray } from '../../kernels/dtype.js';
import type { UnaryOpName } from '../../kernels/unary.js';
import { newTensor } from '../../tensor/creation.js';
import { broadcastShapes, broadcastStrides, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

export { newTensor };

/** A tensor operand or a plain number (numbers meet tensors as 0-d tensors). */
export type Operand = Tensor | number;

/** `x` as a tensor; a number becomes a 0-d tensor of the dtype it takes next to `like`. */
export function toTensor(x: Operand, like: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  const dtype = scalarResultType(like.dtype, x);
  const data = allocate(dtype, 1);
  data[0] = x;
  return new Tensor(data, [], { dtype });
}

/** out = f(x) elementwise with kernel `op` (parameters p, q), in dtype `dtype`. */
export function unaryForward(op: UnaryOpName, x: Tensor, dtype: DType = floatDtypeOf(x), p = 0, q = 0): Tensor {
  const src = x.data();
  const out = allocate(dtype, src.length);
  currentBackend().unary(op, src, out, src.length, p, q);
  return newTensor(x.shape, dtype, out);
}

/** Runs a binary kernel over the broadcast of a and b into a new tensor (dtype: promoted, unless given). */
export function binaryForward(op: BinaryOpName, a: Tensor, b: Tensor, dtype?: DType): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  let outType = dtype ?? promoteTypes(a.dtype, b.dtype);
  if (dtype === undefined && (op === 'div' || op === 'pow') && (outType === 'int32' || outType === 'bool')) {
    outType = op === 'div' ? 'float32' : 'int32';
  }
  if (dtype === undefined && outType === 'bool' && op !== 'maximum' && op !== 'minimum') outType = 'int32';
  const out = newTensor(shape, outType);
  if (a.isContiguous() && sameShape(a.shape, shape) && (b.ndim === 0 || (b.isContiguous() && sameShape(b.shape, shape)))) {
    // The common cases — same shapes, or a tensor and a scalar — in one flat pass (b's step is 0
    // for a scalar), without building broadcast strides.
    currentBackend().binaryFlat(op, a.storage, a.offset, b.storage, b.offset, b.ndim === 0 ? 0 : 1, out.storage, out.storage.length);
    return out;
  }
  currentBackend().binary(op, stridedAs(a, shape), stridedAs(b, shape), out.storage, shape);
  return out;
}

/** A view of `t` for a kernel, read as if broadcast to `shape`. */
export function stridedAs(t: Tensor, shape: readonly number[]): StridedArray {
  // BEGIN SOLUTION m0 — stridedAs: a kernel view of t (storage, offset) with strides that read it as if broadcast to shape
  return { data: t.storage, strides: broadcastStrides(t.shape, t.strides, shape), offset: t.offset };
  // END SOLUTION
}

/** A view of `t` with new shape/strides/offset over the same storage. */
export function viewOf(t: Tensor, shape: readonly number[], strides: readonly number[], offset = t.offset): Tensor {
  return new Tensor(t.storage, shape, { strides, offset, dtype: t.dtype, version: t.version });
}

/** Throws a ShapeError naming `op` for a 0-d tensor, which has no dim to cut (as PyTorch). */
export function requireDims(x: Tensor, op: string): void {
  if (x.ndim === 0) throw new ShapeError(`${op}: cannot be applied to a 0-d tensor (shape []); it has no dim to index`);
}


/** `t`'s elements as a contiguous typed array of dtype `dtype` (a copy when needed; to bool, nonzero is 1). */
export function dataAs(t: Tensor, dtype: DType): TypedArray {
  const data = t.data();
  if (t.dtype === dtype) return data;
  const out = allocate(dtype, data.length);
  if (dtype === 'bool') for (let i = 0; i < data.length; i++) out[i] = data[i] !== 0 ? 1 : 0;
  else for (let i = 0; i < data.length; i++) out[i] = data[i];
  return out;
}

/** Throws unless `t` has a float dtype (ops such as exp or softmax need one). */
export function requireFloat(t: Tensor, op: string): void {
  if (!isFloating(t.dtype)) throw new DTypeError(`${op}: expected a float tensor, got ${t.dtype}`);
}

/** The float dtype an op on `t` computes in: t's own if float, else float32 (as PyTorch for ints). */
export function floatDtypeOf(t: Tensor): DType {
  return isFloating(t.dtype) ? t.dtype : 'float32';
}

/**
 * Throws unless `mask` is a bool tensor: a float or int mask is usually a bug (a 0.5 would count
 * as true), and PyTorch refuses it. Make one with a comparison (`x.gt(0)`) or `.to('bool')`.
 */
export function checkMask(mask: unknown, op: string, what = 'mask'): void {
  if (!(mask instanceof Tensor)) throw new TypeError(`${op}: the ${what} must be a bool Tensor`);
  if (mask.dtype !== 'bool') {
    throw new DTypeError(`${op}: the ${what} must be a bool tensor, got ${mask.dtype} (of shape ${fmtShape(mask.shape)}); use a comparison such as x.gt(0), or .to('bool')`);
  }
}

// guide:sum-to-shape
/**
 * Sums a gradient of a broadcast result back to an input's shape: first over the leading dims
 * broadcasting added, then (keeping dims) over dims where the input had size 1. Written with
 * tensor ops so it is itself differentiable.
 */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  // BEGIN SOLUTION m2 — sumToShape: sum grad over the leading dims broadcasting added, then (keeping dims) over dims where shape has size 1, and reshape to shape
  if (sameShape(grad.shape, shape)) return grad;
  const lead = grad.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < grad.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) dims.push(i);
  }
  const summed = dims.length > 0 ? grad.sum(dims, true) : grad;
  return summed.reshape([...shape]);
  // END SOLUTION
}
// guide:end
