/**
 * Zero-copy decoding: a tensor's elements as a typed-array view into the file's own buffer,
 * where the bytes already are what tsgrad would hold. That is F32, F64 and I32 on a
 * little-endian host (the file is little-endian) whose data starts at a multiple of the element
 * size in the underlying ArrayBuffer (typed-array views need that alignment), and BOOL whose bytes
 * are all 0 or 1 (any other byte must read as 1, which needs a converted copy). Every other case
 * returns null and the caller copies. The reference writer pads the header so that data starts
 * 8-byte aligned and orders tensors by decreasing alignment, so every F32/F64/I32 tensor of such a
 * file shares memory when the file's bytes start aligned in their buffer (an ArrayBuffer, a
 * `Response`'s bytes, `fs.readFileSync` of a large file).
 */

import type { DType, TypedArray } from '../kernels/dtype.js';
import type { SafetensorsDType } from './safetensors-dtypes.js';
import { LITTLE_ENDIAN_HOST } from './safetensors-decode.js';

/** The dtypes that can be shared, with their tsgrad dtype and element size in bytes. */
const SHAREABLE: Partial<Record<SafetensorsDType, { dtype: DType; bytes: number }>> = {
  F32: { dtype: 'float32', bytes: 4 },
  F64: { dtype: 'float64', bytes: 8 },
  I32: { dtype: 'int32', bytes: 4 },
  BOOL: { dtype: 'bool', bytes: 1 },
};

/**
 * A view of `bytes` as the tensor's typed array when it can share memory, else null.
 * (`littleEndianHost` is a parameter so tests can run the big-endian answer.)
 */
export function sharedTensorData(
  dtype: SafetensorsDType,
  bytes: Uint8Array,
  littleEndianHost: boolean = LITTLE_ENDIAN_HOST,
): { dtype: DType; data: TypedArray } | null {
  const kind = SHAREABLE[dtype];
  if (!kind || (kind.bytes > 1 && !littleEndianHost) || bytes.byteOffset % kind.bytes !== 0) return null;
  const { buffer, byteOffset, byteLength } = bytes;
  const count = byteLength / kind.bytes;
  switch (kind.dtype) {
    case 'float32':
      return { dtype: kind.dtype, data: new Float32Array(buffer, byteOffset, count) };
    case 'float64':
      return { dtype: kind.dtype, data: new Float64Array(buffer, byteOffset, count) };
    case 'int32':
      return { dtype: kind.dtype, data: new Int32Array(buffer, byteOffset, count) };
    default:
      return bytes.every((b) => b <= 1) ? { dtype: kind.dtype, data: new Uint8Array(buffer, byteOffset, count) } : null;
  }
}
