/**
 * Small helpers shared by the op files: turning scalars into tensors, allocating outputs,
 * strided views for kernels, and `sumToShape`, the one helper that undoes broadcasting in
 * backward.
 */
import { DTypeError } from '../../errors.js';
import { allocate, isFloating, scalarResultType, type DType, type TypedArray } from '../../kernels/dtype.js';
import { broadcastStrides, sameShape, shapeSize } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { StridedArray } from '../../kernels/binary.js';

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

/** A fresh contiguous tensor of `shape` and `dtype` over `data` (allocated when omitted). */
export function newTensor(shape: readonly number[], dtype: DType, data?: TypedArray): Tensor {
  return new Tensor(data ?? allocate(dtype, shapeSize(shape)), shape, { dtype });
}

/** A view of `t` for a kernel, read as if broadcast to `shape`. */
export function stridedAs(t: Tensor, shape: readonly number[]): StridedArray {
  return { data: t.storage, strides: broadcastStrides(t.shape, t.strides, shape), offset: t.offset };
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

// guide:sum-to-shape
/**
 * Sums a gradient of a broadcast result back to an input's shape: first over the leading dims
 * broadcasting added, then (keeping dims) over dims where the input had size 1. Written with
 * tensor ops so it is itself differentiable.
 */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(grad.shape, shape)) return grad;
  const lead = grad.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < grad.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) dims.push(i);
  }
  const summed = dims.length > 0 ? grad.sum(dims, true) : grad;
  return summed.reshape([...shape]);
}
// guide:end
