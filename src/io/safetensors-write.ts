/**
 * The safetensors writer on plain records (no Tensor class), byte-compatible with the reference
 * writer (`prepare` + `serialize`):
 *  1. tensors sorted by dtype descending in the reference enum order, then by name ascending
 *     (code-point order, which is UTF-8 byte order, like Rust's `String` ordering);
 *  2. offsets assigned consecutively from 0;
 *  3. compact JSON header: `__metadata__` first when given, then the tensors in offset order,
 *     each as {"dtype","shape","data_offsets"} in that key order;
 *  4. the header padded with spaces (0x20) to a multiple of 8 bytes, at most 100,000,000;
 *  5. u64 LE header length, header, then each tensor's little-endian bytes.
 * Sorting 8-byte dtypes first keeps every tensor aligned to its element size in the file.
 *
 * dtypes: float32 → F32, float64 → F64, int32 → I32 (or I64 for the names `int64Keys` selects),
 * bool → BOOL (bytes 0/1).
 */

import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import type { DType, TypedArray } from '../kernels/dtype.js';
import { LITTLE_ENDIAN_HOST } from './safetensors-decode.js';
import { bitSize, dtypeRank } from './safetensors-dtypes.js';
import { quoteName, writeFailure } from './safetensors-errors.js';
import { FORBIDDEN_NAME, METADATA_KEY } from './safetensors-header.js';
import { MAX_HEADER_BYTES } from './safetensors-read.js';

/** A tensor to write: dtype, shape and its elements in row-major order. */
export interface WriteRecord {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;
}

/** Which int32 tensors to write as I64: a list of names, or a predicate on the name. */
export type Int64KeySelector = readonly string[] | ((name: string) => boolean);

/** Options of the writer. */
export interface WriteOptions {
  /** The `__metadata__` string map, written first in the header, in insertion order. Omitted when undefined. */
  metadata?: ReadonlyMap<string, string>;
  /**
   * int32 tensors to store as I64 (each value sign-extended): a list of names (each must be an
   * int32 tensor), or a predicate asked about every int32 tensor's name. PyTorch keeps some
   * integer buffers as int64 (BatchNorm's `num_batches_tracked`); see `pytorchInt64Keys`.
   */
  int64Keys?: Int64KeySelector;
  /** int32 tensors to store as I8 (each value must lie in [−128, 127]): a predicate on the name. */
  int8Keys?: (name: string) => boolean;
}

/**
 * An `int64Keys` predicate for PyTorch state dicts: selects BatchNorm's `num_batches_tracked`
 * buffer (alone or as the last part of a dotted name), which PyTorch stores as a 0-d int64.
 * `saveSafetensors` uses it by default, together with the tensors marked as int64 (see int64-marks.ts).
 */
export function pytorchInt64Keys(name: string): boolean {
  return name === 'num_batches_tracked' || name.endsWith('.num_batches_tracked');
}

/** The file dtypes the writer produces. */
type WrittenDType = 'F32' | 'F64' | 'I32' | 'I64' | 'I8' | 'BOOL';

const FILE_DTYPE: Record<DType, WrittenDType> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

const ARRAY_CLASS: Record<DType, string> = {
  float32: 'Float32Array',
  float64: 'Float64Array',
  int32: 'Int32Array',
  bool: 'Uint8Array',
};

function arrayMatches(dtype: DType, data: TypedArray): boolean {
  switch (dtype) {
    case 'float32':
      return data instanceof Float32Array;
    case 'float64':
      return data instanceof Float64Array;
    case 'int32':
      return data instanceof Int32Array;
    case 'bool':
      return data instanceof Uint8Array;
  }
}

/** A lone surrogate has no UTF-8 encoding, so such a name could not be written faithfully. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkEncodable(text: string, what: string): void {
  if (LONE_SURROGATE.test(text)) writeFailure(`${what} ${quoteName(text)} contains a lone surrogate`);
}

function checkName(name: string, what: string): void {
  if (name === FORBIDDEN_NAME) writeFailure(`${what} ${quoteName(name)} is not allowed`);
  checkEncodable(name, what);
}

/**
 * Orders strings by code point (= UTF-8 byte order). UTF-16 unit order agrees except that
 * surrogates (0xD800–0xDFFF, used for code points ≥ 0x10000) sort below units 0xE000–0xFFFF;
 * lifting surrogates above them restores code-point order.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return liftSurrogate(x) - liftSurrogate(y);
  }
  return a.length - b.length;
}

function liftSurrogate(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

interface PlannedTensor {
  readonly name: string;
  readonly record: WriteRecord;
  readonly fileDType: WrittenDType;
  readonly byteLength: number;
}

/**
 * The predicate behind `int64Keys`. A list must name int32 tensors that exist; a predicate is
 * only asked about int32 tensors.
 */
function selectsInt64(
  selector: Int64KeySelector | undefined,
  tensors: ReadonlyMap<string, WriteRecord>,
): (name: string) => boolean {
  if (selector === undefined) return () => false;
  if (typeof selector === 'function') return selector;
  for (const name of selector) {
    const record = tensors.get(name);
    if (record === undefined) writeFailure(`int64Keys names ${quoteName(name)}, which is not among the tensors`);
    if (record.dtype !== 'int32') {
      throw new DTypeError(
        `saveSafetensors: int64Keys names tensor ${quoteName(name)}, which is ${record.dtype}, not int32`,
      );
    }
  }
  const names = new Set(selector);
  return (name) => names.has(name);
}

