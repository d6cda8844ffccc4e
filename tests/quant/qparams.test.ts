import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quant } from '../../src/index.js';

const { quantizePerChannel, activationParams, quantizeActivations, roundHalfEven } = quant;

/** Round half to even, written out: the nearest integer, and of two equally near the even one. */
function naiveRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

describe('quantization arithmetic', () => {
  it('rounds to nearest with ties to even, as PyTorch does', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001, 126.5, -127.5].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, -2, 2, 3, 126, -128]);
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
      expect(roundHalfEven(x) === naiveRound(x)).toBe(true);
    }), { seed: 3, numRuns: 500 });
    fc.assert(fc.property(fc.integer({ min: -100000, max: 100000 }), (i) => {
      expect(roundHalfEven(i + 0.5)).toBe(naiveRound(i + 0.5));
    }), { seed: 4, numRuns: 200 });
  });

  it('per-channel symmetric weights: scale = max|w|/127 per row (float32), values round(w/scale) in [−127, 127]', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 9 }), fc.integer(), (rows, cols, seed) => {
      let s = seed >>> 0;
      const w = Float32Array.from({ length: rows * cols }, () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return ((s / 2 ** 32) * 2 - 1) * (1 + (s % 7));
      });
      const { values, scales } = quantizePerChannel(w, rows);
      for (let o = 0; o < rows; o++) {
        const row = Array.from(w.subarray(o * cols, (o + 1) * cols));
        const amax = Math.max(...row.map(Math.abs));
        expect(scales[o]).toBe(Math.fround(amax / 127));
        row.forEach((v, j) => {
          const q = values[o * cols + j];
          expect(q).toBe(Math.max(-127, Math.min(127, naiveRound(v / scales[o]))));
          // Dequantized, each weight is within half a step of the original.
          expect(Math.abs(q * scales[o] - v)).toBeLessThanOrEqual(scales[o] / 2 + 1e-6 * amax);
        });
        // The largest weight of a row maps to ±127.
        expect(Math.max(...Array.from(values.subarray(o * cols, (o + 1) * cols), Math.abs))).toBe(127);
      }
    }), { seed: 5, numRuns: 50 });
  });

  it('a channel of zeros gets scale 1 and values 0', () => {
    const { values, scales } = quantizePerChannel(Float32Array.of(0, 0, 1, -2), 2);
    expect(Array.from(scales)).toEqual([1, Math.fround(2 / 127)]);
    expect(Array.from(values)).toEqual([0, 0, 64, -127]);
  });

  it('activations: affine over the range widened to 0, real 0 exact, values clamped to int8', () => {
    const p = activationParams(-1, 3);
    expect(p.scale).toBe(Math.fround(4 / 255));
    expect(p.zeroPoint).toBe(naiveRound(-128 + 1 / p.scale));
    const x = Float32Array.of(-1, 0, 3, 1.234, -5, 10);
    const q = quantizeActivations(x, p);
    const expected = Array.from(x, (v) => Math.max(-128, Math.min(127, naiveRound(v * (1 / p.scale)) + p.zeroPoint)));
    expect(Array.from(q)).toEqual(expected);
    expect(q[1]).toBe(p.zeroPoint);
    expect([q[0], q[2]]).toEqual([-128, 127]);
    // Positive-only ranges (after ReLU) still include 0, at the bottom of the int8 range.
    expect(activationParams(0.5, 2)).toEqual({ scale: Math.fround(2 / 255), zeroPoint: -128 });
    expect(activationParams(0, 0)).toEqual({ scale: 1, zeroPoint: -128 });
  });

  it('refuses an infinite activation range, naming it', () => {
    expect(() => activationParams(0, Infinity, 'QuantizedLinear')).toThrow(/^QuantizedLinear: cannot quantize an activation range \[0, Infinity\]/);
  });
});
