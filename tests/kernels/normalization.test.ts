/**
 * The normalisation kernels (kernels/normalization.ts) against naive float64 references: the
 * statistics and outputs by their definitions, and the input gradient through the full Jacobian
 * ∂x̂_j/∂x_i = r·(δ_ij − 1/m − x̂_i·x̂_j/m) of each group (m² terms, no shortcut).
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../src/kernels/registry.js';
import type { FloatArray } from '../../src/kernels/dtype.js';
import { maxRelativeError, seededArray } from './reference.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const DTYPES: [string, Ctor, number][] = [
  ['float32', Float32Array, 1e-4],
  ['float64', Float64Array, 1e-10],
];
const EPS = 1e-5;

/** A normalisation problem as groups of element indices, each group with its own γ/β index per element. */
interface Groups {
  members: number[][];
  param: (i: number) => number;
}

function batchGroups(N: number, C: number, S: number): Groups {
  const members = Array.from({ length: C }, (_, c) => {
    const idx: number[] = [];
    for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) idx.push((n * C + c) * S + s);
    return idx;
  });
  return { members, param: (i) => Math.floor(i / S) % C };
}

function rowGroups(M: number, n: number): Groups {
  return { members: Array.from({ length: M }, (_, m) => Array.from({ length: n }, (_, i) => m * n + i)), param: (i) => i % n };
}

/** y, mean, biased variance, and (∂x, ∂γ, ∂β) of Σ g·y, in float64 by the definitions. */
function naive(x: FloatArray, g: FloatArray, w: FloatArray | null, b: FloatArray | null, groups: Groups, params: number) {
  const y = new Float64Array(x.length), gx = new Float64Array(x.length);
  const gw = new Float64Array(params), gb = new Float64Array(params);
  const means: number[] = [], vars: number[] = [];
  for (const idx of groups.members) {
    const m = idx.length;
    const mu = idx.reduce((s, i) => s + x[i], 0) / m;
    const v = idx.reduce((s, i) => s + (x[i] - mu) ** 2, 0) / m;
    const r = 1 / Math.sqrt(v + EPS);
    means.push(mu);
    vars.push(v);
    const xh = (i: number) => (x[i] - mu) * r;
    const gamma = (i: number) => (w ? w[groups.param(i)] : 1);
    for (const i of idx) {
      y[i] = xh(i) * gamma(i) + (b ? b[groups.param(i)] : 0);
      gw[groups.param(i)] += g[i] * xh(i);
      gb[groups.param(i)] += g[i];
      let s = 0;
      for (const j of idx) s += g[j] * gamma(j) * r * ((i === j ? 1 : 0) - 1 / m - (xh(i) * xh(j)) / m);
      gx[i] = s;
    }
  }
  return { y, gx, gw, gb, means, vars };
}

describe.each(DTYPES)('batch-norm kernels, %s', (_, ctor, tol) => {
  it.each([
    [2, 3, 4, true],
    [5, 2, 1, false],
    [1, 4, 7, true],
  ] as const)('N=%i C=%i S=%i affine=%s: forward and backward match the definitions', (N, C, S, affine) => {
    const x = seededArray(ctor, N * C * S, 1).map((v) => 3 * v + 1);
    const g = seededArray(ctor, N * C * S, 2);
    const w = affine ? seededArray(ctor, C, 3) : null;
    const b = affine ? seededArray(ctor, C, 4) : null;
    const ref = naive(x, g, w, b, batchGroups(N, C, S), C);
    const spec = { batch: N, channels: C, spatial: S };
    const out = new ctor(x.length).fill(NaN);
    const mean = new Float64Array(C), variance = new Float64Array(C), rstd = new Float64Array(C);
    cpuBackend.batchNormForward(x, w, b, EPS, out, mean, variance, rstd, spec);
    expect(maxRelativeError(out, ref.y)).toBeLessThan(tol);
    expect(maxRelativeError(mean, ref.means)).toBeLessThan(1e-12);
    expect(maxRelativeError(variance, ref.vars)).toBeLessThan(1e-10);
    const gx = new ctor(x.length).fill(NaN), gw = new ctor(C).fill(NaN), gb = new ctor(C).fill(NaN);
    cpuBackend.batchNormBackward(x, g, w, mean, rstd, gx, gw, gb, spec);
    expect(maxRelativeError(gx, ref.gx)).toBeLessThan(tol);
    expect(maxRelativeError(gw, ref.gw)).toBeLessThan(tol);
    expect(maxRelativeError(gb, ref.gb)).toBeLessThan(tol);
  });
});

describe.each(DTYPES)('layer-norm kernels, %s', (_, ctor, tol) => {
  it.each([
    [3, 5, true],
    [4, 1, false],
    [1, 8, true],
    [0, 4, true],
  ] as const)('M=%i n=%i affine=%s: forward and backward match the definitions', (M, n, affine) => {
    const x = seededArray(ctor, M * n, 5).map((v) => 2 * v - 0.5);
    const g = seededArray(ctor, M * n, 6);
    const w = affine ? seededArray(ctor, n, 7) : null;
    const b = affine ? seededArray(ctor, n, 8) : null;
    const ref = naive(x, g, w, b, rowGroups(M, n), n);
    const out = new ctor(x.length).fill(NaN);
    const mean = new Float64Array(M), rstd = new Float64Array(M);
    cpuBackend.layerNormForward(x, w, b, EPS, out, mean, rstd, { rows: M, n });
    expect(maxRelativeError(out, ref.y)).toBeLessThan(tol);
    expect(maxRelativeError(mean, ref.means)).toBeLessThan(1e-12);
    expect(maxRelativeError(rstd, ref.vars.map((v) => 1 / Math.sqrt(v + EPS)))).toBeLessThan(1e-10);
    const gx = new ctor(x.length).fill(NaN), gw = new ctor(n).fill(NaN), gb = new ctor(n).fill(NaN);
    cpuBackend.layerNormBackward(x, g, w, mean, rstd, gx, gw, gb, { rows: M, n });
    expect(maxRelativeError(gx, ref.gx)).toBeLessThan(tol);
    expect(maxRelativeError(gw, ref.gw)).toBeLessThan(tol);
    expect(maxRelativeError(gb, ref.gb)).toBeLessThan(tol);
  });
});
