/**
 * Checks that the header's tensors tile the byte buffer exactly (steps 6–8 of the reference
 * reader). Entries sorted by (BEGIN, END) must start where the previous one ended, starting at 0;
 * each must be exactly `product(shape) × bits / 8` bytes long; and the last must end at the end of
 * the file. Together this means no overlap, no gaps and no trailing bytes (no polyglot files), and
 * the decoded tensors can never need more memory than the file's size (times the widening of F16
 * or small integers to 32 bits).
 */

import { bitSize } from './safetensors-dtypes.js';
import { quoteName, readFailure } from './safetensors-errors.js';
import type { HeaderEntry } from './safetensors-header.js';

/** usize of the reference on 64-bit hosts: element and bit counts above it overflow there. */
const USIZE_MAX = (1n << 64n) - 1n;

/**
 * The byte size of `shape` elements of `bits` bits when every prefix product (times `bits`) is a
 * safe integer and the bits fill whole bytes; null otherwise (the exact BigInt path decides).
 */
function exactByteSize(shape: readonly number[], bits: number): number | null {
  let count = bits;
  for (const dim of shape) {
    count *= dim;
    if (count > Number.MAX_SAFE_INTEGER) return null;
  }
  return count % 8 === 0 ? count / 8 : null;
}

/**
 * Validates the layout of `entries` over a byte buffer of `bufferLength` bytes; throws FormatError
 * naming InvalidOffset, ValidationOverflow, MisalignedSlice, TensorInvalidInfo or
 * MetadataIncompleteBuffer.
 */
export function validateLayout(entries: readonly HeaderEntry[], bufferLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let start = 0;
  for (const entry of sorted) {
    if (entry.begin !== start || entry.end < entry.begin) {
      readFailure(
        'InvalidOffset',
        `tensor ${quoteName(entry.name)} has data_offsets [${entry.begin},${entry.end}] but the previous tensor ends at ${start}`,
      );
    }
    start = entry.end;
    // The common case in plain numbers: every prefix product of the shape, times the bits per
    // element, stays a safe integer, so it cannot overflow 64 bits and is exact.
    const fast = exactByteSize(entry.shape, bitSize(entry.dtype));
    if (fast !== null && fast === entry.end - entry.begin) continue;
    // Counted in BigInt so the overflow check mirrors the reference's checked usize arithmetic.
    let elements = 1n;
    for (const dim of entry.shape) {
      elements *= BigInt(dim);
      if (elements > USIZE_MAX) readFailure('ValidationOverflow', `tensor ${quoteName(entry.name)}: element count overflows 64 bits`);
    }
    const bits = elements * BigInt(bitSize(entry.dtype));
    if (bits > USIZE_MAX) readFailure('ValidationOverflow', `tensor ${quoteName(entry.name)}: bit count overflows 64 bits`);
    if (bits % 8n !== 0n) {
      readFailure('MisalignedSlice', `tensor ${quoteName(entry.name)}: ${elements} elements of ${entry.dtype} do not fill whole bytes`);
    }
    const expected = bits / 8n;
    if (BigInt(entry.end - entry.begin) !== expected) {
      readFailure(
        'TensorInvalidInfo',
        `tensor ${quoteName(entry.name)} is ${entry.dtype} of shape [${entry.shape.join(',')}], which needs ${expected} bytes, ` +
          `but its data_offsets [${entry.begin},${entry.end}] span ${entry.end - entry.begin}`,
      );
    }
  }
  if (start !== bufferLength) {
    readFailure(
      'MetadataIncompleteBuffer',
      `the tensors cover ${start} bytes but the byte buffer after the header has ${bufferLength}`,
    );
  }
}
