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
 * Validates the layout of `entries` over a byte buffer of `bufferLength` bytes; throws FormatError
 * naming InvalidOffset, ValidationOverflow, MisalignedSlice, TensorInvalidInfo or
 * MetadataIncompleteBuffer.
 */
export function validateLayout(entries: readonly HeaderEntry[], bufferLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let start = 0;
  for (const entry of sorted) {
    const where = (): string => `tensor ${quoteName(entry.name)}`; // built only on failure
    if (entry.begin !== start || entry.end < entry.begin) {
      readFailure(
        'InvalidOffset',
        `${where()} has data_offsets [${entry.begin},${entry.end}] but the previous tensor ends at ${start}`,
      );
    }
    start = entry.end;
    // Counted in BigInt so the overflow check mirrors the reference's checked usize arithmetic.
    let elements = 1n;
    for (const dim of entry.shape) {
      elements *= BigInt(dim);
      if (elements > USIZE_MAX) readFailure('ValidationOverflow', `${where()}: element count overflows 64 bits`);
    }
    const bits = elements * BigInt(bitSize(entry.dtype));
    if (bits > USIZE_MAX) readFailure('ValidationOverflow', `${where()}: bit count overflows 64 bits`);
    if (bits % 8n !== 0n) {
      readFailure('MisalignedSlice', `${where()}: ${elements} elements of ${entry.dtype} do not fill whole bytes`);
    }
    const expected = bits / 8n;
    if (BigInt(entry.end - entry.begin) !== expected) {
      readFailure(
        'TensorInvalidInfo',
        `${where()} is ${entry.dtype} of shape [${entry.shape.join(',')}], which needs ${expected} bytes, ` +
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
