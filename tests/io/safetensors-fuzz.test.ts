/**
 * Fuzzing the reader with mutated valid files: whatever the bytes, it either returns a complete,
 * self-consistent result or throws FormatError — never another error, never a partial result.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { decodeSafetensors, type DecodedFile } from '../../src/io/safetensors-read.js';
import { encodeSafetensors } from '../../src/io/safetensors-write.js';
import { metadata, stateDict } from './arbitraries.js';

const validFile = fc
  .tuple(stateDict, metadata)
  .map(([tensors, meta]) => encodeSafetensors(tensors, { metadata: meta, int64Keys: (name) => name.length % 2 === 0 }));

/** Bytes JSON headers are made of, so header edits often stay almost-valid. */
const JSON_BYTES = [...'{}[]":,0123456789.eE+-_ \t\n\rtruefalsenull\\u'].map((c) => c.charCodeAt(0));

type Mutation = (file: Uint8Array) => Uint8Array;

const bitFlips: fc.Arbitrary<Mutation> = fc
  .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 })
  .map((flips) => (file) => {
    const out = file.slice();
    for (const [position, bit] of flips) if (out.length > 0) out[position % out.length] ^= 1 << bit;
    return out;
  });

const truncation: fc.Arbitrary<Mutation> = fc.nat().map((cut) => (file) => file.slice(0, cut % (file.length + 1)));

const extension: fc.Arbitrary<Mutation> = fc
  .uint8Array({ minLength: 1, maxLength: 16 })
  .map((extra) => (file) => Uint8Array.from([...file, ...extra]));

/** Replaces, inserts or deletes header bytes (keeping the length field consistent half the time). */
const headerEdit: fc.Arbitrary<Mutation> = fc
  .tuple(fc.nat(), fc.constantFrom(...JSON_BYTES), fc.constantFrom('replace', 'insert', 'delete'), fc.boolean())
  .map(([position, byte, kind, fixLength]) => (file) => {
    const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
    const at = 8 + (position % Math.max(n, 1));
    const head = [...file.subarray(8, 8 + n)];
    if (kind === 'replace') head[at - 8] = byte;
    else if (kind === 'insert') head.splice(at - 8, 0, byte);
    else head.splice(at - 8, 1);
    const out = Uint8Array.from([...file.subarray(0, 8), ...head, ...file.subarray(8 + n)]);
    if (fixLength) new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
    return out;
  });

/** Rewrites one integer of the header (offsets, shape dims, the length field) to another number. */
const numberEdit: fc.Arbitrary<Mutation> = fc
  .tuple(fc.nat(), fc.oneof(fc.nat(64).map(String), fc.constantFrom('1.0', '1e1', '-0', '9007199254740993', '18446744073709551615')))
  .map(([which, replacement]) => (file) => {
    const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
    const header = new TextDecoder().decode(file.subarray(8, 8 + n));
    const numbers = [...header.matchAll(/\d+/g)];
    const target = numbers[which % Math.max(numbers.length, 1)];
    if (target?.index === undefined) return file;
    const edited = header.slice(0, target.index) + replacement + header.slice(target.index + target[0].length);
    const bytes = new TextEncoder().encode(edited);
    const out = new Uint8Array(8 + bytes.length + file.length - 8 - n);
    new DataView(out.buffer).setBigUint64(0, BigInt(bytes.length), true);
    out.set(bytes, 8);
    out.set(file.subarray(8 + n), 8 + bytes.length);
    return out;
  });

const lengthField: fc.Arbitrary<Mutation> = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => (file) => {
  const out = file.slice();
  if (out.length >= 8) new DataView(out.buffer).setBigUint64(0, n, true);
  return out;
});

/** A successful read must be complete: exactly the header's tensors, each with data for its shape. */
function expectComplete(file: Uint8Array, decoded: DecodedFile): void {
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, unknown>;
  const names = Object.keys(header).filter((key) => key !== '__metadata__');
  expect(new Set(decoded.tensors.keys())).toEqual(new Set(names));
  for (const record of decoded.tensors.values()) {
    expect(record.data.length).toBe(record.shape.reduce((a, b) => a * b, 1));
  }
}

/** Reads `file`; returns the check that rejected it, or 'read' after checking the result is complete. */
function readOrFormatError(file: Uint8Array): string {
  let decoded: DecodedFile | undefined;
  try {
    decoded = decodeSafetensors(file);
  } catch (error: unknown) {
    if (!(error instanceof FormatError)) throw error;
    const check = /^loadSafetensors: ([A-Za-z0-9]+): /.exec(error.message);
    expect(check).not.toBeNull();
    return check?.[1] ?? '';
  }
  expectComplete(file, decoded);
  return 'read';
}

describe('reader fuzzing', () => {
  // The last column: outcomes each mutation must reach (so the fuzzing exercises many checks and
  // the success path, not one early rejection).
  it.each([
    ['bit flips', bitFlips, ['read', 'InvalidHeader', 'InvalidHeaderDeserialization', 'HeaderTooLarge']],
    ['truncation', truncation, ['HeaderTooSmall', 'InvalidHeaderLength', 'MetadataIncompleteBuffer']],
    ['trailing bytes', extension, ['MetadataIncompleteBuffer']],
    ['header edits', headerEdit, ['read', 'InvalidHeader', 'InvalidHeaderDeserialization', 'InvalidOffset']],
    ['number edits', numberEdit, ['read', 'InvalidHeaderDeserialization', 'InvalidOffset', 'TensorInvalidInfo']],
    ['length field', lengthField, ['HeaderTooLarge', 'InvalidHeaderLength', 'InvalidHeaderDeserialization']],
  ] as const)('%s: a result or a FormatError, nothing else', (_, mutation, reached) => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(validFile, mutation, (file, mutate) => {
        const outcome = readOrFormatError(mutate(file));
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: 1234, numRuns: 1500 },
    );
    for (const outcome of reached) expect(outcomes.get(outcome)).toBeGreaterThan(0);
  });

  it('random bytes: a result or a FormatError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (file) => {
        readOrFormatError(file);
      }),
      { seed: 99, numRuns: 2000 },
    );
  });

  it('random headers after a correct length field: a result or a FormatError', () => {
    const header = fc.array(fc.constantFrom(...JSON_BYTES), { maxLength: 80 }).map((bytes) => Uint8Array.from(bytes));
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 32 }), (head, data) => {
        const file = new Uint8Array(8 + head.length + data.length);
        new DataView(file.buffer).setBigUint64(0, BigInt(head.length), true);
        file.set(head, 8);
        file.set(data, 8 + head.length);
        readOrFormatError(file);
      }),
      { seed: 5, numRuns: 2000 },
    );
  });

  it('unmutated files read completely', () => {
    fc.assert(fc.property(validFile, (file) => expectComplete(file, decodeSafetensors(file))), { seed: 3, numRuns: 200 });
  });
});
