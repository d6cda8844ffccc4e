/**
 * m4 — Linear and Conv2d forward on the reference (CPU) backend: nn.functional.linear and the
 * CPU convolution kernel, against plain-JavaScript sums.
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend, currentBackend, manualSeed, nn, noGrad, useBackend } from 'tsgrad';
import { expectClose, randomTensor, seeded, unravel, values } from './helpers.js';

/** x·Wᵀ + b over the last dim: x [rows, in], w [out, in], b [out] or null. */
function linearRef(x: readonly number[], w: readonly number[], b: readonly number[] | null, rows: number, inF: number, outF: number): number[] {
  return Array.from({ length: rows * outF }, (_, i) => {
    const [r, o] = [Math.floor(i / outF), i % outF];
    let s = b ? b[o] : 0;
    for (let p = 0; p < inF; p++) s += x[r * inF + p] * w[o * inF + p];
    return s;
  });
}

interface ConvCase { n: number; cin: number; h: number; w: number; cout: number; k: number; stride: number; padding: number; dilation: number; groups: number }

/** The direct convolution sum, zero outside the input. */
function convRef(x: readonly number[], w: readonly number[], b: readonly number[], c: ConvCase): { out: number[]; shape: number[] } {
  const oh = Math.floor((c.h + 2 * c.padding - c.dilation * (c.k - 1) - 1) / c.stride) + 1;
  const ow = Math.floor((c.w + 2 * c.padding - c.dilation * (c.k - 1) - 1) / c.stride) + 1;
  const cinG = c.cin / c.groups;
  const coutG = c.cout / c.groups;
  const shape = [c.n, c.cout, oh, ow];
  const out = Array.from({ length: c.n * c.cout * oh * ow }, (_, i) => {
    const [n, co, oy, ox] = unravel(i, shape);
    const g = Math.floor(co / coutG);
    let s = b[co];
    for (let ci = 0; ci < cinG; ci++) {
      for (let ky = 0; ky < c.k; ky++) {
        for (let kx = 0; kx < c.k; kx++) {
          const iy = oy * c.stride - c.padding + ky * c.dilation;
          const ix = ox * c.stride - c.padding + kx * c.dilation;
          if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
          s += w[((co * cinG + ci) * c.k + ky) * c.k + kx] * x[((n * c.cin + g * cinG + ci) * c.h + iy) * c.w + ix];
        }
      }
    }
    return s;
  });
  return { out, shape };
}

describe('m4: Linear and Conv2d on the reference backend', () => {
  it('m4: linear is x·Wᵀ + b', () => {
    const random = seeded(41);
    const x = randomTensor([3, 4], random);
    const w = randomTensor([5, 4], random);
    const b = randomTensor([5], random);
    const y = nn.functional.linear(x, w, b);
    expect(y.shape).toEqual([3, 5]);
    expectClose(values(y), linearRef(values(x), values(w), values(b), 3, 4, 5), 'linear(x, W, b)');
    const y0 = nn.functional.linear(x, w);
    expectClose(values(y0), linearRef(values(x), values(w), null, 3, 4, 5), 'linear(x, W)');
  });

  it('m4: linear keeps the leading dims of its input', () => {
    const random = seeded(42);
    const x = randomTensor([2, 3, 4], random);
    const w = randomTensor([6, 4], random);
    const b = randomTensor([6], random);
    const y = nn.functional.linear(x, w, b);
    expect(y.shape).toEqual([2, 3, 6]);
    expectClose(values(y), linearRef(values(x), values(w), values(b), 6, 4, 6), 'linear on [2, 3, 4]');
    expect(nn.functional.linear(randomTensor([4], random), w).shape).toEqual([6]);
  });

  it('m4: nn.Linear uses its weight and bias', () => {
    manualSeed(4);
    const layer = new nn.Linear(3, 2);
    const x = randomTensor([5, 3], seeded(43)).to('float32');
    const y = noGrad(() => layer.forward(x));
    expectClose(values(y), linearRef(values(x), values(layer.weight), values(layer.bias as NonNullable<typeof layer.bias>), 5, 3, 2), 'Linear(3, 2)', 1e-6, 1e-5);
  });

  it('m4: conv2d on the CPU backend matches the direct sum (padding, stride, dilation, groups, 1×1)', () => {
    const before = currentBackend();
    useBackend(cpuBackend);
    try {
      const random = seeded(44);
      const cases: ConvCase[] = [
        { n: 2, cin: 3, h: 5, w: 6, cout: 4, k: 3, stride: 1, padding: 1, dilation: 1, groups: 1 },
        { n: 1, cin: 2, h: 7, w: 7, cout: 3, k: 3, stride: 2, padding: 0, dilation: 2, groups: 1 },
        { n: 2, cin: 4, h: 4, w: 5, cout: 6, k: 2, stride: 1, padding: 1, dilation: 1, groups: 2 },
        { n: 2, cin: 3, h: 4, w: 4, cout: 5, k: 1, stride: 1, padding: 0, dilation: 1, groups: 1 },
      ];
      for (const c of cases) {
        const x = randomTensor([c.n, c.cin, c.h, c.w], random);
        const w = randomTensor([c.cout, c.cin / c.groups, c.k, c.k], random);
        const b = randomTensor([c.cout], random);
        const y = nn.functional.conv2d(x, w, b, { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups });
        const ref = convRef(values(x), values(w), values(b), c);
        expect(y.shape).toEqual(ref.shape);
        expectClose(values(y), ref.out, `conv2d ${JSON.stringify(c)}`);
      }
    } finally {
      useBackend(before);
    }
  });

  it('m4: float32 convolution through nn.Conv2d', () => {
    manualSeed(5);
    const conv = new nn.Conv2d(2, 3, 3, { padding: 1 });
    const x = randomTensor([1, 2, 4, 4], seeded(45)).to('float32');
    const y = noGrad(() => conv.forward(x));
    const c: ConvCase = { n: 1, cin: 2, h: 4, w: 4, cout: 3, k: 3, stride: 1, padding: 1, dilation: 1, groups: 1 };
    expectClose(values(y), convRef(values(x), values(conv.weight), values(conv.bias as NonNullable<typeof conv.bias>), c).out, 'Conv2d(2, 3, 3)', 1e-5, 1e-4);
  });
});
