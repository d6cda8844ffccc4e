import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Conv2dSpec } from '../../src/kernels/backend.js';
import { conv2dCpu, conv2dInputGradCpu, conv2dWeightGradCpu } from '../../src/kernels/conv2d.js';
import { maxRelativeError, naiveConv2d, naiveConv2dInputGrad, naiveConv2dWeightGrad, seededArray } from './reference.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** A convolution geometry with independent bottom/right padding (outH/outW imply them). */
interface Geometry {
  batch: number; groups: number; cinG: number; coutG: number; inH: number; inW: number; kH: number; kW: number;
  strideH: number; strideW: number; padTop: number; padBottom: number; padLeft: number; padRight: number;
  dilationH: number; dilationW: number;
}

function toSpec(g: Geometry): Conv2dSpec | null {
  const outH = Math.floor((g.inH + g.padTop + g.padBottom - g.dilationH * (g.kH - 1) - 1) / g.strideH) + 1;
  const outW = Math.floor((g.inW + g.padLeft + g.padRight - g.dilationW * (g.kW - 1) - 1) / g.strideW) + 1;
  if (outH < 1 || outW < 1) return null;
  return {
    batch: g.batch, inChannels: g.cinG * g.groups, inH: g.inH, inW: g.inW, outChannels: g.coutG * g.groups,
    kH: g.kH, kW: g.kW, outH, outW, strideH: g.strideH, strideW: g.strideW, padTop: g.padTop, padLeft: g.padLeft,
    dilationH: g.dilationH, dilationW: g.dilationW, groups: g.groups,
  };
}

/** Checks all three kernels against the definition; every output starts as NaN so it must be written. */
function checkAll(ctor: Ctor, s: Conv2dSpec, seed: number, tol: number): void {
  const x = seededArray(ctor, s.batch * s.inChannels * s.inH * s.inW, seed);
  const w = seededArray(ctor, (s.outChannels * s.inChannels * s.kH * s.kW) / s.groups, seed + 1);
  const gOut = seededArray(ctor, s.batch * s.outChannels * s.outH * s.outW, seed + 2);
  const out = new ctor(gOut.length).fill(Number.NaN);
  const gx = new ctor(x.length).fill(Number.NaN);
  const gw = new ctor(w.length).fill(Number.NaN);
  conv2dCpu(x, w, out, s);
  conv2dInputGradCpu(gOut, w, gx, s);
  conv2dWeightGradCpu(x, gOut, gw, s);
  const label = JSON.stringify(s);
  expect(maxRelativeError(out, naiveConv2d(x, w, s)), `forward ${label}`).toBeLessThan(tol);
  expect(maxRelativeError(gx, naiveConv2dInputGrad(gOut, w, s)), `input grad ${label}`).toBeLessThan(tol);
  expect(maxRelativeError(gw, naiveConv2dWeightGrad(x, gOut, s)), `weight grad ${label}`).toBeLessThan(tol);
}

const geometry: fc.Arbitrary<Geometry> = fc.record({
  batch: fc.integer({ min: 1, max: 3 }), groups: fc.integer({ min: 1, max: 3 }),
  cinG: fc.integer({ min: 1, max: 3 }), coutG: fc.integer({ min: 1, max: 4 }),
  inH: fc.integer({ min: 1, max: 9 }), inW: fc.integer({ min: 1, max: 9 }),
  kH: fc.integer({ min: 1, max: 4 }), kW: fc.integer({ min: 1, max: 4 }),
  strideH: fc.integer({ min: 1, max: 3 }), strideW: fc.integer({ min: 1, max: 3 }),
  padTop: fc.integer({ min: 0, max: 3 }), padBottom: fc.integer({ min: 0, max: 3 }),
  padLeft: fc.integer({ min: 0, max: 3 }), padRight: fc.integer({ min: 0, max: 3 }),
  dilationH: fc.integer({ min: 1, max: 3 }), dilationW: fc.integer({ min: 1, max: 3 }),
});

