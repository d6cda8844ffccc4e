/**
 * Turns one validated tensor's little-endian bytes into a typed array tsgrad can hold:
 * F32 → float32, F64 → float64, I32 → int32, BOOL → bool (any nonzero byte reads as 1, the
 * truthiness NumPy and PyTorch give it); F16, BF16 and the F8 formats widen exactly to float32;
 * U8, I8, I16, U16 widen to int32; U32, I64 and U64 narrow to int32 when every value fits, else
 * FormatError(ValueOutOfRange). C64 (complex) and the sub-byte F4/F6 formats have no exact tsgrad
 * dtype: FormatError(UnsupportedDType).
 *
 * The result always owns fresh memory: tensors are mutable (in-place ops, optimizer steps), so
 * sharing the file's buffer would let edits flow both ways and keep the whole file alive behind a
 * small tensor. Copying also makes unaligned tensors (writers that do not pad the header) safe,
 * since typed-array views need offsets that are a multiple of the element size.
 */

import type { DType, TypedArray } from '../kernels/dtype.js';
import { bfloat16ToFloat32Bits, float8Table, halfToFloat32Bits } from './float-formats.js';
import type { SafetensorsDType } from './safetensors-dtypes.js';
import { quoteName, readFailure } from './safetensors-errors.js';

