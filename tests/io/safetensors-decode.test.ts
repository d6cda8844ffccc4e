/** Per-dtype decoding of tensor bytes, both byte-order paths, and the writer's byte encoding. */

import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { decodeTensorData } from '../../src/io/safetensors-decode.js';
import { decodeSafetensors } from '../../src/io/safetensors-read.js';
import { encodeSafetensors, writeTensorBytes, type WriteRecord } from '../../src/io/safetensors-write.js';
import { expectFormatError, rawFile } from './helpers.js';

/** Little-endian bytes written with a DataView setter. */
function le(count: number, size: number, set: (view: DataView, offset: number, i: number) => void): Uint8Array {
  const bytes = new Uint8Array(count * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) set(view, i * size, i);
  return bytes;
}

describe('decodeTensorData', () => {
  const f32 = [1.5, -0, Infinity, -3.25e-40, 7];
  const f64 = [Math.PI, -1e300, 5e-324, Number.NEGATIVE_INFINITY];
  const i32 = [0, -1, 2147483647, -2147483648, 42];

  for (const littleEndianHost of [true, false]) {
    it(`F32, F64, I32 copy exactly (${littleEndianHost ? 'little' : 'big'}-endian host path)`, () => {
      const a = decodeTensorData('F32', le(5, 4, (v, o, i) => v.setFloat32(o, f32[i] ?? 0, true)), 'a', littleEndianHost);
      expect(a.dtype).toBe('float32');
      expect(a.data).toEqual(Float32Array.from(f32));
      const b = decodeTensorData('F64', le(4, 8, (v, o, i) => v.setFloat64(o, f64[i] ?? 0, true)), 'b', littleEndianHost);
      expect(b).toEqual({ dtype: 'float64', data: Float64Array.from(f64) });
      const c = decodeTensorData('I32', le(5, 4, (v, o, i) => v.setInt32(o, i32[i] ?? 0, true)), 'c', littleEndianHost);
      expect(c).toEqual({ dtype: 'int32', data: Int32Array.from(i32) });
    });
  }

  it('BOOL: any nonzero byte is true', () => {
    expect(decodeTensorData('BOOL', Uint8Array.of(0, 1, 2, 255), 'b')).toEqual({
      dtype: 'bool',
      data: Uint8Array.of(0, 1, 1, 1),
    });
  });

  it('F16 and BF16 widen to float32: subnormals, inf, NaN, -0', () => {
    const half = [0x3c00, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xc2a0];
    const got = decodeTensorData('F16', le(7, 2, (v, o, i) => v.setUint16(o, half[i] ?? 0, true)), 'h').data;
    expect([...got]).toEqual([1, 2 ** -24, -0, Infinity, -Infinity, Number.NaN, -3.3125]);
    expect(Object.is(got[2], -0)).toBe(true);
    const bf = [0x3f80, 0x0001, 0x8000, 0x7f80, 0xff80, 0x7fc0, 0xc040];
    const got2 = decodeTensorData('BF16', le(7, 2, (v, o, i) => v.setUint16(o, bf[i] ?? 0, true)), 'b');
    expect(got2.dtype).toBe('float32');
    expect([...got2.data]).toEqual([1, 2 ** -133, -0, Infinity, -Infinity, Number.NaN, -3]);
  });

  it('F8 decodes through its table', () => {
    expect([...decodeTensorData('F8_E4M3', Uint8Array.of(0x38, 0x7e, 0xff), 'f').data]).toEqual([1, 448, Number.NaN]);
    expect([...decodeTensorData('F8_E5M2', Uint8Array.of(0x3c, 0x7c), 'f').data]).toEqual([1, Infinity]);
  });

  it('small integers widen to int32', () => {
    expect(decodeTensorData('U8', Uint8Array.of(0, 255), 'x')).toEqual({ dtype: 'int32', data: Int32Array.of(0, 255) });
    expect(decodeTensorData('I8', Uint8Array.of(0x80, 0x7f), 'x').data).toEqual(Int32Array.of(-128, 127));
    const i16 = le(2, 2, (v, o, i) => v.setInt16(o, i === 0 ? -32768 : 32767, true));
    expect(decodeTensorData('I16', i16, 'x').data).toEqual(Int32Array.of(-32768, 32767));
    const u16 = le(2, 2, (v, o, i) => v.setUint16(o, i === 0 ? 0 : 65535, true));
    expect(decodeTensorData('U16', u16, 'x').data).toEqual(Int32Array.of(0, 65535));
  });

  it('U32 loads when it fits int32, else ValueOutOfRange', () => {
    const fits = le(2, 4, (v, o, i) => v.setUint32(o, i === 0 ? 0 : 2 ** 31 - 1, true));
    expect(decodeTensorData('U32', fits, 'x').data).toEqual(Int32Array.of(0, 2 ** 31 - 1));
    const tooBig = le(2, 4, (v, o, i) => v.setUint32(o, i === 0 ? 0 : 2 ** 31, true));
    expectFormatError(() => decodeTensorData('U32', tooBig, 'x'), 'ValueOutOfRange');
  });

  it('I64 loads as int32 when every value fits, at both ends of the range', () => {
    const values = [0n, 1n, -1n, 2n ** 31n - 1n, -(2n ** 31n), 12345n];
    const bytes = le(values.length, 8, (v, o, i) => v.setBigInt64(o, values[i] ?? 0n, true));
    expect(decodeTensorData('I64', bytes, 'n')).toEqual({ dtype: 'int32', data: Int32Array.from(values, Number) });
  });

  it.each([2n ** 31n, -(2n ** 31n) - 1n, 2n ** 32n, -(2n ** 32n), 2n ** 63n - 1n, -(2n ** 63n)])(
    'I64 %d does not fit int32: ValueOutOfRange naming the value',
    (value) => {
      const bytes = le(3, 8, (v, o, i) => v.setBigInt64(o, i === 2 ? value : 0n, true));
      expectFormatError(() => decodeTensorData('I64', bytes, 'n'), 'ValueOutOfRange');
      expect(() => decodeTensorData('I64', bytes, 'n')).toThrow(`holds ${value} at flat index 2`);
    },
  );

  it('U64 loads when it fits int32, else ValueOutOfRange', () => {
    const fits = le(1, 8, (v, o) => v.setBigUint64(o, 2n ** 31n - 1n, true));
    expect(decodeTensorData('U64', fits, 'x').data).toEqual(Int32Array.of(2 ** 31 - 1));
    for (const value of [2n ** 31n, 2n ** 64n - 1n]) {
      const bytes = le(1, 8, (v, o) => v.setBigUint64(o, value, true));
      expect(() => decodeTensorData('U64', bytes, 'x')).toThrow(`holds ${value} at flat index 0`);
    }
  });
});

