/**
 * safetensors on Tensors: `saveSafetensors` / `loadSafetensors`, thin wrappers over the
 * byte-level writer and strict reader (safetensors-write.ts, safetensors-read.ts).
 *
 * Loading: F32/F64/I32/BOOL keep their dtype; F16, BF16 and F8 load as float32; U8, I8, I16, U16
 * load as int32; I64, U32, U64 load as int32 when every value fits, else FormatError. Every
 * loaded tensor owns fresh memory (never a view of the file's bytes).
 *
 * Saving int64: tsgrad has no int64 dtype, so int32 tensors are written as I32 by default, which
 * round-trips exactly. PyTorch stores BatchNorm's `num_batches_tracked` as int64; its default
 * `load_state_dict` copies an int32 value into the int64 buffer without complaint, but
 * `load_state_dict(..., assign=True)` and dtype-comparing tools would see int32. To produce a
 * file with PyTorch's exact dtypes, pass `{ int64Keys: pytorchInt64Keys }` (and metadata
 * `{ format: 'pt' }`, which transformers requires).
 */

import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { quoteName, writeFailure } from './safetensors-errors.js';
import { decodeSafetensors, type DecodedFile, type ReadOptions } from './safetensors-read.js';
import { encodeSafetensors, type Int64KeySelector, type WriteRecord } from './safetensors-write.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options of `saveSafetensors`. */
export interface SaveOptions {
  /**
   * int32 tensors to write as I64: a list of names (each an int32 tensor) or a predicate asked
   * about every int32 tensor's name, e.g. `pytorchInt64Keys`.
   */
  int64Keys?: Int64KeySelector;
}

/** Options of `loadSafetensors`. */
export type LoadOptions = ReadOptions;

/** The tensors and the `__metadata__` strings of a file. */
export interface LoadedSafetensors {
  /** The tensors by name. */
  tensors: Record<string, Tensor>;
  /** The header's `__metadata__` string map ({} when absent). */
  metadata: Record<string, string>;
}

/**
 * Serializes named tensors (e.g. `model.stateDict()`) as a safetensors file, byte-compatible with
 * the reference writer. `metadata` becomes the header's `__metadata__` string map. Throws
 * ShapeError, DTypeError or FormatError (reserved or unencodable names) before writing anything.
 */
export function saveSafetensors(
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
  options: SaveOptions = {},
): Uint8Array {
  checkOptions('saveSafetensors', options, optionKeys<SaveOptions>({ int64Keys: true }));
  const records = new Map<string, WriteRecord>();
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t instanceof Tensor)) writeFailure(`the value of ${quoteName(name)} is not a Tensor`);
    records.set(name, { dtype: t.dtype, shape: t.shape, data: t.toTypedArray() });
  }
  return encodeSafetensors(records, {
    metadata: metadata === undefined ? undefined : new Map(Object.entries(metadata)),
    int64Keys: options.int64Keys,
  });
}

function toTensors(decoded: DecodedFile): Record<string, Tensor> {
  // The reader refuses the name `__proto__`, so plain assignment only ever adds own keys.
  const out: Record<string, Tensor> = {};
  for (const [name, record] of decoded.tensors) {
    out[name] = tensor(record.data, { dtype: record.dtype, shape: record.shape });
  }
  return out;
}

/**
 * Reads a safetensors file into named tensors (header order; as for any JS object, integer-like
 * names enumerate first). The whole file is validated first; a malformed file throws FormatError
 * naming the failed check (HeaderTooSmall, InvalidOffset, …), and nothing is returned partially.
 */
export function loadSafetensors(bytes: Uint8Array, options: LoadOptions = {}): Record<string, Tensor> {
  checkOptions('loadSafetensors', options, optionKeys<LoadOptions>({ maxHeaderBytes: true }));
  return toTensors(decodeSafetensors(bytes, options));
}

/** Like `loadSafetensors`, also returning the header's `__metadata__` map (empty when absent). */
export function loadSafetensorsWithMetadata(bytes: Uint8Array, options: LoadOptions = {}): LoadedSafetensors {
  checkOptions('loadSafetensorsWithMetadata', options, optionKeys<LoadOptions>({ maxHeaderBytes: true }));
  const decoded = decodeSafetensors(bytes, options);
  return { tensors: toTensors(decoded), metadata: Object.fromEntries(decoded.metadata) };
}