function plan(name: string, record: WriteRecord, asInt64: boolean, asInt8 = false): PlannedTensor {
  checkName(name, 'tensor name');
  if (name === METADATA_KEY) writeFailure(`tensor name ${quoteName(name)} is reserved for the metadata`);
  const { dtype, shape, data } = record;
  if (!Object.hasOwn(FILE_DTYPE, dtype)) {
    throw new DTypeError(`saveSafetensors: tensor ${quoteName(name)} has unknown dtype ${String(dtype)}`);
  }
  if (!arrayMatches(dtype, data)) {
    throw new DTypeError(
      `saveSafetensors: tensor ${quoteName(name)} is ${dtype}, so its data must be a ${ARRAY_CLASS[dtype]}`,
    );
  }
  let elements = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new ShapeError(`saveSafetensors: tensor ${quoteName(name)} has invalid shape ${fmtShape(shape)}`);
    }
    elements *= dim;
  }
  if (elements !== data.length) {
    throw new ShapeError(
      `saveSafetensors: tensor ${quoteName(name)} has shape ${fmtShape(shape)} (${elements} elements) ` +
        `but ${data.length} values`,
    );
  }
  if (asInt8) {
    for (let i = 0; i < data.length; i++) {
      if (data[i] < -128 || data[i] > 127) {
        throw new DTypeError(`saveSafetensors: tensor ${quoteName(name)} is written as I8, but element ${i} is ${data[i]}, outside [-128, 127]`);
      }
    }
  }
  const fileDType: WrittenDType = asInt64 ? 'I64' : asInt8 ? 'I8' : FILE_DTYPE[dtype];
  return { name, record, fileDType, byteLength: (elements * bitSize(fileDType)) / 8 };
}

function metadataJson(metadata: ReadonlyMap<string, string>): string {
  const members: string[] = [];
  for (const [key, value] of metadata) {
    checkName(key, 'metadata key');
    if (typeof value !== 'string') writeFailure(`metadata value of ${quoteName(key)} must be a string`);
    checkEncodable(value, 'metadata value');
    members.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  return `${JSON.stringify(METADATA_KEY)}:{${members.join(',')}}`;
}

/**
 * Writes `data` as little-endian `fileDType` bytes into `out` at `offset`: a memcpy for
 * F32/F64/I32 on little-endian hosts, a DataView loop otherwise (`littleEndianHost` is a
 * parameter so tests can run both paths); I64 sign-extends each int32 into a high word.
 */
export function writeTensorBytes(
  out: Uint8Array,
  offset: number,
  data: TypedArray,
  fileDType: WrittenDType,
  littleEndianHost: boolean = LITTLE_ENDIAN_HOST,
): void {
  const view = new DataView(out.buffer, out.byteOffset + offset);
  switch (fileDType) {
    case 'BOOL':
      for (let i = 0; i < data.length; i++) out[offset + i] = data[i] === 0 ? 0 : 1;
      return;
    case 'I8':
      // Two's complement: the low byte of each value (checked to lie in [−128, 127]).
      for (let i = 0; i < data.length; i++) out[offset + i] = data[i] & 0xff;
      return;
    case 'I64':
      for (let i = 0; i < data.length; i++) {
        const value = data[i];
        view.setInt32(8 * i, value, true);
        view.setInt32(8 * i + 4, value < 0 ? -1 : 0, true);
      }
      return;
    case 'F32':
    case 'F64':
    case 'I32':
      if (littleEndianHost) {
        out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
        return;
      }
      for (let i = 0; i < data.length; i++) {
        const value = data[i];
        if (fileDType === 'F32') view.setFloat32(4 * i, value, true);
        else if (fileDType === 'F64') view.setFloat64(8 * i, value, true);
        else view.setInt32(4 * i, value, true);
      }
      return;
  }
}

/** Serializes `tensors` as a safetensors file. Throws ShapeError, DTypeError or FormatError before writing anything. */
export function encodeSafetensors(tensors: ReadonlyMap<string, WriteRecord>, options: WriteOptions = {}): Uint8Array {
  const asInt64 = selectsInt64(options.int64Keys, tensors);
  const asInt8 = options.int8Keys ?? (() => false);
  const planned = [...tensors].map(([name, record]) => {
    const wide = record.dtype === 'int32' && asInt64(name);
    return plan(name, record, wide, record.dtype === 'int32' && !wide && asInt8(name));
  });
  planned.sort((a, b) => dtypeRank(b.fileDType) - dtypeRank(a.fileDType) || compareCodePoints(a.name, b.name));

  const members: string[] = options.metadata === undefined ? [] : [metadataJson(options.metadata)];
  let offset = 0;
  for (const t of planned) {
    const shape = t.record.shape.join(',');
    const offsets = `${offset},${offset + t.byteLength}`;
    members.push(`${JSON.stringify(t.name)}:{"dtype":"${t.fileDType}","shape":[${shape}],"data_offsets":[${offsets}]}`);
    offset += t.byteLength;
  }
  const json = new TextEncoder().encode(`{${members.join(',')}}`);
  const headerLength = Math.ceil(json.byteLength / 8) * 8;
  if (headerLength > MAX_HEADER_BYTES) {
    writeFailure(`HeaderTooLarge: the header needs ${headerLength} bytes, more than ${MAX_HEADER_BYTES}`);
  }

  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerLength);
  let position = 8 + headerLength;
  for (const t of planned) {
    writeTensorBytes(out, position, t.record.data, t.fileDType);
    position += t.byteLength;
  }
  return out;
}
