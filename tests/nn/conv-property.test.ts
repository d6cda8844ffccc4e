import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { manualSeed, nn, randn } from '../../src/index.js';
import { inner, naiveConv2d } from './conv-reference.js';
import { maxAbsDiff } from './helpers.js';

const F = nn.functional;

/** A random small conv geometry: groups, channels per group, sizes, stride, padding, dilation. */
const geometry = fc.record({
  seed: fc.integer({ min: 0, max: 1 << 30 }),
  batch: fc.integer({ min: 1, max: 2 }),
  groups: fc.integer({ min: 1, max: 3 }),
  cinG: fc.integer({ min: 1, max: 2 }),
  coutG: fc.integer({ min: 1, max: 2 }),
  H: fc.integer({ min: 1, max: 7 }),
  W: fc.integer({ min: 1, max: 7 }),
  kH: fc.integer({ min: 1, max: 3 }),
  kW: fc.integer({ min: 1, max: 3 }),
  sH: fc.integer({ min: 1, max: 3 }),
  sW: fc.integer({ min: 1, max: 3 }),
  pH: fc.integer({ min: 0, max: 2 }),
  pW: fc.integer({ min: 0, max: 2 }),
  dH: fc.integer({ min: 1, max: 2 }),
  dW: fc.integer({ min: 1, max: 2 }),
});

describe('convolution properties (random geometries)', () => {
  it('conv2d equals the naive definition', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const outH = Math.floor((g.H + 2 * g.pH - g.dH * (g.kH - 1) - 1) / g.sH) + 1;
        const outW = Math.floor((g.W + 2 * g.pW - g.dW * (g.kW - 1) - 1) / g.sW) + 1;
        fc.pre(outH >= 1 && outW >= 1);
        manualSeed(g.seed);
        const x = randn([g.batch, g.cinG * g.groups, g.H, g.W], { dtype: 'float64' });
        const w = randn([g.coutG * g.groups, g.cinG, g.kH, g.kW], { dtype: 'float64' });
        const b = randn([g.coutG * g.groups], { dtype: 'float64' });
        const y = F.conv2d(x, w, b, { stride: [g.sH, g.sW], padding: [g.pH, g.pW], dilation: [g.dH, g.dW], groups: g.groups });
        const ref = naiveConv2d(x, w, b, { stride: [g.sH, g.sW], padTop: g.pH, padLeft: g.pW, dilation: [g.dH, g.dW], groups: g.groups, outH, outW });
        expect(maxAbsDiff(y, ref)).toBeLessThan(1e-12);
      }),
      { numRuns: 60, seed: 4242 },
    );
  });

  it('convTranspose2d is the adjoint of conv2d: ⟨conv(x), y⟩ = ⟨x, convT(y)⟩', () => {
    fc.assert(
      fc.property(geometry, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (g, opH, opW) => {
        fc.pre(opH < g.sH && opW < g.sW);
        manualSeed(g.seed);
        const y = randn([g.batch, g.cinG * g.groups, g.H, g.W], { dtype: 'float64' });
        const w = randn([g.cinG * g.groups, g.coutG, g.kH, g.kW], { dtype: 'float64' });
        const opts = { stride: [g.sH, g.sW] as [number, number], padding: [g.pH, g.pW] as [number, number], dilation: [g.dH, g.dW] as [number, number], groups: g.groups };
        const outH = F.convTransposeOutputSize(g.H, g.kH, g.sH, g.pH, opH, g.dH);
        const outW = F.convTransposeOutputSize(g.W, g.kW, g.sW, g.pW, opW, g.dW);
        fc.pre(outH >= 1 && outW >= 1);
        const ty = F.convTranspose2d(y, w, null, { ...opts, outputPadding: [opH, opW] });
        expect(ty.shape).toEqual([g.batch, g.coutG * g.groups, outH, outW]);
        const x = randn(ty.shape, { dtype: 'float64' });
        const cx = F.conv2d(x, w, null, opts);
        expect(cx.shape).toEqual(y.shape);
        const lhs = inner(cx, y);
        expect(Math.abs(lhs - inner(x, ty))).toBeLessThan(1e-9 * Math.max(1, Math.abs(lhs)));
      }),
      { numRuns: 60, seed: 4343 },
    );
  });
});
