/**
 * The strict safetensors reader on plain records (no Tensor class). It runs every check of the
 * reference reader (`read_metadata` + `Metadata::validate`) in the same order, plus the checks a
 * JavaScript reader needs (see safetensors-header.ts and strict-json.ts), validates the whole file
 * before decoding anything, and either returns every tensor or throws one FormatError naming the
 * failed check — never another error, never a partial result.
 *
 * Layout: u64 LE header length N | N bytes of UTF-8 JSON | byte buffer (tensor data).
 */

import type { DType, TypedArray } from '../kernels/dtype.js';
import { decodeTensorData } from './safetensors-decode.js';
import { sharedTensorData } from './safetensors-views.js';
import { FormatError } from '../errors.js';
import { readFailure } from './safetensors-errors.js';
import { parseHeader } from './safetensors-header.js';
import { validateLayout } from './safetensors-layout.js';

/** The reference reader's header cap (`MAX_HEADER_SIZE`), so parsing a hostile header stays bounded. */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * A decoded tensor: dtype, shape and its elements in row-major order (fresh memory it owns, or a
 * view into the file's buffer when read with `zeroCopy` and shareable).
 */
export interface TensorRecord {
  readonly dtype: DType;
  readonly shape: number[];
  readonly data: TypedArray;
}

/** Everything a safetensors file holds: tensors in header order and the `__metadata__` strings. */
export interface DecodedFile {
  readonly tensors: Map<string, TensorRecord>;
  readonly metadata: Map<string, string>;
  /** The names of the tensors the file declared I64 (loaded as int32). */
  readonly int64Names: ReadonlySet<string>;
  /** The names of the tensors the file declared I8 (loaded as int32). */
  readonly int8Names: ReadonlySet<string>;
}

/** Options of the reader. */
export interface ReadOptions {
  /**
   * Largest header, in bytes, to parse; default and maximum 100,000,000 (the reference's cap).
   * Values above the maximum are treated as the maximum; it must be a non-negative integer.
   */
  maxHeaderBytes?: number;
  /**
   * Let tensors be views into the file's buffer instead of copies where the bytes allow it (F32,
   * F64, I32 aligned in their ArrayBuffer on a little-endian host; BOOL of 0/1 bytes); the others
   * are copied. Such tensors share memory with the file: writing to one writes into the buffer
   * and the other way round, and they keep the whole buffer alive. Default false.
   */
  zeroCopy?: boolean;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes strict UTF-8; a BOM is kept as U+FEFF, so the JSON parse rejects it. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch (error: unknown) {
    if (error instanceof TypeError) return readFailure('InvalidHeader', 'the header is not valid UTF-8');
    throw error;
  }
}

/** Reads and validates a safetensors file. Throws FormatError naming the failed check. */
export function decodeSafetensors(input: Uint8Array, options: ReadOptions = {}): DecodedFile {
  if (!(input instanceof Uint8Array)) readFailure('NotAUint8Array', 'expected the file as a Uint8Array');
  // A plain view, so subclasses (Node's Buffer, whose `slice` does not copy) behave like Uint8Array.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const limit = Math.min(options.maxHeaderBytes ?? MAX_HEADER_BYTES, MAX_HEADER_BYTES);
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new FormatError(`loadSafetensors: maxHeaderBytes must be a non-negative integer, got ${limit}`);
  }
  if (options.zeroCopy !== undefined && typeof options.zeroCopy !== 'boolean') {
    throw new TypeError(`loadSafetensors: zeroCopy must be a boolean, got ${typeof options.zeroCopy}`);
  }
  if (bytes.byteLength < 8) {
    readFailure('HeaderTooSmall', `the file has ${bytes.byteLength} bytes, fewer than the 8 of the header length`);
  }
  // Compared as BigInt: converting a u64 near 2^64 to a Number first would round it.
  const declared = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(limit)) {
    readFailure('HeaderTooLarge', `the header length is ${declared} bytes, more than the limit of ${limit}`);
  }
  const headerLength = Number(declared);
  if (8 + headerLength > bytes.byteLength) {
    readFailure(
      'InvalidHeaderLength',
      `the header length is ${headerLength} bytes but only ${bytes.byteLength - 8} follow the length field`,
    );
  }
  const header = parseHeader(decodeUtf8(bytes.subarray(8, 8 + headerLength)));
  const dataStart = 8 + headerLength;
  validateLayout(header.entries, bytes.byteLength - dataStart);
  const tensors = new Map<string, TensorRecord>();
  const int64Names = new Set<string>();
  const int8Names = new Set<string>();
  for (const entry of header.entries) {
    const chunk = bytes.subarray(dataStart + entry.begin, dataStart + entry.end);
    const { dtype, data } = (options.zeroCopy ? sharedTensorData(entry.dtype, chunk) : null) ?? decodeTensorData(entry.dtype, chunk, entry.name);
    tensors.set(entry.name, { dtype, shape: entry.shape, data });
    if (entry.dtype === 'I64') int64Names.add(entry.name);
    if (entry.dtype === 'I8') int8Names.add(entry.name);
  }
  return { tensors, metadata: header.metadata, int64Names, int8Names };
}
