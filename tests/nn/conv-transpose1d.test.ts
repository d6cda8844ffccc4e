/**
 * ConvTranspose1d and functional convTranspose1d: a naive float64 scatter reference from the
 * definition, the adjoint identity with conv1d, PyTorch's layout and init, gradcheck, errors.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, Tensor, gradcheck, manualSeed, nn, randn } from '../../src/index.js';
import { gradcheckModule, maxAbsDiff, moments, stateDictShapes, toFloat64 } from './helpers.js';
import { inner } from './conv-reference.js';

beforeEach(() => manualSeed(43));
const F = nn.functional;
const f64 = { dtype: 'float64' as const };

interface Geometry { stride: number; padding: number; outputPadding: number; dilation: number; groups: number }

/** out[n, g·Og + o, i·s − p + k·d] += x[n, g·Cg + c, i]·w[g·Cg + c, o, k] (+ bias), by the definition. */
function naiveConvTranspose1d(x: Tensor, w: Tensor, bias: Tensor | null, g: Geometry): Tensor {
  const [N, Cin, L] = x.shape;
  const [, Og, K] = w.shape;
  const O = Og * g.groups, Cg = Cin / g.groups;
  const outL = (L - 1) * g.stride - 2 * g.padding + g.dilation * (K - 1) + g.outputPadding + 1;
  const xs = x.data(), ws = w.data(), bs = bias?.data();
  const out = new Float64Array(N * O * outL);
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let t = 0; t < outL; t++) out[(n * O + o) * outL + t] = bs ? bs[o] : 0;
  for (let n = 0; n < N; n++) for (let c = 0; c < Cin; c++) {
    const grp = Math.floor(c / Cg);
    for (let i = 0; i < L; i++) for (let o = 0; o < Og; o++) for (let k = 0; k < K; k++) {
      const t = i * g.stride - g.padding + k * g.dilation;
      if (t < 0 || t >= outL) continue;
      out[(n * O + grp * Og + o) * outL + t] += xs[(n * Cin + c) * L + i] * ws[(c * Og + o) * K + k];
    }
  }
  return new Tensor(out, [N, O, outL], f64);
}

const geometries: Geometry[] = [
  { stride: 1, padding: 0, outputPadding: 0, dilation: 1, groups: 1 },
  { stride: 2, padding: 1, outputPadding: 1, dilation: 1, groups: 1 },
  { stride: 3, padding: 2, outputPadding: 1, dilation: 2, groups: 2 },
  { stride: 1, padding: 1, outputPadding: 1, dilation: 2, groups: 4 },
];

