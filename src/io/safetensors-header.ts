/**
 * Reads the header JSON of a safetensors file into typed entries (step 5 of the reference reader):
 * the root is an object whose keys are tensor names plus the optional `__metadata__`; each tensor
 * entry has `dtype` (one of the format's strings), `shape` (unsigned integers) and `data_offsets`
 * (exactly [BEGIN, END]). Unknown extra fields in an entry are ignored, as the reference does.
 * Integers must be written as plain digits: the reference deserializes them into Rust `usize`,
 * which refuses `16.0`, `1e1` and `-0`, so this reader refuses those lexemes too.
 */

import { isSafetensorsDType, type SafetensorsDType } from './safetensors-dtypes.js';
import { quoteName, readFailure } from './safetensors-errors.js';
import { StrictJsonReader, type JsonObject, type JsonValue } from './strict-json.js';

/** One tensor as its header entry declares it; offsets are relative to the byte buffer. */
export interface HeaderEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

/** A parsed header: tensor entries in header order, and the `__metadata__` map (empty if absent). */
export interface Header {
  readonly entries: HeaderEntry[];
  readonly metadata: Map<string, string>;
}

/** The reserved key of the free-form string-to-string map. */
export const METADATA_KEY = '__metadata__';

/**
 * Names refused as tensor names and metadata keys: an assignment `record['__proto__'] = x` on a
 * plain object sets its prototype instead of adding a key, so such a name could never round-trip.
 */
export const FORBIDDEN_NAME = '__proto__';

const PLAIN_UNSIGNED_INTEGER = /^(?:0|[1-9][0-9]*)$/;

function invalid(detail: string): never {
  return readFailure('InvalidHeaderDeserialization', detail);
}

function isObject(value: JsonValue): value is JsonObject {
  return value instanceof Map;
}

/** Describes the JSON type of a value for messages. */
function kindOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (value instanceof Map) return 'an object';
  if (Array.isArray(value)) return 'an array';
  return `the number ${value.lexeme}`;
}

/**
 * Parses and checks the header text; throws FormatError(InvalidHeaderDeserialization) on any
 * problem, the first in text order (as the reference's streaming parser). Entries are read
 * straight from the text, never as a JSON tree: the work and memory per header byte stay small
 * (a million empty entries: 59 MB of header, one small record each).
 */
export function parseHeader(text: string): Header {
  const reader = new StrictJsonReader(text, invalid);
  if (!reader.atObject()) {
    const root = reader.readValue(0);
    reader.end();
    invalid(`the header must be a JSON object, not ${kindOf(root)}`);
  }
  const entries: HeaderEntry[] = [];
  let metadata = new Map<string, string>();
  reader.readObject(1, (name) => {
    if (name === METADATA_KEY) metadata = readMetadata(reader.readValue(1));
    else entries.push(readEntry(name, reader));
  });
  reader.end();
  return { entries, metadata };
}

function readMetadata(value: JsonValue): Map<string, string> {
  const metadata = new Map<string, string>();
  if (value === null) return metadata; // the reference's Option<HashMap> reads null as "absent"
  if (!isObject(value)) invalid(`${METADATA_KEY} must be an object of strings, not ${kindOf(value)}`);
  for (const [key, item] of value) {
    if (key === FORBIDDEN_NAME) invalid(`metadata key ${quoteName(key)} is not allowed`);
    if (typeof item !== 'string') {
      invalid(`${METADATA_KEY} value of ${quoteName(key)} must be a string, not ${kindOf(item)}`);
    }
    metadata.set(key, item);
  }
  return metadata;
}

/** Reads the entry at the reader's cursor: its three fields are kept, other fields read and dropped. */
function readEntry(name: string, reader: StrictJsonReader): HeaderEntry {
  if (name === FORBIDDEN_NAME) invalid(`tensor name ${quoteName(name)} is not allowed`);
  if (!reader.atObject()) {
    const value = reader.readValue(1);
    invalid(`${entryLabel(name)} must be an object, not ${kindOf(value)}`);
  }
  let dtype: JsonValue | undefined;
  let shape: JsonValue | undefined;
  let offsets: JsonValue | undefined;
  reader.readObject(2, (key) => {
    const value = reader.readValue(2);
    if (key === 'dtype') dtype = value;
    else if (key === 'shape') shape = value;
    else if (key === 'data_offsets') offsets = value;
  });
  if (dtype === undefined) invalid(`${entryLabel(name)} has no "dtype"`);
  if (shape === undefined) invalid(`${entryLabel(name)} has no "shape"`);
  if (offsets === undefined) invalid(`${entryLabel(name)} has no "data_offsets"`);
  if (typeof dtype !== 'string') invalid(`${entryLabel(name)}: "dtype" must be a string, not ${kindOf(dtype)}`);
  if (!isSafetensorsDType(dtype)) invalid(`${entryLabel(name)}: unknown dtype ${quoteName(dtype)}`);
  if (!Array.isArray(shape)) invalid(`${entryLabel(name)}: "shape" must be an array, not ${kindOf(shape)}`);
  if (!Array.isArray(offsets)) invalid(`${entryLabel(name)}: "data_offsets" must be an array, not ${kindOf(offsets)}`);
  if (offsets.length !== 2) {
    invalid(`${entryLabel(name)}: "data_offsets" must have exactly 2 elements, not ${offsets.length}`);
  }
  const dims = shape.map((dim, i) => unsignedInteger(dim, () => `${entryLabel(name)}: shape[${i}]`));
  const begin = unsignedInteger(offsets[0], () => `${entryLabel(name)}: data_offsets[0]`);
  const end = unsignedInteger(offsets[1], () => `${entryLabel(name)}: data_offsets[1]`);
  return { name, dtype, shape: dims, begin, end };
}

/** How messages name the entry `name` (built only on failure: a header may hold a million entries). */
function entryLabel(name: string): string {
  return `tensor ${quoteName(name)}`;
}

/** A plain-digit integer lexeme whose value is a safe integer (≤ 2^53 − 1), else FormatError. */
function unsignedInteger(value: JsonValue, what: () => string): number {
  if (value === null || typeof value !== 'object' || value instanceof Map || Array.isArray(value)) {
    return invalid(`${what()} must be an unsigned integer, not ${kindOf(value)}`);
  }
  const { lexeme } = value;
  if (!PLAIN_UNSIGNED_INTEGER.test(lexeme)) {
    invalid(`${what()} is ${lexeme}, not a plain unsigned integer (no sign, fraction or exponent)`);
  }
  const number = Number(lexeme);
  if (!Number.isSafeInteger(number)) invalid(`${what()} is ${lexeme}, larger than 2^53 - 1`);
  return number;
}
