import { describe, expect, it } from 'vitest';
import { bfloat16ToFloat32Bits, float8Table, halfToFloat32Bits } from '../../src/io/float-formats.js';

const asFloat = (bits: number): number => new Float32Array(Uint32Array.of(bits).buffer)[0] ?? Number.NaN;

/** Reference value of half-precision bits from the IEEE definition, computed in float64. */
function halfReference(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 31) return m === 0 ? sign * Infinity : Number.NaN;
  return e === 0 ? sign * m * 2 ** -24 : sign * (1 + m / 1024) * 2 ** (e - 15);
}

describe('F16', () => {
  it('matches the IEEE definition for all 65536 bit patterns', () => {
    const mismatches: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const got = asFloat(halfToFloat32Bits(h));
      const want = halfReference(h);
      if (!Object.is(got, want) && !(Number.isNaN(got) && Number.isNaN(want))) mismatches.push(h);
    }
    expect(mismatches).toEqual([]);
  });

  it('named values: 1, -2, max 65504, smallest subnormal 2^-24, -0, ±inf, NaN', () => {
    expect(asFloat(halfToFloat32Bits(0x3c00))).toBe(1);
    expect(asFloat(halfToFloat32Bits(0xc000))).toBe(-2);
    expect(asFloat(halfToFloat32Bits(0x7bff))).toBe(65504);
    expect(asFloat(halfToFloat32Bits(0x0001))).toBe(2 ** -24);
    expect(asFloat(halfToFloat32Bits(0x03ff))).toBe(1023 * 2 ** -24);
    expect(Object.is(asFloat(halfToFloat32Bits(0x8000)), -0)).toBe(true);
    expect(asFloat(halfToFloat32Bits(0x7c00))).toBe(Infinity);
    expect(asFloat(halfToFloat32Bits(0xfc00))).toBe(-Infinity);
    expect(asFloat(halfToFloat32Bits(0x7e00))).toBeNaN();
  });
});

describe('BF16', () => {
  it('is the top half of a float32', () => {
    expect(asFloat(bfloat16ToFloat32Bits(0x3f80))).toBe(1);
    expect(asFloat(bfloat16ToFloat32Bits(0xc040))).toBe(-3);
    expect(asFloat(bfloat16ToFloat32Bits(0x0001))).toBe(2 ** -133); // subnormal
    expect(Object.is(asFloat(bfloat16ToFloat32Bits(0x8000)), -0)).toBe(true);
    expect(asFloat(bfloat16ToFloat32Bits(0x7f80))).toBe(Infinity);
    expect(asFloat(bfloat16ToFloat32Bits(0xff80))).toBe(-Infinity);
    expect(asFloat(bfloat16ToFloat32Bits(0x7fc1))).toBeNaN();
    expect(bfloat16ToFloat32Bits(0x7fc1)).toBe(0x7fc10000); // payload kept
  });
});

describe('F8', () => {
  it('F8_E4M3 (FN): max 448, min subnormal 2^-9, no inf, only S.1111.111 is NaN', () => {
    const t = float8Table('F8_E4M3');
    expect(t[0x38]).toBe(1);
    expect(t[0x7e]).toBe(448);
    expect(t[0xfe]).toBe(-448);
    expect(t[0x01]).toBe(2 ** -9);
    expect(t[0x78]).toBe(256);
    expect(t[0x7f]).toBeNaN();
    expect(t[0xff]).toBeNaN();
    expect(Object.is(t[0x80], -0)).toBe(true);
    expect([...t].filter(Number.isNaN).length).toBe(2);
  });

  it('F8_E5M2: IEEE-like, max 57344, ±inf, min subnormal 2^-16', () => {
    const t = float8Table('F8_E5M2');
    expect(t[0x3c]).toBe(1);
    expect(t[0x7b]).toBe(57344);
    expect(t[0x7c]).toBe(Infinity);
    expect(t[0xfc]).toBe(-Infinity);
    expect(t[0x7d]).toBeNaN();
    expect(t[0x01]).toBe(2 ** -16);
    expect([...t].filter(Number.isNaN).length).toBe(6);
  });

  it('F8_E4M3FNUZ: bias 8, max 240, 0x80 is the only NaN, no -0', () => {
    const t = float8Table('F8_E4M3FNUZ');
    expect(t[0x40]).toBe(1);
    expect(t[0x7f]).toBe(240);
    expect(t[0x01]).toBe(2 ** -10);
    expect(t[0x80]).toBeNaN();
    expect([...t].filter(Number.isNaN).length).toBe(1);
  });

  it('F8_E5M2FNUZ: bias 16, max 57344, 0x80 is the only NaN', () => {
    const t = float8Table('F8_E5M2FNUZ');
    expect(t[0x40]).toBe(1);
    expect(t[0x7f]).toBe(57344);
    expect(t[0x01]).toBe(2 ** -17);
    expect(t[0x80]).toBeNaN();
    expect([...t].filter(Number.isNaN).length).toBe(1);
  });

  it('F8_E8M0: 2^(e-127), 0xFF is NaN', () => {
    const t = float8Table('F8_E8M0');
    expect(t[127]).toBe(1);
    expect(t[0]).toBe(2 ** -127);
    expect(t[254]).toBe(2 ** 127);
    expect(t[255]).toBeNaN();
  });
});