/** True on little-endian hosts (all mainstream ones), where typed arrays already read the file's byte order. */
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A tensor's dtype and its elements in row-major order. */
export interface DecodedData {
  readonly dtype: DType;
  readonly data: TypedArray;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Copies 4- or 8-byte little-endian words: one memcpy on little-endian hosts, a DataView loop
 * otherwise (`littleEndianHost` is a parameter so tests can run both paths).
 */
function copyWords<T extends Float32Array | Float64Array | Int32Array>(
  bytes: Uint8Array,
  wordBytes: number,
  make: (buffer: ArrayBuffer) => T,
  read: (view: DataView, offset: number) => number,
  littleEndianHost: boolean,
): T {
  // `new Uint8Array(bytes)` copies; `bytes.slice()` would not on a Node Buffer, whose `slice` is a view.
  if (littleEndianHost) return make(new Uint8Array(bytes).buffer);
  const out = make(new ArrayBuffer(bytes.byteLength));
  const view = viewOf(bytes);
  for (let i = 0; i < out.length; i++) out[i] = read(view, i * wordBytes);
  return out;
}

/** Widens 16-bit floats to float32 by writing the float32 bit patterns directly. */
function widen16(bytes: Uint8Array, toFloat32Bits: (bits: number) => number): Float32Array {
  const view = viewOf(bytes);
  const bits = new Uint32Array(bytes.byteLength / 2);
  for (let i = 0; i < bits.length; i++) bits[i] = toFloat32Bits(view.getUint16(2 * i, true));
  return new Float32Array(bits.buffer);
}

/** Reads `count` integers that always fit int32. */
function widenIntegers(count: number, read: (index: number) => number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

function outOfRange(name: string, dtype: SafetensorsDType, index: number, value: bigint): never {
  return readFailure(
    'ValueOutOfRange',
    `tensor ${quoteName(name)} is ${dtype} and holds ${value} at flat index ${index}, which does not fit ` +
      'in int32 (tsgrad has no 64-bit integer dtype)',
  );
}

/**
 * Narrows 64-bit integers to int32. A two's-complement int64 with 32-bit halves (hi, lo) fits
 * int32 exactly when hi is the sign extension of lo: hi = 0 with lo < 2^31, or hi = −1 with
 * lo ≥ 2^31; an unsigned one fits when hi = 0 and lo < 2^31.
 */
function narrow64(bytes: Uint8Array, name: string, dtype: 'I64' | 'U64'): Int32Array {
  const view = viewOf(bytes);
  const out = new Int32Array(bytes.byteLength / 8);
  for (let i = 0; i < out.length; i++) {
    const lo = view.getUint32(8 * i, true);
    const hi = dtype === 'I64' ? view.getInt32(8 * i + 4, true) : view.getUint32(8 * i + 4, true);
    const fits = lo < 0x80000000 ? hi === 0 : hi === -1; // an unsigned hi is never -1
    if (!fits) outOfRange(name, dtype, i, (BigInt(hi) << 32n) + BigInt(lo));
    out[i] = lo | 0;
  }
  return out;
}

function narrowU32(bytes: Uint8Array, name: string): Int32Array {
  const view = viewOf(bytes);
  return widenIntegers(bytes.byteLength / 4, (i) => {
    const value = view.getUint32(4 * i, true);
    if (value > 0x7fffffff) outOfRange(name, 'U32', i, BigInt(value));
    return value;
  });
}

function unsupported(name: string, dtype: SafetensorsDType, why: string): never {
  return readFailure('UnsupportedDType', `unsupported dtype ${dtype} for tensor ${quoteName(name)} (${why})`);
}

/**
 * Decodes the bytes of tensor `name`, whose size has already been validated against its dtype
 * and shape. Throws FormatError(UnsupportedDType | ValueOutOfRange).
 */
export function decodeTensorData(
  dtype: SafetensorsDType,
  bytes: Uint8Array,
  name: string,
  littleEndianHost: boolean = LITTLE_ENDIAN_HOST,
): DecodedData {
  switch (dtype) {
    case 'F32':
      return {
        dtype: 'float32',
        data: copyWords(bytes, 4, (b) => new Float32Array(b), (v, o) => v.getFloat32(o, true), littleEndianHost),
      };
    case 'F64':
      return {
        dtype: 'float64',
        data: copyWords(bytes, 8, (b) => new Float64Array(b), (v, o) => v.getFloat64(o, true), littleEndianHost),
      };
    case 'I32':
      return {
        dtype: 'int32',
        data: copyWords(bytes, 4, (b) => new Int32Array(b), (v, o) => v.getInt32(o, true), littleEndianHost),
      };
    case 'BOOL':
      return { dtype: 'bool', data: Uint8Array.from(bytes, (byte) => (byte === 0 ? 0 : 1)) };
    case 'F16':
      return { dtype: 'float32', data: widen16(bytes, halfToFloat32Bits) };
    case 'BF16':
      return { dtype: 'float32', data: widen16(bytes, bfloat16ToFloat32Bits) };
    case 'F8_E5M2':
    case 'F8_E4M3':
    case 'F8_E8M0':
    case 'F8_E4M3FNUZ':
    case 'F8_E5M2FNUZ': {
      const table = float8Table(dtype);
      return { dtype: 'float32', data: Float32Array.from(bytes, (byte) => table[byte]) };
    }
    case 'U8':
      return { dtype: 'int32', data: Int32Array.from(bytes) };
    case 'I8': {
      const view = viewOf(bytes);
      return { dtype: 'int32', data: widenIntegers(bytes.byteLength, (i) => view.getInt8(i)) };
    }
    case 'I16': {
      const view = viewOf(bytes);
      return { dtype: 'int32', data: widenIntegers(bytes.byteLength / 2, (i) => view.getInt16(2 * i, true)) };
    }
    case 'U16': {
      const view = viewOf(bytes);
      return { dtype: 'int32', data: widenIntegers(bytes.byteLength / 2, (i) => view.getUint16(2 * i, true)) };
    }
    case 'U32':
      return { dtype: 'int32', data: narrowU32(bytes, name) };
    case 'I64':
    case 'U64':
      return { dtype: 'int32', data: narrow64(bytes, name, dtype) };
    case 'C64':
      return unsupported(name, dtype, 'tsgrad has no complex dtype');
    case 'F4':
    case 'F6_E2M3':
    case 'F6_E3M2':
      return unsupported(name, dtype, 'sub-byte float formats are not decoded');
  }
}
