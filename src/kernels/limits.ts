/**
 * The largest tensor tsgrad allocates, checked before any memory is taken, so an impossible or
 * mistaken size (`arange(0, 3e9)`, `zeros(1e5, 1e5)`) fails at once with a ShapeError naming the
 * op and the size instead of allocating gigabytes or failing deep inside the engine.
 */
import { ShapeError, fmtShape } from '../errors.js';
import type { DType } from './dtype.js';

/**
 * Most elements in one tensor: 2³¹ − 1, the largest count an int32 position can address (argmax,
 * gather and indexSelect return or take int32 indices).
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

/**
 * Most bytes in one tensor's storage: 2³² (4 GiB), the largest typed array Node 20 allocates and
 * the size of a 32-bit WebAssembly memory, which the SIMD kernels address.
 */
export const MAX_TENSOR_BYTES = 2 ** 32;

/** Bytes per element of each dtype's storage. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/**
 * Throws a ShapeError naming `op` when `count` elements of `dtype` (a tensor of `shape`, when
 * given) exceed MAX_TENSOR_ELEMENTS or MAX_TENSOR_BYTES, or `count` is not a whole number.
 * `checkTensorSize('zeros', 1e10, 'float32', [1e10])` throws; call it before allocating.
 */
export function checkTensorSize(op: string, count: number, dtype: DType, shape?: readonly number[]): void {
  const bytes = count * BYTES_PER_ELEMENT[dtype];
  if (Number.isInteger(count) && count >= 0 && count <= MAX_TENSOR_ELEMENTS && bytes <= MAX_TENSOR_BYTES) return;
  const what = shape === undefined ? `${count} elements` : `shape ${fmtShape(shape)} (${count} elements)`;
  if (!Number.isInteger(count) || count < 0) throw new ShapeError(`${op}: invalid element count for ${what}`);
  throw new ShapeError(
    `${op}: ${what} of ${dtype} needs ${bytes} bytes, more than the per-tensor limit of ` +
      `${MAX_TENSOR_ELEMENTS} elements and ${MAX_TENSOR_BYTES} bytes (4 GiB)`,
  );
}
