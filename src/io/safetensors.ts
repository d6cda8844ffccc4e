/**
 * safetensors on Tensors: `saveSafetensors` / `loadSafetensors`, thin wrappers over the
 * byte-level writer and strict reader (safetensors-write.ts, safetensors-read.ts).
 *
 * Loading: F32/F64/I32/BOOL keep their dtype; F16, BF16 and F8 load as float32; U8, I8, I16, U16
 * load as int32; I64, U32, U64 load as int32 when every value fits, else FormatError. Every
 * loaded tensor owns fresh memory unless `zeroCopy` asks for views of the file's bytes.
 *
 * Saving int8: an int32 tensor marked as standing for int8 values (a quantized layer's weight, or
 * a tensor loaded from I8; see int8-marks.ts) is written as I8, so an I8 entry round-trips.
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
import { isMarkedInt8, markInt8 } from './int8-marks.js';
import { checkOptions, optionKeys } from '../options.js';
import { FormatError } from '../errors.js';

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
    int8Keys: (name) => isMarkedInt8(tensors[name]),
  });
}

function toTensors(decoded: DecodedFile): Record<string, Tensor> {
  // The reader refuses the name `__proto__`, so plain assignment only ever adds own keys.
  const out: Record<string, Tensor> = {};
  for (const [name, record] of decoded.tensors) {
    const t = tensor(record.data, { dtype: record.dtype, shape: record.shape });
    out[name] = decoded.int64Names.has(name) ? markInt64(t) : decoded.int8Names.has(name) ? markInt8(t) : t;
  }
  return out;
}

/**
 * A source of a file's bytes that must be awaited: anything with `arrayBuffer()` — a fetch
 * `Response`, a `Blob` or `File` (a file input, a drag and drop). When it has `ok` (a Response),
 * `ok: false` is refused with its status instead of being parsed as a file.
 */
export interface ResponseLike {
  /** All the bytes, as the `Response`/`Blob` method gives them. */
  arrayBuffer(): Promise<ArrayBuffer>;
  /** A Response's success flag (status 200–299). */
  readonly ok?: boolean;
  /** A Response's HTTP status. */
  readonly status?: number;
  /** A Response's status text. */
  readonly statusText?: string;
  /** A Response's URL. */
  readonly url?: string;
}

/** The bytes of a safetensors file held in memory: any Uint8Array view (a Node Buffer too), or an (Shared)ArrayBuffer. */
export type SafetensorsBytes = Uint8Array | ArrayBufferLike;

const LOAD_KEYS = optionKeys<LoadOptions>({ maxHeaderBytes: true, zeroCopy: true });

function isResponseLike(input: unknown): input is ResponseLike {
  return typeof input === 'object' && input !== null && !(input instanceof Uint8Array) &&
    typeof (input as { arrayBuffer?: unknown }).arrayBuffer === 'function';
}

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (ArrayBuffer.isView(input)) return `a ${input.constructor.name} (wrap its bytes: new Uint8Array(view.buffer, view.byteOffset, view.byteLength))`;
  if (typeof input === 'object') return `an object without arrayBuffer() (${input.constructor?.name ?? 'no prototype'})`;
  return typeof input;
}

/** The file as a Uint8Array (a view, never a copy). */
function bytesOf(op: string, input: unknown): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer)) return new Uint8Array(input);
  throw new FormatError(
    `${op}: NotAUint8Array: expected the file as a Uint8Array, an ArrayBuffer or a Response-like object (with arrayBuffer()), got ${describeInput(input)}`,
  );
}