describe('reading from unaligned and shared buffers', () => {
  it('an F32 tensor at an odd file offset (no header padding) is copied, not viewed', () => {
    const data = Float32Array.of(1, 2, 3);
    const header = '{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}'; // 56 bytes: data starts at 64
    const file = rawFile(` ${header}`, new Uint8Array(data.buffer)); // 57: data at an odd offset
    const decoded = decodeSafetensors(file).tensors.get('x');
    expect(decoded?.data).toEqual(data);
  });

  it('a file inside a larger buffer at an odd byteOffset reads the same', () => {
    const inner = encodeSafetensors(new Map([['w', { dtype: 'float64', shape: [2], data: Float64Array.of(0.1, -2) }]]));
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    expect(decodeSafetensors(outer.subarray(3)).tensors.get('w')?.data).toEqual(Float64Array.of(0.1, -2));
  });

  it('decoded arrays own their memory: editing the file afterwards changes nothing', () => {
    const file = encodeSafetensors(new Map([['w', { dtype: 'float32', shape: [2], data: Float32Array.of(1, 2) }]]));
    const w = decodeSafetensors(file).tensors.get('w');
    file.fill(0xff, file.length - 8);
    expect(w?.data).toEqual(Float32Array.of(1, 2));
    expect(w?.data.buffer).not.toBe(file.buffer);
  });
});

describe('writeTensorBytes', () => {
  for (const littleEndianHost of [true, false]) {
    it(`writes little-endian F32/F64/I32 (${littleEndianHost ? 'little' : 'big'}-endian host path)`, () => {
      const out = new Uint8Array(3 + 8 + 16 + 8);
      writeTensorBytes(out, 3, Float32Array.of(1.5, -2), 'F32', littleEndianHost);
      writeTensorBytes(out, 11, Float64Array.of(Math.E, -0), 'F64', littleEndianHost);
      writeTensorBytes(out, 27, Int32Array.of(-7, 2 ** 31 - 1), 'I32', littleEndianHost);
      const view = new DataView(out.buffer);
      expect([view.getFloat32(3, true), view.getFloat32(7, true)]).toEqual([1.5, -2]);
      expect([view.getFloat64(11, true), view.getFloat64(19, true)]).toEqual([Math.E, -0]);
      expect([view.getInt32(27, true), view.getInt32(31, true)]).toEqual([-7, 2 ** 31 - 1]);
    });
  }

  it('I64 sign-extends; BOOL writes 0/1', () => {
    const out = new Uint8Array(24 + 3);
    writeTensorBytes(out, 0, Int32Array.of(-1, 5, -(2 ** 31)), 'I64');
    const view = new DataView(out.buffer);
    expect([0, 8, 16].map((o) => view.getBigInt64(o, true))).toEqual([-1n, 5n, -(2n ** 31n)]);
    writeTensorBytes(out, 24, Uint8Array.of(0, 3, 1), 'BOOL');
    expect([...out.subarray(24)]).toEqual([0, 1, 1]);
  });
});

