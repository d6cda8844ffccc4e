/** One test per reader check: a file that breaks exactly that check, and the check's name in the FormatError. */

import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { decodeSafetensors } from '../../src/io/safetensors-read.js';
import { expectFormatError, rawFile } from './helpers.js';

const read = (file: Uint8Array) => () => decodeSafetensors(file);
const entry = (dtype: string, shape: string, offsets: string) =>
  `{"dtype":"${dtype}","shape":${shape},"data_offsets":${offsets}}`;

describe('reference checks', () => {
  it('NotAUint8Array', () => {
    expectFormatError(() => decodeSafetensors(new ArrayBuffer(16) as unknown as Uint8Array), 'NotAUint8Array');
  });

  it('HeaderTooSmall: fewer than 8 bytes', () => {
    expectFormatError(read(new Uint8Array(7)), 'HeaderTooSmall');
  });

  it('HeaderTooLarge: N compared as BigInt, so 2^64 - 1 is not rounded', () => {
    expectFormatError(read(rawFile('{}', 0, (1n << 64n) - 1n)), 'HeaderTooLarge');
    expectFormatError(read(rawFile('{}', 0, 100_000_001n)), 'HeaderTooLarge');
    expectFormatError(read(rawFile('{}', 0, 100_000_000n)), 'InvalidHeaderLength'); // the cap itself is allowed
  });

  it('HeaderTooLarge: maxHeaderBytes lowers the cap', () => {
    const file = rawFile('{}      ');
    expect(decodeSafetensors(file, { maxHeaderBytes: 8 }).tensors.size).toBe(0);
    expectFormatError(() => decodeSafetensors(file, { maxHeaderBytes: 7 }), 'HeaderTooLarge');
    expect(() => decodeSafetensors(file, { maxHeaderBytes: Number.NaN })).toThrow(FormatError);
  });

  it('InvalidHeaderLength: N runs past the end of the file', () => {
    expectFormatError(read(rawFile('{}', 0, 3n)), 'InvalidHeaderLength');
  });

  it('InvalidHeader: not UTF-8 (overlong encoding, lone surrogate bytes)', () => {
    expectFormatError(read(rawFile(Uint8Array.of(0x7b, 0xc0, 0xaf, 0x7d))), 'InvalidHeader');
    expectFormatError(read(rawFile(Uint8Array.of(0x7b, 0xed, 0xa0, 0x80, 0x7d))), 'InvalidHeader');
  });

  it('InvalidHeaderDeserialization: a UTF-8 BOM is not skipped', () => {
    expectFormatError(read(rawFile('\uFEFF{}')), 'InvalidHeaderDeserialization');
  });

  it('InvalidHeaderDeserialization: root is not an object', () => {
    expectFormatError(read(rawFile('[]')), 'InvalidHeaderDeserialization');
  });

  it('InvalidOffset: a gap before the first tensor', () => {
    expectFormatError(read(rawFile(`{"a":${entry('U8', '[2]', '[1,3]')}}`, 3)), 'InvalidOffset');
  });

  it('InvalidOffset: overlapping tensors', () => {
    const header = `{"a":${entry('U8', '[2]', '[0,2]')},"b":${entry('U8', '[2]', '[1,3]')}}`;
    expectFormatError(read(rawFile(header, 3)), 'InvalidOffset');
  });

  it('InvalidOffset: END < BEGIN', () => {
    const header =
      `{"a":${entry('U8', '[0]', '[0,0]')},"b":${entry('U8', '[0]', '[0,0]')},` +
      `"c":${entry('U8', '[1]', '[0,1]')},"d":${entry('U8', '[1]', '[1,0]')}}`;
    expectFormatError(read(rawFile(header, 1)), 'InvalidOffset');
  });

  it('ValidationOverflow: element count beyond 64 bits', () => {
    const big = String(Number.MAX_SAFE_INTEGER);
    expectFormatError(read(rawFile(`{"a":${entry('U8', `[${big},${big}]`, '[0,0]')}}`)), 'ValidationOverflow');
    // the overflow is caught as it happens, even when a later 0 would make the product 0
    expectFormatError(read(rawFile(`{"a":${entry('U8', `[${big},${big},0]`, '[0,0]')}}`)), 'ValidationOverflow');
  });

  it('ValidationOverflow: bit count beyond 64 bits', () => {
    // 2^61 elements fit 64 bits, 2^61 × 64 bits do not
    const dims = '[2097152,1099511627776]';
    expectFormatError(read(rawFile(`{"a":${entry('F64', dims, '[0,0]')}}`)), 'ValidationOverflow');
  });

  it('MisalignedSlice: sub-byte elements that do not fill whole bytes', () => {
    expectFormatError(read(rawFile(`{"a":${entry('F4', '[3]', '[0,1]')}}`, 1)), 'MisalignedSlice');
    expectFormatError(read(rawFile(`{"a":${entry('F6_E2M3', '[3]', '[0,2]')}}`, 2)), 'MisalignedSlice');
  });

  it('TensorInvalidInfo: byte length differs from shape × dtype size', () => {
    expectFormatError(read(rawFile(`{"a":${entry('F32', '[3]', '[0,8]')}}`, 8)), 'TensorInvalidInfo');
  });

  it('MetadataIncompleteBuffer: trailing bytes after the last tensor (polyglot files)', () => {
    expectFormatError(read(rawFile(`{"a":${entry('U8', '[2]', '[0,2]')}}`, 3)), 'MetadataIncompleteBuffer');
    expectFormatError(read(rawFile('{}', 1)), 'MetadataIncompleteBuffer');
  });
});

