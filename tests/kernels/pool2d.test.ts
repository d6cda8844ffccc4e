import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ShapeError } from '../../src/errors.js';
import { poolOutputSize, type Pool2dSpec } from '../../src/kernels/pool2d.js';
import { avgPool2d, avgPool2dBackward } from '../../src/kernels/pool2d-avg.js';
import { maxPool2d, maxPool2dBackward } from '../../src/kernels/pool2d-max.js';
import { maxRelativeError, seededArray } from './reference.js';

function spec(batch: number, channels: number, inH: number, inW: number, k: number, stride: number, pad: number): Pool2dSpec {
  return {
    batch, channels, inH, inW, kH: k, kW: k, strideH: stride, strideW: stride, padTop: pad, padLeft: pad,
    outH: poolOutputSize('test', inH, k, stride, pad), outW: poolOutputSize('test', inW, k, stride, pad),
  };
}

/** Reference pooling over an explicitly padded copy: padding is −∞ (max) or 0 (avg). */
function naivePool(x: ArrayLike<number>, s: Pool2dSpec, mode: 'max' | 'avgIncl' | 'avgExcl'): Float64Array {
  const out = new Float64Array(s.batch * s.channels * s.outH * s.outW);
  for (let pl = 0; pl < s.batch * s.channels; pl++) {
    for (let i = 0; i < s.outH; i++) {
      for (let j = 0; j < s.outW; j++) {
        let best = -Infinity, sum = 0, count = 0;
        for (let p = 0; p < s.kH; p++) {
          for (let q = 0; q < s.kW; q++) {
            const y = i * s.strideH - s.padTop + p, xx = j * s.strideW - s.padLeft + q;
            const inside = y >= 0 && y < s.inH && xx >= 0 && xx < s.inW;
            const v = inside ? x[(pl * s.inH + y) * s.inW + xx] : mode === 'max' ? -Infinity : 0;
            best = Math.max(best, v);
            sum += v;
            if (inside) count++;
          }
        }
        out[(pl * s.outH + i) * s.outW + j] = mode === 'max' ? best : sum / (mode === 'avgIncl' ? s.kH * s.kW : count);
      }
    }
  }
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

const geometry = fc.record({
  batch: fc.integer({ min: 1, max: 2 }), channels: fc.integer({ min: 1, max: 3 }),
  inH: fc.integer({ min: 1, max: 9 }), inW: fc.integer({ min: 1, max: 9 }),
  k: fc.integer({ min: 1, max: 4 }), stride: fc.integer({ min: 1, max: 3 }), pad: fc.integer({ min: 0, max: 2 }),
}).filter((g) => 2 * g.pad <= g.k && g.inH + 2 * g.pad >= g.k && g.inW + 2 * g.pad >= g.k);

describe('maxPool2d', () => {
  it('matches PyTorch on a 4×4 ramp (values and plane-flat indices)', () => {
    const x = Float32Array.from({ length: 16 }, (_, i) => i);
    const s = spec(1, 1, 4, 4, 2, 2, 0);
    const out = new Float32Array(4), idx = new Int32Array(4);
    maxPool2d(x, out, idx, s);
    expect(Array.from(out)).toEqual([5, 7, 13, 15]);
    expect(Array.from(idx)).toEqual([5, 7, 13, 15]);
  });

  it('forward matches the padded reference; backward is the adjoint of the local linearisation', () => {
    fc.assert(
      fc.property(geometry, fc.nat(1000), (g, seed) => {
        const s = spec(g.batch, g.channels, g.inH, g.inW, g.k, g.stride, g.pad);
        const x = seededArray(Float64Array, s.batch * s.channels * s.inH * s.inW, seed);
        const n = s.batch * s.channels * s.outH * s.outW;
        const out = new Float64Array(n), idx = new Int32Array(n);
        maxPool2d(x, out, idx, s);
        expect(maxRelativeError(out, naivePool(x, s, 'max'))).toBe(0);
        // For distinct inputs, maxPool(x + ε·dx) − maxPool(x) = ε·J·dx exactly for small ε;
        // the backward must satisfy ⟨gOut, J·dx⟩ = ⟨Jᵀ·gOut, dx⟩.
        const dx = seededArray(Float64Array, x.length, seed + 1);
        const eps = 1e-7;
        const moved = new Float64Array(n);
        maxPool2d(x.map((v, i) => v + eps * dx[i]), moved, new Int32Array(n), s);
        const gOut = seededArray(Float64Array, n, seed + 2);
        const gx = new Float64Array(x.length).fill(Number.NaN);
        maxPool2dBackward(gOut, idx, gx, s);
        const jdx = moved.map((v, i) => (v - out[i]) / eps);
        expect(Math.abs(dot(gOut, jdx) - dot(gx, dx))).toBeLessThan(1e-6 * Math.max(1, n));
      }),
      { seed: 3, numRuns: 150 },
    );
  });

  it('propagates NaN like PyTorch', () => {
    const x = Float32Array.from([1, Number.NaN, 3, 2]);
    const out = new Float32Array(1), idx = new Int32Array(1);
    maxPool2d(x, out, idx, spec(1, 1, 2, 2, 2, 2, 0));
    expect(Number.isNaN(out[0])).toBe(true);
    expect(idx[0]).toBe(1);
  });

  it('rejects padding over half the kernel with a ShapeError', () => {
    const s = { ...spec(1, 1, 4, 4, 2, 1, 1), padTop: 2 };
    expect(() => maxPool2d(new Float32Array(16), new Float32Array(25), new Int32Array(25), s)).toThrow(ShapeError);
  });
});

describe('avgPool2d', () => {
  it('matches PyTorch on 3×3 ones, kernel 3, padding 1, with and without countIncludePad', () => {
    const s = spec(1, 1, 3, 3, 3, 1, 1);
    const out = new Float64Array(9);
    avgPool2d(new Float64Array(9).fill(1), out, s);
    expect(Array.from(out).map((v) => v * 9)).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4].map((v) => expect.closeTo(v, 12)));
    avgPool2d(new Float64Array(9).fill(1), out, s, false);
    expect(Array.from(out)).toEqual(new Array(9).fill(1));
  });

  it.each([true, false])('forward matches the reference and backward is its exact adjoint (countIncludePad=%s)', (incl) => {
    fc.assert(
      fc.property(geometry, fc.nat(1000), (g, seed) => {
        const s = spec(g.batch, g.channels, g.inH, g.inW, g.k, g.stride, g.pad);
        const x = seededArray(Float64Array, s.batch * s.channels * s.inH * s.inW, seed);
        const n = s.batch * s.channels * s.outH * s.outW;
        const out = new Float64Array(n);
        avgPool2d(x, out, s, incl);
        expect(maxRelativeError(out, naivePool(x, s, incl ? 'avgIncl' : 'avgExcl'))).toBeLessThan(1e-12);
        // avgPool is linear: ⟨gOut, avgPool(x)⟩ = ⟨avgPool2dBackward(gOut), x⟩.
        const gOut = seededArray(Float64Array, n, seed + 1);
        const gx = new Float64Array(x.length).fill(Number.NaN);
        avgPool2dBackward(gOut, gx, s, incl);
        expect(Math.abs(dot(gOut, out) - dot(gx, x))).toBeLessThan(1e-10 * Math.max(1, n));
      }),
      { seed: 4, numRuns: 150 },
    );
  });
});

describe('poolOutputSize', () => {
  it('is PyTorch floor-mode formula and rejects a kernel larger than the padded input', () => {
    expect(poolOutputSize('maxPool2d', 28, 2, 2, 0)).toBe(14);
    expect(poolOutputSize('maxPool2d', 7, 3, 2, 1)).toBe(4);
    expect(() => poolOutputSize('maxPool2d', 1, 3, 1, 0)).toThrow(/maxPool2d: input size 1/);
  });
});
