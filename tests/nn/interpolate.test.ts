/**
 * interpolate and nn.Upsample: PyTorch's documented example values, a naive float64 reference
 * for nearest and (bi)linear (with and without alignCorners, from size or from scaleFactor),
 * gradchecks (non-contiguous inputs included), errors.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, enableGrad, grad, gradcheck, manualSeed, nn, randn, tensor } from '../../src/index.js';
import { maxAbsDiff, stateDictShapes } from './helpers.js';

beforeEach(() => manualSeed(41));
const F = nn.functional;
const f64 = { dtype: 'float64' as const };

/** Nearest source index, by exact rational arithmetic: ⌊i·in/out⌋ from size, ⌊i/factor⌋ from a factor. */
function nearestSource(i: number, inSize: number, outSize: number, factor?: number): number {
  if (outSize === inSize) return i;
  if (outSize === 2 * inSize) return Math.floor(i / 2);
  const s = factor === undefined ? Math.floor((i * inSize) / outSize) : Math.floor(i / factor);
  return Math.min(s, inSize - 1);
}

/** Linear source [i0, i1, λ] of output position i (the documented half-pixel and align-corners mappings). */
function linearSource(i: number, inSize: number, outSize: number, alignCorners: boolean, factor?: number): [number, number, number] {
  if (outSize === inSize) return [i, i, 0];
  let s: number;
  if (alignCorners) s = outSize === 1 ? 0 : (i * (inSize - 1)) / (outSize - 1);
  else s = Math.max(((i + 0.5) * (factor === undefined ? inSize / outSize : 1 / factor)) - 0.5, 0);
  const i0 = Math.min(Math.floor(s), inSize - 1);
  return [i0, Math.min(i0 + 1, inSize - 1), s - i0];
}

/** Reference resampling of x [P, H, W] (flat) to [P, oH, oW]. */
function resampleRef(x: number[], planes: number, inH: number, inW: number, oH: number, oW: number, mode: string, alignCorners = false, factors: (number | undefined)[] = []): number[] {
  const out: number[] = [];
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < oH; i++) {
      for (let j = 0; j < oW; j++) {
        const at = (r: number, c: number) => x[(p * inH + r) * inW + c];
        if (mode === 'nearest') {
          out.push(at(nearestSource(i, inH, oH, factors[0]), nearestSource(j, inW, oW, factors[1])));
        } else {
          const [h0, h1, lh] = linearSource(i, inH, oH, alignCorners, factors[0]);
          const [w0, w1, lw] = linearSource(j, inW, oW, alignCorners, factors[1]);
          out.push((1 - lh) * ((1 - lw) * at(h0, w0) + lw * at(h0, w1)) + lh * ((1 - lw) * at(h1, w0) + lw * at(h1, w1)));
        }
      }
    }
  }
  return out;
}

const grid = () => tensor([[[[1, 2], [3, 4]]]], f64);