describe('JavaScript-specific header checks (InvalidHeaderDeserialization)', () => {
  const rejects = (header: string, data: number, detail: RegExp) => {
    const run = read(rawFile(header, data));
    expectFormatError(run, 'InvalidHeaderDeserialization');
    expect(run).toThrow(detail);
  };

  it('duplicate tensor names (JSON.parse would keep the last)', () => {
    rejects(`{"a":${entry('U8', '[1]', '[0,1]')},"a":${entry('U8', '[1]', '[1,2]')}}`, 2, /duplicate key "a"/);
  });

  it('duplicate fields inside an entry', () => {
    rejects('{"a":{"dtype":"U8","shape":[1],"shape":[1],"data_offsets":[0,1]}}', 1, /duplicate key "shape"/);
  });

  it('duplicate __metadata__ and duplicate metadata keys', () => {
    rejects('{"__metadata__":{},"__metadata__":{}}', 0, /duplicate key "__metadata__"/);
    rejects('{"__metadata__":{"k":"1","k":"2"}}', 0, /duplicate key "k"/);
  });

  it('__proto__ as tensor name or metadata key', () => {
    rejects(`{"__proto__":${entry('U8', '[1]', '[0,1]')}}`, 1, /"__proto__" is not allowed/);
    rejects('{"__metadata__":{"__proto__":"x"}}', 0, /"__proto__" is not allowed/);
  });

  it('non-integer lexemes in shapes and offsets: 1.0, 1e0, -0, 01 and strings', () => {
    for (const dim of ['1.0', '1e0', '1E+0', '-0', '-1']) {
      rejects(`{"a":${entry('U8', `[${dim}]`, '[0,1]')}}`, 1, /not a plain unsigned integer/);
      rejects(`{"a":${entry('U8', '[1]', `[0,${dim}]`)}}`, 1, /data_offsets\[1\] is .* not a plain unsigned integer/);
    }
    rejects(`{"a":${entry('U8', '[01]', '[0,1]')}}`, 1, /expected ',' or ']'/);
    rejects(`{"a":${entry('U8', '["1"]', '[0,1]')}}`, 1, /must be an unsigned integer, not a string/);
  });

  it('integers beyond 2^53 - 1', () => {
    rejects(`{"a":${entry('U8', '[9007199254740992]', '[0,1]')}}`, 1, /larger than 2\^53 - 1/);
  });

  it('missing fields, wrong types, unknown dtype, data_offsets of the wrong length', () => {
    rejects('{"a":{"shape":[1],"data_offsets":[0,1]}}', 1, /no "dtype"/);
    rejects('{"a":{"dtype":"U8","data_offsets":[0,1]}}', 1, /no "shape"/);
    rejects('{"a":{"dtype":"U8","shape":[1]}}', 1, /no "data_offsets"/);
    rejects(`{"a":${entry('u8', '[1]', '[0,1]')}}`, 1, /unknown dtype "u8"/);
    rejects('{"a":{"dtype":8,"shape":[1],"data_offsets":[0,1]}}', 1, /"dtype" must be a string/);
    rejects(`{"a":${entry('U8', '1', '[0,1]')}}`, 1, /"shape" must be an array/);
    rejects(`{"a":${entry('U8', '[1]', '[0,1,1]')}}`, 1, /exactly 2 elements/);
    rejects(`{"a":${entry('U8', '[1]', '{}')}}`, 1, /"data_offsets" must be an array/);
    rejects('{"a":[1]}', 1, /must be an object/);
  });

  it('__metadata__ must map strings to strings', () => {
    rejects('{"__metadata__":{"k":1}}', 0, /must be a string, not the number 1/);
    rejects('{"__metadata__":["k"]}', 0, /must be an object of strings/);
  });

  it('accepts null __metadata__ and ignores unknown entry fields, as the reference does', () => {
    const file = rawFile(`{"__metadata__":null,"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"extra":{"x":[1.5,null]}}}`, 1);
    const { tensors, metadata } = decodeSafetensors(file);
    expect(metadata.size).toBe(0);
    expect(tensors.get('a')?.data).toEqual(Int32Array.of(0));
  });

  it('nesting deeper than 128 levels is refused without overflowing the stack', () => {
    const deep = `{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    rejects(deep, 1, /nesting deeper than 128/);
  });
});

describe('decoding checks', () => {
  it('UnsupportedDType: complex and sub-byte dtypes, after the whole file validated', () => {
    expectFormatError(read(rawFile(`{"c":${entry('C64', '[1]', '[0,8]')}}`, 8)), 'UnsupportedDType');
    expect(read(rawFile(`{"c":${entry('C64', '[1]', '[0,8]')}}`, 8))).toThrow(/unsupported dtype C64 for tensor "c"/);
    expectFormatError(read(rawFile(`{"f":${entry('F4', '[2]', '[0,1]')}}`, 1)), 'UnsupportedDType');
    expectFormatError(read(rawFile(`{"f":${entry('F6_E3M2', '[4]', '[0,3]')}}`, 3)), 'UnsupportedDType');
  });

  it('ValueOutOfRange: I64 beyond int32', () => {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setBigInt64(0, 2n ** 31n, true);
    const run = read(rawFile(`{"n":${entry('I64', '[]', '[0,8]')}}`, data));
    expectFormatError(run, 'ValueOutOfRange');
    expect(run).toThrow(/tensor "n" is I64 and holds 2147483648 at flat index 0/);
  });
});
