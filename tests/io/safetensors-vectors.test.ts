/**
 * The conformance vectors of the reference implementation's tests (safetensors.md §4.4 and §4.6),
 * byte for byte: the writer must produce exactly these files, the reader must accept the valid
 * ones and reject the invalid ones with the reference's error name.
 */

import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/io/safetensors-read.js';
import { encodeSafetensors } from '../../src/io/safetensors-write.js';
import { expectFormatError, latin1, rawFile } from './helpers.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('writer vectors (test_serialization, test_serialization_forced_alignement, test_empty)', () => {
  it('F32 "attn.0" [1,2,3] = 0..5: N = 64, no padding, then 24 data bytes', () => {
    const data = Float32Array.from([0, 1, 2, 3, 4, 5]);
    const out = encodeSafetensors(new Map([['attn.0', { dtype: 'float32', shape: [1, 2, 3], data }]]));
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    const expected = rawFile(header, new Uint8Array(data.buffer));
    expect(header.length).toBe(64);
    expect(out).toEqual(expected);
  });

  it('"attn0" [1,1,2,3]: 65-byte JSON padded with 7 spaces to N = 72', () => {
    const data = Float32Array.from([0, 1, 2, 3, 4, 5]);
    const out = encodeSafetensors(new Map([['attn0', { dtype: 'float32', shape: [1, 1, 2, 3], data }]]));
    const json = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(json.length).toBe(65);
    expect(out).toEqual(rawFile(`${json}       `, new Uint8Array(data.buffer)));
    expect(new DataView(out.buffer).getBigUint64(0, true)).toBe(72n);
  });

  it('empty dict: N = 8, "{}" and 6 spaces', () => {
    expect(encodeSafetensors(new Map())).toEqual(rawFile('{}      '));
  });

  it('metadata only: {"__metadata__":{"framework":"pt"}} and 5 spaces, N = 40', () => {
    const out = encodeSafetensors(new Map(), { metadata: new Map([['framework', 'pt']]) });
    expect(out).toEqual(rawFile('{"__metadata__":{"framework":"pt"}}     '));
    expect(out.length).toBe(48);
  });

  it('sorts by dtype descending (I64 > F64 > F32 > I32 > BOOL), then by name', () => {
    const out = encodeSafetensors(
      new Map([
        ['b', { dtype: 'bool', shape: [1], data: Uint8Array.of(1) }],
        ['i', { dtype: 'int32', shape: [], data: Int32Array.of(7) }],
        ['f2', { dtype: 'float32', shape: [1], data: Float32Array.of(1) }],
        ['f1', { dtype: 'float32', shape: [1], data: Float32Array.of(2) }],
        ['d', { dtype: 'float64', shape: [1], data: Float64Array.of(3) }],
        ['n', { dtype: 'int32', shape: [], data: Int32Array.of(-2) }],
      ]),
      { int64Keys: ['n'] },
    );
    const header = text(out.subarray(8, 8 + Number(new DataView(out.buffer).getBigUint64(0, true))));
    const keys = [...header.matchAll(/"([a-z0-9]+)":\{"dtype":"([A-Z0-9]+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(keys).toEqual(['n:I64', 'd:F64', 'f1:F32', 'f2:F32', 'i:I32', 'b:BOOL']);
    expect(header.trimEnd()).toBe(
      '{"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"d":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},' +
        '"f1":{"dtype":"F32","shape":[1],"data_offsets":[16,20]},"f2":{"dtype":"F32","shape":[1],"data_offsets":[20,24]},' +
        '"i":{"dtype":"I32","shape":[],"data_offsets":[24,28]},"b":{"dtype":"BOOL","shape":[1],"data_offsets":[28,29]}}',
    );
  });

  it('orders names by code point (UTF-8 bytes), not UTF-16 units', () => {
    // U+FF21 sorts before U+1F600 by code point, after it by UTF-16 unit (0xD83D < 0xFF21).
    const one = (v: number) => ({ dtype: 'float32' as const, shape: [], data: Float32Array.of(v) });
    const out = encodeSafetensors(new Map([['\u{1F600}', one(1)], ['\uFF21', one(2)], ['a', one(3)]]));
    const header = text(out.subarray(8, 8 + Number(new DataView(out.buffer).getBigUint64(0, true))));
    expect(header.indexOf('a')).toBeLessThan(header.indexOf('\uFF21'));
    expect(header.indexOf('\uFF21')).toBeLessThan(header.indexOf('\u{1F600}'));
  });
});

describe('reader vectors (tensor.rs tests)', () => {
  it('test_deserialization: I32 [2,2] of zeros', () => {
    const file = latin1('<\0\0\0\0\0\0\0{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}' + '\0'.repeat(16));
    const { tensors, metadata } = decodeSafetensors(file);
    expect([...tensors.keys()]).toEqual(['test']);
    expect(tensors.get('test')).toEqual({ dtype: 'int32', shape: [2, 2], data: new Int32Array(4) });
    expect(metadata.size).toBe(0);
  });

  it('scalar: shape [] holds one element', () => {
    const file = latin1('8\0\0\0\0\0\0\0{"test":{"dtype":"I32","shape":[],"data_offsets":[0,4]}}\0\0\0\0');
    expect(decodeSafetensors(file).tensors.get('test')).toEqual({ dtype: 'int32', shape: [], data: new Int32Array(1) });
  });

  it('zero-size: shape [2,0] with offsets [0,0]', () => {
    const file = rawFile('{"test":{"dtype":"I32","shape":[2,0],"data_offsets":[0,0]}}');
    expect(decodeSafetensors(file).tensors.get('test')).toEqual({ dtype: 'int32', shape: [2, 0], data: new Int32Array(0) });
  });

  it('whitespace-padded headers on both sides', () => {
    expect(decodeSafetensors(latin1('\x06\0\0\0\0\0\0\0{}\r \t\n')).tensors.size).toBe(0);
    expect(decodeSafetensors(latin1('\x06\0\0\0\0\0\0\0\t\n{}\r ')).tensors.size).toBe(0);
  });

  it('empty file: HeaderTooSmall', () => {
    expectFormatError(() => decodeSafetensors(new Uint8Array(0)), 'HeaderTooSmall');
  });

  it('length <\\0\\0\\0\\0\\xff\\xff\\xff: HeaderTooLarge', () => {
    const file = latin1('<\0\0\0\0\xff\xff\xff{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}');
    expectFormatError(() => decodeSafetensors(file), 'HeaderTooLarge');
  });

  it('"<" and 7 zero bytes and nothing else: InvalidHeaderLength', () => {
    expectFormatError(() => decodeSafetensors(latin1('<\0\0\0\0\0\0\0')), 'InvalidHeaderLength');
  });

  it('header byte 0xff: InvalidHeader', () => {
    expectFormatError(() => decodeSafetensors(latin1('\x01\0\0\0\0\0\0\0\xff')), 'InvalidHeader');
  });

  it('header "{": InvalidHeaderDeserialization', () => {
    expectFormatError(() => decodeSafetensors(latin1('\x01\0\0\0\0\0\0\0{')), 'InvalidHeaderDeserialization');
  });

  it('I32 [2,2] with offsets [0,4]: TensorInvalidInfo', () => {
    const file = rawFile('{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,4]}}', 4);
    expectFormatError(() => decodeSafetensors(file), 'TensorInvalidInfo');
  });

  it('shapes beyond 2^53 - 1 are rejected when the header is read', () => {
    for (const dim of ['18446744073709551614', '9223372036854775807']) {
      const file = rawFile(`{"test":{"dtype":"I32","shape":[2,${dim}],"data_offsets":[0,16]}}`, 16);
      expectFormatError(() => decodeSafetensors(file), 'InvalidHeaderDeserialization');
    }
  });

  it('extra trailing bytes or 2 missing bytes: MetadataIncompleteBuffer', () => {
    const header = '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
    expectFormatError(() => decodeSafetensors(rawFile(header, 17)), 'MetadataIncompleteBuffer');
    expectFormatError(() => decodeSafetensors(rawFile(header, 14)), 'MetadataIncompleteBuffer');
  });

  it('test_json_attack: ten tensors all claiming [0,16] are InvalidOffset', () => {
    const entries = Array.from({ length: 10 }, (_, i) => `"w${i}":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}`);
    expectFormatError(() => decodeSafetensors(rawFile(`{${entries.join(',')}}`, 16)), 'InvalidOffset');
  });
});