/** Awaits a response's bytes, refusing an HTTP failure before parsing its body as a file. */
export async function responseBytes(op: string, response: ResponseLike, url = response.url): Promise<Uint8Array> {
  if (!isResponseLike(response)) throw new TypeError(`${op}: expected a Response-like object (with arrayBuffer()), got ${describeInput(response)}`);
  if (response.ok === false) {
    const what = [response.status, response.statusText].filter((x) => x !== undefined && x !== '').join(' ');
    throw new Error(`${op}: the response${url ? ` for ${url}` : ''} is not ok (HTTP ${what || 'failure'})`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Decodes bytes or, for a Response-like, awaits its bytes and decodes them: sync or async by input. */
function loadWith<T>(op: string, input: unknown, options: LoadOptions, read: (bytes: Uint8Array) => T): T | Promise<T> {
  if (isResponseLike(input)) {
    return (async () => {
      checkOptions(op, options, LOAD_KEYS);
      return read(await responseBytes(op, input));
    })();
  }
  checkOptions(op, options, LOAD_KEYS);
  return read(bytesOf(op, input));
}

/**
 * Reads a safetensors file into named tensors (header order; as for any JS object, integer-like
 * names enumerate first). The whole file is validated first; a malformed file throws FormatError
 * naming the failed check (HeaderTooSmall, InvalidOffset, …), and nothing is returned partially.
 *
 * Bytes in memory (a Uint8Array view at any offset, a Node Buffer, an ArrayBuffer) load
 * synchronously. A Response-like (a fetch `Response`, a `Blob`) can only be read asynchronously,
 * so for one the result is a Promise — the types say which: `await io.loadSafetensors(response)`.
 * Every failure of that form, options included, rejects the Promise.
 *
 * `zeroCopy: true` makes tensors views into the file's buffer where alignment and byte order
 * allow (F32, F64 and I32 whose data starts at a multiple of 4 or 8 bytes in the ArrayBuffer, on
 * little-endian hosts — every mainstream one; BOOL whose bytes are 0/1); the rest are copied.
 * A shared tensor and the buffer are one memory: writing to the tensor (in-place ops, optimizer
 * steps, `loadStateDict` with `assign: true` then training) writes into the buffer and the other
 * way round, and the tensor keeps the whole buffer alive. Memory (`bench/load-memory.ts`: a
 * 52.4 MB file of 50 F32 tensors read with `fs.readFileSync`, Node 20, growth of
 * `process.memoryUsage().arrayBuffers` with the file's bytes still held): copying 104.9 MB (the
 * file and a copy of it), zero-copy 52.4 MB (the file alone, which the tensors then are).
 *
 * @example const state = io.loadSafetensors(bytes, { zeroCopy: true })
 */
export function loadSafetensors(bytes: SafetensorsBytes, options?: LoadOptions): Record<string, Tensor>;
/** The form for a Response-like (fetch `Response`, `Blob`): resolves to the tensors. `await io.loadSafetensors(await fetch(url))` */
export function loadSafetensors(response: ResponseLike, options?: LoadOptions): Promise<Record<string, Tensor>>;
export function loadSafetensors(
  input: SafetensorsBytes | ResponseLike,
  options: LoadOptions = {},
): Record<string, Tensor> | Promise<Record<string, Tensor>> {
  return loadWith('loadSafetensors', input, options, (bytes) => toTensors(decodeSafetensors(bytes, options)));
}

/** Like `loadSafetensors`, also returning the header's `__metadata__` map (empty when absent). */
export function loadSafetensorsWithMetadata(bytes: SafetensorsBytes, options?: LoadOptions): LoadedSafetensors;
/** The form for a Response-like (fetch `Response`, `Blob`): resolves to the tensors and metadata. */
export function loadSafetensorsWithMetadata(response: ResponseLike, options?: LoadOptions): Promise<LoadedSafetensors>;
export function loadSafetensorsWithMetadata(
  input: SafetensorsBytes | ResponseLike,
  options: LoadOptions = {},
): LoadedSafetensors | Promise<LoadedSafetensors> {
  return loadWith('loadSafetensorsWithMetadata', input, options, (bytes) => {
    const decoded = decodeSafetensors(bytes, options);
    return { tensors: toTensors(decoded), metadata: Object.fromEntries(decoded.metadata) };
  });
}
