/**
 * Data types. A tensor's elements live in one typed array whose kind follows the dtype:
 * float32 → Float32Array, float64 → Float64Array, int32 → Int32Array, bool → Uint8Array (0/1).
 */
import { DTypeError } from '../errors.js';
import { checkTensorSize } from './limits.js';

/** The element types a tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed arrays that back tensors. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The typed arrays of floating dtypes: the only ones gradients and float kernels work on. */
export type FloatArray = Float32Array | Float64Array;

/** Every dtype name, in promotion order. */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/**
 * Checks that `dtype` (from untyped JavaScript, or a config) names a tsgrad dtype, so a typo
 * fails at once: `checkDType('float16', 'zeros')` throws DTypeError naming the valid dtypes.
 */
export function checkDType(dtype: unknown, op: string): asserts dtype is DType {
  if (!(DTYPES as readonly unknown[]).includes(dtype)) {
    const shown = typeof dtype === 'string' ? `'${dtype}'` : String(dtype);
    throw new DTypeError(`${op}: unknown dtype ${shown} (expected one of ${DTYPES.join(', ')})`);
  }
}

/**
 * The smallest int32 value, −2³¹. An int32 tensor holds [INT32_MIN, INT32_MAX]; values outside
 * would wrap (3e10 stored as −64771072), so creation refuses them.
 */
export const INT32_MIN = -(2 ** 31);
/** The largest int32 value, 2³¹ − 1. */
export const INT32_MAX = 2 ** 31 - 1;

/**
 * Allocates a zero-filled array of `n` elements for `dtype`, after checking `n` against the
 * per-tensor limit (ShapeError naming `op`) and the dtype (DTypeError).
 */
export function allocate(dtype: DType, n: number, op = 'allocate'): TypedArray {
  checkDType(dtype, op);
  checkTensorSize(op, n, dtype);
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}

/** The dtype whose storage is this typed array (float32 for typed arrays tsgrad does not store). */
export function dtypeOfArray(array: ArrayLike<number>): DType {
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  return 'float32';
}

/** True for float32 and float64, the dtypes that can carry gradients. */
export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** Type promotion for binary ops: float64 > float32 > int32 > bool. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype a plain JS number takes when it meets a tensor of `dtype` (PyTorch's scalar rule:
 * a scalar never widens a tensor, except that a non-integer meets an integer tensor as float32). */
export function scalarResultType(dtype: DType, value: number): DType {
  if (isFloating(dtype)) return dtype;
  return Number.isInteger(value) ? (dtype === 'bool' ? 'int32' : dtype) : 'float32';
}