describe.each([['float32', Float32Array, 1e-4], ['float64', Float64Array, 1e-12]] as [string, Ctor, number][])(
  'conv2d %s',
  (_name, ctor, tol) => {
    it('matches the definition on random geometries (stride, asymmetric padding, dilation, groups)', () => {
      fc.assert(
        fc.property(geometry, fc.nat(1000), (g, seed) => {
          const s = toSpec(g);
          if (s !== null) checkAll(ctor, s, seed, tol);
        }),
        { seed: 7, numRuns: 200 },
      );
    });

    it('"same" convolutions (unit strides, outW = inW: the block-copy im2col), any padding split', () => {
      const same = fc.record({
        batch: fc.integer({ min: 1, max: 2 }), groups: fc.integer({ min: 1, max: 2 }),
        cinG: fc.integer({ min: 1, max: 3 }), coutG: fc.integer({ min: 1, max: 3 }),
        inH: fc.integer({ min: 1, max: 8 }), inW: fc.integer({ min: 1, max: 8 }),
        kH: fc.integer({ min: 1, max: 4 }), kW: fc.integer({ min: 1, max: 4 }),
        dilationH: fc.integer({ min: 1, max: 3 }), dilationW: fc.integer({ min: 1, max: 3 }),
        splitH: fc.double({ min: 0, max: 1, noNaN: true }), splitW: fc.double({ min: 0, max: 1, noNaN: true }),
      });
      fc.assert(
        fc.property(same, fc.nat(1000), (g, seed) => {
          // Total padding = the kernel's extent − 1 keeps outH = inH and outW = inW.
          const padH = g.dilationH * (g.kH - 1), padW = g.dilationW * (g.kW - 1);
          const padTop = Math.round(g.splitH * padH), padLeft = Math.round(g.splitW * padW);
          const s = toSpec({ ...g, strideH: 1, strideW: 1, padTop, padBottom: padH - padTop, padLeft, padRight: padW - padLeft });
          if (s === null || s.outW !== s.inW || s.outH !== s.inH) throw new Error(`not a same geometry: ${JSON.stringify(g)}`);
          checkAll(ctor, s, seed, tol);
        }),
        { seed: 13, numRuns: 150 },
      );
    });

    it('"same" layers on 28×28 planes (spans long enough for the SIMD add), dilation and uneven padding', () => {
      const base = { batch: 2, groups: 2, cinG: 2, coutG: 3, inH: 28, inW: 28, strideH: 1, strideW: 1 };
      const layers = [
        toSpec({ ...base, kH: 3, kW: 3, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, dilationH: 1, dilationW: 1 }),
        toSpec({ ...base, kH: 3, kW: 2, padTop: 3, padBottom: 1, padLeft: 0, padRight: 2, dilationH: 2, dilationW: 2 }),
      ];
      layers.forEach((s, i) => {
        if (s === null || s.outW !== s.inW) throw new Error('bad geometry');
        checkAll(ctor, s, 17 + i, tol);
      });
    });

    it('pointwise 1×1 convolution (the im2col-free path), with groups', () => {
      const s = toSpec({ batch: 2, groups: 2, cinG: 3, coutG: 5, inH: 6, inW: 7, kH: 1, kW: 1, strideH: 1, strideW: 1,
        padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, dilationH: 1, dilationW: 1 });
      if (s === null) throw new Error('bad geometry');
      checkAll(ctor, s, 11, tol);
    });

    it('a layer large enough for the blocked gemm (16→32 channels, 14×14, 3×3, pad 1)', () => {
      const s = toSpec({ batch: 2, groups: 1, cinG: 16, coutG: 32, inH: 14, inW: 14, kH: 3, kW: 3, strideH: 1, strideW: 1,
        padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, dilationH: 1, dilationW: 1 });
      if (s === null) throw new Error('bad geometry');
      checkAll(ctor, s, 5, tol * 10);
    });
  },
);
