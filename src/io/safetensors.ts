/**
 * safetensors on Tensors: `saveSafetensors` / `loadSafetensors`, thin wrappers over the
 * byte-level writer and strict reader (safetensors-write.ts, safetensors-read.ts).
 *
 * Loading: F32/F64/I32/BOOL keep their dtype; F16, BF16 and F8 load as float32; U8, I8, I16, U16
 * load as int32; I64, U32, U64 load as int32 when every value fits, else FormatError. Every
 * loaded tensor owns fresh memory (never a view of the file's bytes).
 *
 * Saving int64: tsgrad has no int64 dtype, so an int64 value lives in an int32 tensor. By default
 * an int32 tensor is written as I64 when it stands for an int64 value — it was loaded from an I64
 * entry, it is the state-dict entry of a buffer registered as int64 (BatchNorm's
 * `num_batches_tracked`), or its name is PyTorch's int64 buffer name (`pytorchInt64Keys`) — and as
 * I32 otherwise, so files round-trip with PyTorch's dtypes (`load_state_dict(..., assign=True)`
 * and dtype-comparing tools see int64 where PyTorch has it). `int64Keys` replaces that choice
 * (`int64Keys: []` writes every int32 tensor as I32). Metadata `{ format: 'pt' }` is what
 * transformers requires.
 */

import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { quoteName, writeFailure } from './safetensors-errors.js';
import { decodeSafetensors, type DecodedFile, type ReadOptions } from './safetensors-read.js';
import { encodeSafetensors, pytorchInt64Keys, type Int64KeySelector, type WriteRecord } from './safetensors-write.js';
import { isMarkedInt64, markInt64 } from './int64-marks.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options of `saveSafetensors`. */
export interface SaveOptions {
  /**
   * int32 tensors to write as I64: a list of names (each an int32 tensor) or a predicate asked
   * about every int32 tensor's name, e.g. `pytorchInt64Keys`. Default: the tensors that stand
   * for int64 values (see the file comment).
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
  const standsForInt64 = (name: string) => isMarkedInt64(tensors[name]) || pytorchInt64Keys(name);
  return encodeSafetensors(records, {
    metadata: metadata === undefined ? undefined : new Map(Object.entries(metadata)),
    int64Keys: options.int64Keys ?? standsForInt64,
  });
}

function toTensors(decoded: DecodedFile): Record<string, Tensor> {
  // The reader refuses the name `__proto__`, so plain assignment only ever adds own keys.
  const out: Record<string, Tensor> = {};
  for (const [name, record] of decoded.tensors) {
    const t = tensor(record.data, { dtype: record.dtype, shape: record.shape });
    out[name] = decoded.int64Names.has(name) ? markInt64(t) : t;
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
