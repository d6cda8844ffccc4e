/** Builders of raw safetensors files for the io tests. */

import { expect } from 'vitest';
import { FormatError } from '../../src/errors.js';

/** Bytes of a file: u64 LE length of `header` (or `declaredLength`), the UTF-8 header, then `data`. */
export function rawFile(header: string | Uint8Array, data: Uint8Array | number = 0, declaredLength?: bigint): Uint8Array {
  const headerBytes = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + headerBytes.length + body.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  out.set(body, 8 + headerBytes.length);
  return out;
}

/** Bytes from a Rust-style byte-string literal: characters are code units 0–255 (`\x00` etc.). */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Asserts that `run` throws a FormatError whose message names `check`. */
export function expectFormatError(run: () => unknown, check: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error: unknown) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(FormatError);
  expect((thrown as FormatError).message).toContain(`: ${check}:`);
}