describe('writer input checks', () => {
  const one = { dtype: 'float32' as const, shape: [1], data: Float32Array.of(1) };
  const write = (tensors: Map<string, WriteRecord>) => () => encodeSafetensors(tensors);

  it('rejects reserved and unencodable names', () => {
    expect(write(new Map([['__metadata__', one]]))).toThrow(/reserved for the metadata/);
    expect(write(new Map([['__proto__', one]]))).toThrow(/"__proto__" is not allowed/);
    expect(write(new Map([['a\ud800', one]]))).toThrow(/lone surrogate/);
    expect(() => encodeSafetensors(new Map(), { metadata: new Map([['k', 1 as unknown as string]]) })).toThrow(FormatError);
    expect(() => encodeSafetensors(new Map(), { metadata: new Map([['__proto__', 'x']]) })).toThrow(/not allowed/);
    expect(() => encodeSafetensors(new Map(), { metadata: new Map([['k', '\udc00']]) })).toThrow(/lone surrogate/);
    const harmless = encodeSafetensors(new Map(), { metadata: new Map([['k', '__proto__']]) });
    expect(decodeSafetensors(harmless).metadata.get('k')).toBe('__proto__');
  });

  it('HeaderTooLarge: a header over 100,000,000 bytes once padded', () => {
    const fits = 'x'.repeat(100_000_000 - '{"__metadata__":{"k":""}}'.length);
    expect(encodeSafetensors(new Map(), { metadata: new Map([['k', fits]]) }).length).toBe(100_000_008);
    expect(() => encodeSafetensors(new Map(), { metadata: new Map([['k', `${fits}x`]]) })).toThrow(
      'saveSafetensors: HeaderTooLarge: the header needs 100000008 bytes, more than 100000000',
    );
  });

  it('rejects data whose length or type does not match', () => {
    expect(write(new Map([['a', { dtype: 'float32', shape: [2], data: Float32Array.of(1) }]]))).toThrow(
      'saveSafetensors: tensor "a" has shape [2] (2 elements) but 1 values',
    );
    expect(write(new Map([['a', { dtype: 'float32', shape: [1], data: Int32Array.of(1) }]]))).toThrow(
      'saveSafetensors: tensor "a" is float32, so its data must be a Float32Array',
    );
    expect(write(new Map([['a', { dtype: 'float32', shape: [-1], data: Float32Array.of(1) }]]))).toThrow(/invalid shape/);
  });

  it('int64Keys: only int32 tensors, only existing names', () => {
    const tensors = new Map([['w', one]]);
    expect(() => encodeSafetensors(tensors, { int64Keys: ['w'] })).toThrow(/int64Keys names tensor "w", which is float32, not int32/);
    expect(() => encodeSafetensors(tensors, { int64Keys: ['v'] })).toThrow(/int64Keys names "v"/);
    const counts = new Map([['a.num_batches_tracked', { dtype: 'int32' as const, shape: [], data: Int32Array.of(3) }]]);
    const file = encodeSafetensors(counts, { int64Keys: (name) => name.endsWith('num_batches_tracked') });
    expect(new TextDecoder().decode(file)).toContain('"dtype":"I64"');
    expect(decodeSafetensors(file).tensors.get('a.num_batches_tracked')?.data).toEqual(Int32Array.of(3));
  });
});

describe('files with every dtype validate', () => {
  it.each([
    ['F4', '[2]', 1],
    ['F6_E2M3', '[4]', 3],
    ['F8_E8M0', '[3]', 3],
    ['C64', '[2]', 16],
  ])('%s sizes are checked before the dtype is refused or decoded', (dtype, shape, bytes) => {
    const wrongSize = rawFile(`{"x":{"dtype":"${dtype}","shape":${shape},"data_offsets":[0,${bytes + 1}]}}`, bytes + 1);
    expectFormatError(() => decodeSafetensors(wrongSize), 'TensorInvalidInfo');
  });
});
