import { beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, manualSeed, nn, randn } from '../../src/index.js';
import { gradcheckModule, moments, stateDictShapes, toFloat64 } from './helpers.js';
import { inner } from './conv-reference.js';

const F = nn.functional;

beforeEach(() => manualSeed(17));

describe('ConvTranspose2d', () => {
  it('has PyTorch keys, shapes and init (fanIn from weight dim 1)', () => {
    const ct = new nn.ConvTranspose2d(4, 6, [3, 2], { groups: 2 });
    expect(stateDictShapes(ct)).toEqual([['weight', [4, 3, 3, 2]], ['bias', [6]]]);
    const big = new nn.ConvTranspose2d(8, 32, 3);
    const bound = 1 / Math.sqrt(32 * 9);
    const w = moments(big.weight);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeGreaterThan(0.95 * bound);
    expect(new nn.ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }).toString())
      .toBe('ConvTranspose2d(2, 3, kernelSize=[3, 3], stride=[2, 2], padding=[1, 1], outputPadding=[1, 1])');
  });

  const geometries = [
    { stride: [1, 1], padding: [0, 0], outputPadding: [0, 0], dilation: [1, 1], groups: 1 },
    { stride: [2, 2], padding: [1, 1], outputPadding: [1, 1], dilation: [1, 1], groups: 1 },
    { stride: [3, 2], padding: [1, 0], outputPadding: [2, 0], dilation: [1, 2], groups: 2 },
    { stride: [1, 2], padding: [2, 1], outputPadding: [0, 1], dilation: [2, 1], groups: 2 },
  ] as const;

  for (const g of geometries) {
    it(`is the adjoint of conv2d and has the documented output size: ${JSON.stringify(g)}`, () => {
      const [N, Cin, Cout, kH, kW, H, W] = [2, 4, 6, 3, 2, 4, 5];
      const ct = toFloat64(new nn.ConvTranspose2d(Cin, Cout, [kH, kW], { ...g, bias: false }));
      const y = randn([N, Cin, H, W], { dtype: 'float64' });
      const out = ct.forward(y);
      const size = (i: number, k: number, d: 0 | 1) => (i - 1) * g.stride[d] - 2 * g.padding[d] + g.dilation[d] * (k - 1) + g.outputPadding[d] + 1;
      expect(out.shape).toEqual([N, Cout, size(H, kH, 0), size(W, kW, 1)]);
      // conv2d from the transposed conv's output size back to H×W with the same weight:
      // ⟨conv(x), y⟩ = ⟨x, convT(y)⟩ for every x.
      const x = randn(out.shape, { dtype: 'float64' });
      const cx = F.conv2d(x, ct.weight, null, { stride: [g.stride[0], g.stride[1]], padding: [g.padding[0], g.padding[1]], dilation: [g.dilation[0], g.dilation[1]], groups: g.groups });
      expect(cx.shape).toEqual(y.shape);
      const lhs = inner(cx, y);
      expect(Math.abs(lhs - inner(x, out))).toBeLessThan(1e-10 * Math.max(1, Math.abs(lhs)));
    });
  }

  it('adds the bias, accepts unbatched input and passes gradcheck', () => {
    const ct = toFloat64(new nn.ConvTranspose2d(2, 4, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }));
    const x = randn([1, 2, 3, 2], { dtype: 'float64' }).requiresGrad_();
    expect(ct.forward(x.detach().squeeze(0)).shape).toEqual([4, 6, 4]);
    gradcheckModule(ct, [x], (xi) => ct.forward(xi));
  });

  it('names the module on bad input', () => {
    const ct = new nn.ConvTranspose2d(3, 2, 3);
    expect(() => ct.forward(randn([1, 2, 4, 4]))).toThrow('ConvTranspose2d: expected input with 3 channels, got shape [1,2,4,4]');
    expect(() => new nn.ConvTranspose2d(3, 2, 3, { stride: 2, outputPadding: 2 }).forward(randn([1, 3, 4, 4]))).toThrow(ShapeError);
  });
});
