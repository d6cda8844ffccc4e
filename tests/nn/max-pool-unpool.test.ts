/**
 * MaxPool2d's dilation, ceilMode and returnIndices, and MaxUnpool2d: a naive float64 reference
 * from PyTorch's documented definitions (output sizes, windows, plane-flat indices), gradchecks
 * on non-contiguous inputs, the unpool round trip, errors.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, gradcheck, manualSeed, nn, randn, tensor, type Tensor } from '../../src/index.js';
import { maxAbsDiff, stateDictShapes } from './helpers.js';

beforeEach(() => manualSeed(47));
const F = nn.functional;
const f64 = { dtype: 'float64' as const };

/** PyTorch's documented output size, with the ceil-mode rule that no window starts in the right padding. */
function outSize(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const exact = (n + 2 * p - d * (k - 1) - 1) / s + 1;
  let out = ceil ? Math.ceil(exact) : Math.floor(exact);
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

interface Geo { k: [number, number]; s: [number, number]; p: [number, number]; d: [number, number]; ceil: boolean }

/** Max and plane-flat argmax over each dilated window, padding excluded; first maximum wins. */
function maxPoolRef(x: Tensor, g: Geo): { values: number[]; indices: number[]; shape: number[] } {
  const [N, C, H, W] = x.shape;
  const oH = outSize(H, g.k[0], g.s[0], g.p[0], g.d[0], g.ceil), oW = outSize(W, g.k[1], g.s[1], g.p[1], g.d[1], g.ceil);
  const xs = x.contiguous().data();
  const values: number[] = [], indices: number[] = [];
  for (let plane = 0; plane < N * C; plane++) {
    for (let i = 0; i < oH; i++) for (let j = 0; j < oW; j++) {
      let best = -Infinity, at = -1;
      for (let a = 0; a < g.k[0]; a++) for (let b = 0; b < g.k[1]; b++) {
        const r = i * g.s[0] - g.p[0] + a * g.d[0], c = j * g.s[1] - g.p[1] + b * g.d[1];
        if (r < 0 || r >= H || c < 0 || c >= W) continue;
        const v = xs[plane * H * W + r * W + c];
        if (v > best) { best = v; at = r * W + c; }
      }
      values.push(best);
      indices.push(at);
    }
  }
  return { values, indices, shape: [N, C, oH, oW] };
}

const geometries: Geo[] = [
  { k: [2, 2], s: [2, 2], p: [0, 0], d: [1, 1], ceil: false },
  { k: [2, 2], s: [2, 2], p: [0, 0], d: [1, 1], ceil: true },
  { k: [3, 3], s: [2, 2], p: [1, 1], d: [1, 1], ceil: true },
  { k: [3, 3], s: [3, 3], p: [1, 1], d: [1, 1], ceil: true },
  { k: [2, 3], s: [1, 2], p: [1, 1], d: [2, 2], ceil: false },
  { k: [3, 2], s: [2, 3], p: [2, 1], d: [2, 3], ceil: true },
];

describe('MaxPool2d: dilation, ceilMode, returnIndices', () => {
  it('follows the documented output sizes (the ceil-mode window rule included)', () => {
    expect(outSize(5, 2, 2, 0, 1, true)).toBe(3);
    expect(outSize(5, 3, 3, 1, 1, true)).toBe(2); // a third window would start in the right padding
    expect(F.maxPool2d(randn([1, 1, 5, 5]), 3, { stride: 3, padding: 1, ceilMode: true }).shape).toEqual([1, 1, 2, 2]);
    expect(F.maxPool2d(randn([1, 1, 5, 6]), 2, { ceilMode: true }).shape).toEqual([1, 1, 3, 3]);
    expect(F.maxPool2d(randn([1, 1, 7, 7]), 3, { stride: 1, dilation: 2 }).shape).toEqual([1, 1, 3, 3]);
  });

  for (const g of geometries) {
    it(`matches the reference values and indices: ${JSON.stringify(g)}`, () => {
      const x = randn([2, 3, 7, 8], f64);
      const ref = maxPoolRef(x, g);
      const [y, idx] = F.maxPool2d(x, g.k, { stride: g.s, padding: g.p, dilation: g.d, ceilMode: g.ceil, returnIndices: true });
      expect(y.shape).toEqual(ref.shape);
      expect(idx.dtype).toBe('int32');
      expect([...idx.data()]).toEqual(ref.indices);
      expect(maxAbsDiff(y, tensor(ref.values, f64).reshape(ref.shape))).toBe(0);
      const m = new nn.MaxPool2d(g.k, { stride: g.s, padding: g.p, dilation: g.d, ceilMode: g.ceil });
      expect(maxAbsDiff(m.forward(x), y)).toBe(0);
    });
  }

  it('matches the reference on random geometries (property)', () => {
    fc.assert(fc.property(
      fc.record({
        seed: fc.integer({ min: 0, max: 1 << 30 }),
        H: fc.integer({ min: 1, max: 8 }), W: fc.integer({ min: 1, max: 8 }),
        kH: fc.integer({ min: 1, max: 3 }), kW: fc.integer({ min: 1, max: 3 }),
        sH: fc.integer({ min: 1, max: 3 }), sW: fc.integer({ min: 1, max: 3 }),
        pH: fc.integer({ min: 0, max: 2 }), pW: fc.integer({ min: 0, max: 2 }),
        dH: fc.integer({ min: 1, max: 3 }), dW: fc.integer({ min: 1, max: 3 }),
        ceil: fc.boolean(),
      }),
      (r) => {
        const g: Geo = { k: [r.kH, r.kW], s: [r.sH, r.sW], p: [r.pH, r.pW], d: [r.dH, r.dW], ceil: r.ceil };
        // Geometries PyTorch refuses (padding over half the dilated kernel, no output) are skipped here.
        const span = (k: number, d: number) => d * (k - 1) + 1;
        if (r.pH > Math.floor(span(r.kH, r.dH) / 2) || r.pW > Math.floor(span(r.kW, r.dW) / 2)) return;
        if (outSize(r.H, r.kH, r.sH, r.pH, r.dH, r.ceil) < 1 || outSize(r.W, r.kW, r.sW, r.pW, r.dW, r.ceil) < 1) return;
        manualSeed(r.seed);
        const x = randn([1, 2, r.H, r.W], f64);
        const ref = maxPoolRef(x, g);
        if (ref.indices.includes(-1)) return; // a window of padding only (refused, see the error test)
        const [y, idx] = F.maxPool2d(x, g.k, { stride: g.s, padding: g.p, dilation: g.d, ceilMode: g.ceil, returnIndices: true });
        expect(y.shape).toEqual(ref.shape);
        expect([...idx.data()]).toEqual(ref.indices);
        expect(maxAbsDiff(y, tensor(ref.values, f64).reshape(ref.shape))).toBe(0);
      },
    ), { seed: 11, numRuns: 150 });
  });

  it('returns [out, indices] from the module, unbatched too, and prints its options', () => {
    const m = new nn.MaxPool2d(2, { returnIndices: true, dilation: [1, 2], ceilMode: true });
    const x = randn([3, 5, 6]);
    const [y, idx] = m.forward(x);
    const [yb, idxb] = m.forward(x.unsqueeze(0));
    expect(maxAbsDiff(y, yb.squeeze(0))).toBe(0);
    expect(idx.toArray()).toEqual(idxb.squeeze(0).toArray());
    expect(m.toString()).toBe('MaxPool2d(kernelSize=[2, 2], stride=[2, 2], padding=[0, 0], dilation=[1, 2], ceilMode=true, returnIndices=true)');
    expect(stateDictShapes(m)).toEqual([]);
    expect(new nn.MaxPool2d(3, { stride: 2 }).forward(randn([1, 1, 5, 5])).shape).toEqual([1, 1, 2, 2]);
  });

  it('passes gradcheck with dilation and ceil mode on a non-contiguous input', () => {
    const base = randn([6, 5, 2, 1], f64).requiresGrad_();
    for (const g of geometries.slice(2)) {
      expect(gradcheck((b) => F.maxPool2d(b.permute(3, 2, 0, 1), g.k, { stride: g.s, padding: g.p, dilation: g.d, ceilMode: g.ceil }), [base])).toBe(true);
    }
  });

  it('names the op on bad options', () => {
    expect(() => new nn.MaxPool2d(3, { padding: 2 }).forward(randn([1, 1, 6, 6]))).toThrow(/MaxPool2d: padding \[2,2\] should be at most half of kernel size \[3,3\]/);
    // dilation widens the window, so padding 2 is allowed with kernel 3, dilation 2 (span 5).
    expect(new nn.MaxPool2d(3, { padding: 2, dilation: 2 }).forward(randn([1, 1, 6, 6])).shape).toEqual([1, 1, 2, 2]);
    expect(() => new nn.MaxPool2d(3, { padding: 3, dilation: 2 }).forward(randn([1, 1, 6, 6]))).toThrow('MaxPool2d: padding [3,3] should be at most half of dilated kernel size [5,5] (kernel [3,3], dilation [2,2])');
    // A dilated window can step over a small input entirely: refused rather than a −∞ output.
    expect(() => F.maxPool2d(randn([1, 1, 1, 4]), [2, 1], { dilation: [3, 1], padding: [2, 0], stride: 1 })).toThrow(/covers only padding/);
    expect(() => new nn.MaxPool2d(3, { dilation: 0 })).toThrow(/MaxPool2d: dilation must be an integer ≥ 1/);
    expect(() => new nn.MaxPool2d(3, { ceil_mode: true } as never)).toThrow(/MaxPool2d: unknown option 'ceil_mode' \(did you mean 'ceilMode'\?\)/);
    expect(() => new nn.MaxPool2d(3, 2 as never)).toThrow(/MaxPool2d: expected an options object/);
    expect(() => F.maxPool2d(randn([1, 1, 4, 4]), 2, { return_indices: true } as never)).toThrow(/did you mean 'returnIndices'/);
    expect(() => F.maxPool2d(randn([1, 1, 2, 2]), 3, { dilation: 2 })).toThrow(/maxPool2d: input size 2 with padding 0 is smaller than dilated kernel size 5/);
  });
});

describe('MaxUnpool2d', () => {
  it('puts each pooled value back at its index (zeros elsewhere), with the default and a given output size', () => {
    const x = randn([2, 3, 5, 7], f64);
    const [y, idx] = new nn.MaxPool2d(2, { returnIndices: true }).forward(x);
    const unpool = new nn.MaxUnpool2d(2);
    // The default size 4×6 cannot hold indices into the 5×7 planes (as in PyTorch).
    expect(() => unpool.forward(y, idx)).toThrow(/MaxUnpool2d|maxUnpool2d: found an invalid max index/);
    const even = randn([2, 3, 4, 6], f64).abs().add(0.1); // positive, so the zeros of the unpooled tensor never win
    const [ye, idxe] = new nn.MaxPool2d(2, { returnIndices: true }).forward(even);
    const u = unpool.forward(ye, idxe);
    expect(u.shape).toEqual([2, 3, 4, 6]);
    expect(maxAbsDiff(F.maxPool2d(u, 2), ye)).toBe(0);
    const u2 = unpool.forward(y, idx, { outputSize: [5, 7] });
    expect(u2.shape).toEqual([2, 3, 5, 7]);
    expect(maxAbsDiff(F.maxUnpool2d(y, idx, 2, { outputSize: [2, 3, 5, 7] }), u2)).toBe(0);
    // The reference: zeros, with y written at each plane-flat index.
    const expected = new Float64Array(2 * 3 * 35);
    const ys = y.data(), is = idx.data();
    for (let k = 0; k < ys.length; k++) expected[Math.floor(k / 6) * 35 + is[k]] = ys[k];
    expect(maxAbsDiff(u2, tensor(expected, f64).reshape([2, 3, 5, 7]))).toBe(0);
    expect(stateDictShapes(unpool)).toEqual([]);
    expect(unpool.toString()).toBe('MaxUnpool2d(kernelSize=[2, 2], stride=[2, 2], padding=[0, 0])');
    // Unbatched input.
    expect(maxAbsDiff(unpool.forward(ye.narrow(0, 0, 1).squeeze(0), idxe.narrow(0, 0, 1).squeeze(0)), u.narrow(0, 0, 1).squeeze(0))).toBe(0);
  });

  it('passes gradcheck (the gradient gathers from the indices) on a non-contiguous input', () => {
    const x = randn([1, 2, 4, 6], f64);
    const [, idx] = F.maxPool2d(x, [2, 3], { stride: [2, 3], padding: [1, 1], returnIndices: true }); // windows do not overlap: distinct indices
    const shape = idx.shape;
    const base = randn([shape[3], shape[2], shape[1], shape[0]], f64).requiresGrad_();
    expect(gradcheck((b) => F.maxUnpool2d(b.permute(3, 2, 1, 0), idx, [2, 3], { stride: [2, 3], padding: 1, outputSize: [4, 6] }), [base])).toBe(true);
  });

  it('names the op on bad input and bad options, changing nothing', () => {
    const [y, idx] = F.maxPool2d(randn([1, 1, 4, 4]), 2, { returnIndices: true });
    const unpool = new nn.MaxUnpool2d(2);
    expect(() => unpool.forward(y, idx, { outputSize: [6, 4] })).toThrow(/MaxUnpool2d: invalid outputSize \[6,4\]: dim 0 must be between 3 and 5/);
    expect(() => unpool.forward(y, idx, { outputSize: [4] })).toThrow(/outputSize must have 2 or 4 entries/);
    expect(() => unpool.forward(y, idx.float())).toThrow(DTypeError);
    expect(() => unpool.forward(y, idx.reshape([1, 1, 4]))).toThrow(/expected indices of the input's shape \[1,1,2,2\]/);
    expect(() => unpool.forward(y, tensor([[[[0, 1], [2, 16]]]], { dtype: 'int32' }))).toThrow(/invalid max index 16/);
    expect(() => unpool.forward(y, idx, { output_size: [4, 4] } as never)).toThrow(/MaxUnpool2d.forward: unknown option 'output_size' \(did you mean 'outputSize'\?\)/);
    expect(() => new nn.MaxUnpool2d(2, { dilation: 1 } as never)).toThrow(/MaxUnpool2d: unknown option 'dilation'/);
    expect(() => unpool.forward(randn([4, 4]), idx)).toThrow(ShapeError);
  });
});