describe('ConvTranspose1d', () => {
  it('has PyTorch keys, shapes and init (fanIn from weight dim 1)', () => {
    const ct = new nn.ConvTranspose1d(4, 6, 3, { groups: 2 });
    expect(stateDictShapes(ct)).toEqual([['weight', [4, 3, 3]], ['bias', [6]]]);
    expect(stateDictShapes(new nn.ConvTranspose1d(4, 6, 3, { bias: false }))).toEqual([['weight', [4, 6, 3]]]);
    const big = new nn.ConvTranspose1d(8, 64, 5);
    const bound = 1 / Math.sqrt(64 * 5);
    const w = moments(big.weight);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeGreaterThan(0.95 * bound);
    expect(new nn.ConvTranspose1d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }).toString())
      .toBe('ConvTranspose1d(2, 3, kernelSize=[3], stride=[2], padding=[1], outputPadding=[1])');
  });

  for (const g of geometries) {
    it(`matches the definition and is the adjoint of conv1d: ${JSON.stringify(g)}`, () => {
      const [N, Cin, Cout, K, L] = [2, 4, 8, 3, 5];
      const ct = toFloat64(new nn.ConvTranspose1d(Cin, Cout, K, g));
      const y = randn([N, Cin, L], f64);
      const out = ct.forward(y);
      expect(maxAbsDiff(out, naiveConvTranspose1d(y, ct.weight, ct.bias, g))).toBeLessThan(1e-12);
      // ⟨conv1d(x), y⟩ = ⟨x, convT1d(y)⟩ without bias (conv1d's outputs past L, which an
      // outputPadding below the dilation can add, meet no y).
      const x = randn(out.shape, f64);
      const cx = F.conv1d(x, ct.weight, null, { stride: g.stride, padding: g.padding, dilation: g.dilation, groups: g.groups }).narrow(2, 0, L);
      expect(cx.shape).toEqual(y.shape);
      const noBias = F.convTranspose1d(y, ct.weight, null, { stride: g.stride, padding: g.padding, outputPadding: g.outputPadding, dilation: g.dilation, groups: g.groups });
      expect(Math.abs(inner(cx, y) - inner(x, noBias))).toBeLessThan(1e-10 * Math.max(1, Math.abs(inner(cx, y))));
    });
  }

  it('accepts unbatched input and passes gradcheck (module; functional on non-contiguous input and weight)', () => {
    const ct = toFloat64(new nn.ConvTranspose1d(2, 4, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }));
    const x = randn([2, 2, 3], f64).requiresGrad_();
    expect(maxAbsDiff(ct.forward(x.detach().narrow(0, 0, 1).squeeze(0)), ct.forward(x.detach()).narrow(0, 0, 1).squeeze(0))).toBe(0);
    gradcheckModule(ct, [x], (xi) => ct.forward(xi));
    const xt = randn([4, 3, 2], f64).requiresGrad_(); // transposed to [2, 3, 4]
    const wt = randn([3, 2, 3], f64).requiresGrad_(); // permuted to [3, 3, 2]
    const b = randn([3], f64).requiresGrad_();
    expect(gradcheck((xi, wi, bi) => F.convTranspose1d(xi.transpose(0, 2), wi.permute(0, 2, 1), bi, { stride: 2, dilation: 2 }), [xt, wt, b])).toBe(true);
  });

  it('names the op on bad input and bad options', () => {
    const ct = new nn.ConvTranspose1d(3, 2, 3);
    expect(() => ct.forward(randn([1, 2, 4]))).toThrow('ConvTranspose1d: expected input with 3 channels, got shape [1,2,4]');
    expect(() => ct.forward(randn([1, 3, 4, 4]))).toThrow(/ConvTranspose1d: expected a 2-d \(unbatched\) or 3-d \(batched\) input/);
    expect(() => new nn.ConvTranspose1d(3, 2, 3, { stride: 2, outputPadding: 2 })).toThrow(/outputPadding 2 must be smaller than either stride 2 or dilation 1/);
    expect(() => new nn.ConvTranspose1d(3, 2, 3, { groups: 2 })).toThrow(ShapeError);
    expect(() => new nn.ConvTranspose1d(3, 2, 0)).toThrow(/kernelSize must be an integer ≥ 1/);
    expect(() => new nn.ConvTranspose1d(3, 2, 3, { output_padding: 1 } as never)).toThrow(/ConvTranspose1d: unknown option 'output_padding' \(did you mean 'outputPadding'\?\)/);
    expect(() => new nn.ConvTranspose1d(3, 2, 3, 2 as never)).toThrow(/ConvTranspose1d: expected an options object/);
    expect(() => F.convTranspose1d(randn([1, 3, 4]), randn([3, 2, 3, 1]))).toThrow(/convTranspose1d: expected a 3-d weight/);
    expect(() => F.convTranspose1d(randn([1, 3, 4]), randn([3, 2, 3]), randn([3]))).toThrow(/convTranspose1d: expected a bias of shape \[2\]/);
    expect(() => F.convTranspose1d(randn([1, 3, 4]), randn([3, 2, 3]), null, { padding: 5 })).toThrow('convTranspose1d: input of shape [1,3,4] gives a non-positive output length -4');
    expect(() => F.convTranspose1d(randn([1, 3, 4]), randn([3, 2, 3]), null, { stride: 2, outputPadding: 3 })).toThrow('convTranspose1d: outputPadding 3 must be smaller than either stride 2 or dilation 1');
    expect(() => F.convTranspose1d(randn([1, 3, 4]), randn([3, 2, 3]), null, { bias: true } as never)).toThrow(/unknown option 'bias'/);
  });
});
