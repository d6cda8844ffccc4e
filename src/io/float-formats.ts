/**
 * Bit-exact widening of the small float formats safetensors files carry to float32:
 * IEEE half (F16), bfloat16 (BF16) and the 8-bit formats (F8_*). Every value of these formats is
 * exactly representable in float32, so the conversions lose nothing (NaN payloads aside for F8).
 */

/**
 * float32 bits of the IEEE 754 binary16 value with bits `h` (sign 1, exponent 5, mantissa 10,
 * bias 15). Normal: (−1)^s · 1.m · 2^(e−15) → float32 exponent e − 15 + 127 = e + 112, mantissa
 * shifted up by 23 − 10 = 13 bits. Subnormal (e = 0): m · 2^−24; shifting m left k times until its
 * bit 10 is set gives 1.m' · 2^(−14−k), a normal float32. Inf/NaN (e = 31) keep their mantissa.
 */
export function halfToFloat32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >> 10) & 0x1f;
  let mantissa = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0; // ±0
  let shifts = 0;
  while ((mantissa & 0x400) === 0) {
    mantissa <<= 1;
    shifts++;
  }
  return (sign | ((127 - 14 - shifts) << 23) | ((mantissa & 0x3ff) << 13)) >>> 0;
}

/** float32 bits of the bfloat16 value with bits `b`: bfloat16 is the top half of a float32. */
export function bfloat16ToFloat32Bits(b: number): number {
  return (b << 16) >>> 0;
}

/** The 8-bit float formats of safetensors that this module decodes. */
export type Float8Format = 'F8_E5M2' | 'F8_E4M3' | 'F8_E8M0' | 'F8_E4M3FNUZ' | 'F8_E5M2FNUZ';

/**
 * How the top exponent and the sign bit are used:
 * 'ieee': all-ones exponent is ±inf (mantissa 0) or NaN (E5M2);
 * 'fn':   no infinities, only S.1111.111 is NaN (E4M3FN, called F8_E4M3 by safetensors);
 * 'fnuz': no infinities and no −0, the bit pattern of −0 (0x80) is the only NaN.
 */
type SpecialValues = 'ieee' | 'fn' | 'fnuz';

interface SignedMinifloat {
  readonly exponentBits: number;
  readonly mantissaBits: number;
  readonly bias: number;
  readonly special: SpecialValues;
}

const SIGNED_FORMATS: Record<Exclude<Float8Format, 'F8_E8M0'>, SignedMinifloat> = {
  F8_E5M2: { exponentBits: 5, mantissaBits: 2, bias: 15, special: 'ieee' },
  F8_E4M3: { exponentBits: 4, mantissaBits: 3, bias: 7, special: 'fn' },
  F8_E4M3FNUZ: { exponentBits: 4, mantissaBits: 3, bias: 8, special: 'fnuz' },
  F8_E5M2FNUZ: { exponentBits: 5, mantissaBits: 2, bias: 16, special: 'fnuz' },
};

/**
 * Value of the sign/exponent/mantissa byte `bits` in `format`:
 * normal (−1)^s · (1 + m/2^M) · 2^(e−bias), subnormal (e = 0) (−1)^s · (m/2^M) · 2^(1−bias).
 */
function signedMinifloatValue(bits: number, format: SignedMinifloat): number {
  const { exponentBits, mantissaBits, bias, special } = format;
  const negative = (bits & 0x80) !== 0;
  const exponent = (bits >> mantissaBits) & ((1 << exponentBits) - 1);
  const mantissa = bits & ((1 << mantissaBits) - 1);
  const topExponent = (1 << exponentBits) - 1;
  if (special === 'fnuz' && bits === 0x80) return NaN;
  if (special === 'ieee' && exponent === topExponent) {
    if (mantissa !== 0) return NaN;
    return negative ? -Infinity : Infinity;
  }
  if (special === 'fn' && exponent === topExponent && mantissa === (1 << mantissaBits) - 1) return NaN;
  const fraction = mantissa / 2 ** mantissaBits;
  const magnitude = exponent === 0 ? fraction * 2 ** (1 - bias) : (1 + fraction) * 2 ** (exponent - bias);
  return negative ? -magnitude : magnitude;
}

/** Value of an E8M0 byte (the MX scale format): 2^(bits − 127), unsigned; 0xFF is NaN. */
function e8m0Value(bits: number): number {
  return bits === 0xff ? NaN : 2 ** (bits - 127);
}

const FLOAT8_TABLES = new Map<Float8Format, Float32Array>();

/** The 256-entry float32 table of `format`, built on first use. */
export function float8Table(format: Float8Format): Float32Array {
  let table = FLOAT8_TABLES.get(format);
  if (table === undefined) {
    table = new Float32Array(256);
    for (let bits = 0; bits < 256; bits++) {
      table[bits] = format === 'F8_E8M0' ? e8m0Value(bits) : signedMinifloatValue(bits, SIGNED_FORMATS[format]);
    }
    FLOAT8_TABLES.set(format, table);
  }
  return table;
}