describe('interpolate', () => {
  it("reproduces the example values of PyTorch's Upsample documentation", () => {
    expect(new nn.Upsample({ scaleFactor: 2, mode: 'nearest' }).forward(grid()).toArray()).toEqual([[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]);
    const bilinear = new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }).forward(grid());
    expect(maxAbsDiff(bilinear, tensor([[[[1, 1.25, 1.75, 2], [1.5, 1.75, 2.25, 2.5], [2.5, 2.75, 3.25, 3.5], [3, 3.25, 3.75, 4]]]], f64))).toBeLessThan(1e-15);
    const aligned = new nn.Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: true }).forward(grid());
    const t = 1 / 3;
    const expected = [[1, 1 + t, 2 - t, 2], [2 - t, 2, 2 + t, 3 - t], [2 + t, 3 - t, 3, 3 + t], [3, 3 + t, 4 - t, 4]];
    expect(maxAbsDiff(aligned, tensor([[expected]], f64))).toBeLessThan(1e-15);
  });

  it('nearest and bilinear match the reference from size and from scaleFactor (4-d)', () => {
    const cases: [number[], { size?: number | number[]; scaleFactor?: number | number[] }][] = [
      [[2, 3, 4, 5], { size: [7, 3] }], [[1, 2, 3, 3], { size: 5 }], [[2, 1, 4, 3], { scaleFactor: [2.6, 0.7] }],
      [[1, 2, 5, 4], { scaleFactor: 1.5 }], [[1, 1, 3, 4], { size: [6, 8] }], [[1, 1, 4, 4], { size: [1, 4] }],
    ];
    for (const [shape, sizeOpt] of cases) {
      const x = randn(shape, f64);
      const [N, C, H, W] = shape;
      const factors = sizeOpt.scaleFactor === undefined ? [undefined, undefined] : typeof sizeOpt.scaleFactor === 'number' ? [sizeOpt.scaleFactor, sizeOpt.scaleFactor] : sizeOpt.scaleFactor;
      const oH = sizeOpt.size !== undefined ? (typeof sizeOpt.size === 'number' ? sizeOpt.size : sizeOpt.size[0]) : Math.floor(H * (factors[0] as number));
      const oW = sizeOpt.size !== undefined ? (typeof sizeOpt.size === 'number' ? sizeOpt.size : sizeOpt.size[1]) : Math.floor(W * (factors[1] as number));
      for (const [mode, alignCorners] of [['nearest', undefined], ['bilinear', false], ['bilinear', true]] as const) {
        const y = F.interpolate(x, { ...sizeOpt, mode, alignCorners });
        const ref = resampleRef([...x.data()], N * C, H, W, oH, oW, mode, alignCorners ?? false, factors);
        expect(y.shape).toEqual([N, C, oH, oW]);
        expect(maxAbsDiff(y, tensor(ref, f64).reshape([N, C, oH, oW]))).toBeLessThan(1e-12);
      }
    }
  });

  it('matches the reference on random sizes, modes and factors (property)', () => {
    fc.assert(fc.property(
      fc.record({
        seed: fc.integer({ min: 0, max: 1 << 30 }),
        H: fc.integer({ min: 1, max: 6 }), W: fc.integer({ min: 1, max: 6 }),
        oH: fc.integer({ min: 1, max: 13 }), oW: fc.integer({ min: 1, max: 13 }),
        useFactor: fc.boolean(), mode: fc.constantFrom('nearest', 'bilinear', 'bilinear-aligned'),
        fH: fc.constantFrom(0.5, 0.75, 1.5, 2, 2.5, 3), fW: fc.constantFrom(0.5, 1, 1.25, 2, 3.5),
      }),
      (g) => {
        manualSeed(g.seed);
        const x = randn([1, 2, g.H, g.W], f64);
        const factors = g.useFactor ? [g.fH, g.fW] : [undefined, undefined];
        const oH = g.useFactor ? Math.floor(g.H * g.fH) : g.oH, oW = g.useFactor ? Math.floor(g.W * g.fW) : g.oW;
        if (oH < 1 || oW < 1) return;
        const mode = g.mode === 'nearest' ? 'nearest' : 'bilinear';
        const alignCorners = g.mode === 'bilinear-aligned' ? true : undefined;
        const sizeOpt = g.useFactor ? { scaleFactor: [g.fH, g.fW] } : { size: [oH, oW] };
        const y = F.interpolate(x, { ...sizeOpt, mode, alignCorners });
        const ref = resampleRef([...x.data()], 2, g.H, g.W, oH, oW, mode, alignCorners ?? false, factors);
        expect(maxAbsDiff(y, tensor(ref, f64).reshape([1, 2, oH, oW]))).toBeLessThan(1e-12);
      },
    ), { seed: 7, numRuns: 60 });
  });

  it('uses the given scaleFactor, not in/out, in the index formulas (as PyTorch)', () => {
    const x = tensor([[[0, 1, 2, 3]]], f64);
    // in 4, factor 2.6 → out 10; position 5 reads ⌊5/2.6⌋ = 1, where size 10 would read ⌊5·0.4⌋ = 2.
    expect(F.interpolate(x, { scaleFactor: 2.6 }).toArray()).toEqual([[[0, 0, 0, 1, 1, 1, 2, 2, 3, 3]]]);
    expect(F.interpolate(x, { size: 10 }).toArray()).toEqual([[[0, 0, 0, 1, 1, 2, 2, 2, 3, 3]]]);
    const linear = F.interpolate(x, { scaleFactor: 2.6, mode: 'linear' });
    const ref = resampleRef([0, 1, 2, 3], 1, 1, 4, 1, 10, 'linear', false, [undefined, 2.6]);
    expect(maxAbsDiff(linear, tensor([[ref]], f64))).toBeLessThan(1e-15);
    expect(maxAbsDiff(linear, F.interpolate(x, { size: 10, mode: 'linear' }))).toBeGreaterThan(0.01);
    // recomputeScaleFactor: the factor only sets the size; indexing is by in/out, as with size.
    expect(F.interpolate(x, { scaleFactor: 2.6, recomputeScaleFactor: true }).toArray()).toEqual(F.interpolate(x, { size: 10 }).toArray());
    expect(maxAbsDiff(new nn.Upsample({ scaleFactor: 2.6, mode: 'linear', recomputeScaleFactor: true }).forward(x), F.interpolate(x, { size: 10, mode: 'linear' }))).toBe(0);
  });

  it('3-d nearest and linear match the reference; float32 agrees with float64', () => {
    const x = randn([2, 3, 6], f64);
    for (const [mode, alignCorners] of [['nearest', undefined], ['linear', false], ['linear', true]] as const) {
      for (const size of [4, 11, 12, 1]) {
        const y = F.interpolate(x, { size, mode, alignCorners });
        const ref = resampleRef([...x.data()], 6, 1, 6, 1, size, mode === 'nearest' ? 'nearest' : 'linear', alignCorners ?? false);
        expect(maxAbsDiff(y, tensor(ref, f64).reshape([2, 3, size]))).toBeLessThan(1e-12);
        expect(maxAbsDiff(F.interpolate(x.float(), { size, mode, alignCorners }).double(), y)).toBeLessThan(1e-5);
      }
    }
    expect(F.interpolate(tensor([[[1, 2, 3]]], { dtype: 'int32' }), { scaleFactor: 2 }).toArray()).toEqual([[[1, 1, 2, 2, 3, 3]]]);
  });

  it('passes gradcheck on non-contiguous inputs, and second derivatives', () => {
    const base = randn([3, 4, 2, 1], f64).requiresGrad_();
    for (const [mode, alignCorners] of [['nearest', undefined], ['bilinear', false], ['bilinear', true]] as const) {
      expect(gradcheck((b) => F.interpolate(b.permute(3, 2, 1, 0), { size: [5, 7], mode, alignCorners }), [base])).toBe(true);
      expect(gradcheck((b) => F.interpolate(b.permute(3, 2, 0, 1), { scaleFactor: [0.7, 1.5], mode, alignCorners }), [base])).toBe(true);
    }
    const line = randn([5, 2], f64).requiresGrad_();
    expect(gradcheck((l) => F.interpolate(l.T.unsqueeze(0), { size: 9, mode: 'linear' }), [line])).toBe(true);
    // The backward is itself differentiable: ∂/∂x of ‖∂(y·v)/∂x · x‖².
    const x = randn([1, 2, 3, 3], f64).requiresGrad_();
    const v = randn([1, 2, 5, 4], f64);
    const second = (xi: typeof x) => enableGrad(() => {
      const [gx] = grad(F.interpolate(xi.mul(xi), { size: [5, 4], mode: 'bilinear' }).mul(v).sum(), [xi], { createGraph: true });
      return gx!.mul(gx!).sum();
    });
    expect(gradcheck(second, [x])).toBe(true);
  });

  it('Upsample has no state and prints its options', () => {
    const up = new nn.Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: true });
    expect(stateDictShapes(up)).toEqual([]);
    expect(up.toString()).toBe("Upsample(scaleFactor=2, mode='bilinear', alignCorners=true)");
    expect(new nn.Upsample({ size: [4, 6] }).forward(randn([1, 1, 2, 3])).shape).toEqual([1, 1, 4, 6]);
  });

  it('names the op on bad input and bad options', () => {
    const x = randn([1, 2, 3, 3]);
    expect(() => F.interpolate(x, {})).toThrow('interpolate: give exactly one of size and scaleFactor');
    expect(() => F.interpolate(x, { size: 4, scaleFactor: 2 })).toThrow(/exactly one/);
    expect(() => F.interpolate(x, { size: 4, mode: 'nearest', alignCorners: false })).toThrow(/alignCorners can only be set/);
    expect(() => F.interpolate(x, { size: 4, mode: 'bicubic' as never })).toThrow(/mode must be/);
    expect(() => F.interpolate(x, { size: 4, mode: 'linear' })).toThrow("interpolate: mode 'linear' needs a 3-d input, got shape [1,2,3,3]");
    expect(() => F.interpolate(randn([1, 2, 3]), { size: 4, mode: 'bilinear' })).toThrow(/'bilinear' needs a 4-d input/);
    expect(() => F.interpolate(randn([2, 3]), { size: 4 })).toThrow(ShapeError);
    expect(() => F.interpolate(x, { size: [4, 4, 4] })).toThrow(/size \[4,4,4\] must have one entry per spatial dim \(2\)/);
    expect(() => F.interpolate(x, { scaleFactor: 0.2 })).toThrow(/sizes should be greater than 0/);
    expect(() => F.interpolate(x, { scaleFactor: -1 })).toThrow(/scaleFactor must hold positive/);
    expect(() => F.interpolate(x, { size: 2.5 })).toThrow(/size must hold positive integers/);
    expect(() => F.interpolate(tensor([[[1, 2]]], { dtype: 'int32' }), { size: 3, mode: 'linear' })).toThrow(DTypeError);
    expect(() => F.interpolate(x, { size: 4, recomputeScaleFactor: true })).toThrow(/recomputeScaleFactor is not meaningful with an explicit size/);
    expect(() => F.interpolate(x, { scale_factor: 2 } as never)).toThrow(/unknown option 'scale_factor' \(did you mean 'scaleFactor'\?\)/);
    expect(() => new nn.Upsample({ scaleFactor: 2, align_corners: true } as never)).toThrow(/Upsample: unknown option 'align_corners'/);
    expect(() => new nn.Upsample(2 as never)).toThrow(/Upsample: expected an options object/);
  });
});
