/**
 * State buffers of the optimizers: contiguous tensors shaped and typed like their parameter, so
 * the update loops can walk their elements by index, plus the checked copies that saving and
 * loading a state dict make.
 */
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { allocate, type FloatArray, type TypedArray } from '../kernels/dtype.js';
import { sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** `array` as a float array; a DTypeError naming `where` if it holds integers or booleans. */
export function floatValues(array: TypedArray, where: string): FloatArray {
  if (array instanceof Float32Array || array instanceof Float64Array) return array;
  throw new DTypeError(`${where} must be float32 or float64`);
}

/** A fresh contiguous buffer with p's shape and dtype, every element `fill`. */
export function newBuffer(p: Tensor, fill = 0): Tensor {
  const data = allocate(p.dtype, p.size);
  if (fill !== 0) data.fill(fill);
  return new Tensor(data, p.shape, { dtype: p.dtype });
}

/** The elements of a buffer made by `newBuffer` or `loadedBuffer` (contiguous, from 0). */
export function bufferValues(buffer: Tensor): FloatArray {
  return floatValues(buffer.storage, 'optimizer state buffer');
}

/** A copy of a buffer for a state dict. */
export function savedBuffer(buffer: Tensor): Tensor {
  return new Tensor(buffer.toTypedArray(), buffer.shape, { dtype: buffer.dtype });
}

/** `saved[key]` as a fresh buffer for `p` (p's dtype), checked to be a tensor of p's shape. */
export function loadedBuffer(saved: Record<string, Tensor | number>, key: string, p: Tensor, where: string): Tensor {
  const value = saved[key];
  if (!(value instanceof Tensor)) throw new TypeError(`${where}: state '${key}' must be a tensor`);
  if (!sameShape(value.shape, p.shape)) {
    throw new ShapeError(`${where}: state '${key}' has shape ${fmtShape(value.shape)}, the parameter ${fmtShape(p.shape)}`);
  }
  const source = value.data();
  const data = allocate(p.dtype, p.size);
  for (let i = 0; i < data.length; i++) data[i] = source[i];
  return new Tensor(data, p.shape, { dtype: p.dtype });
}

/** `saved[key]` as a buffer when present, else null (for buffers only some options create). */
export function loadedOptionalBuffer(saved: Record<string, Tensor | number>, key: string, p: Tensor, where: string): Tensor | null {
  return saved[key] === undefined ? null : loadedBuffer(saved, key, p, where);
}

/** `saved[key]` checked to be a non-negative integer (a step count). */
export function loadedStep(saved: Record<string, Tensor | number>, key: string, where: string): number {
  const value = saved[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${where}: state '${key}' must be a non-negative integer`);
  }
  return value;
}
