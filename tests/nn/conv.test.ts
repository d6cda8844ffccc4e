import { beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, cpuBackend, enableGrad, grad, gradcheck, manualSeed, nn, randn, useBackend, type Backend } from '../../src/index.js';
import { gradcheckModule, maxAbsDiff, moments, stateDictShapes, toFloat64 } from './helpers.js';
import { naiveConv2d } from './conv-reference.js';

const F = nn.functional;

beforeEach(() => manualSeed(13));

describe('Conv2d', () => {
  it('has PyTorch keys, shapes, init bounds and printing', () => {
    const c = new nn.Conv2d(4, 6, 3, { groups: 2, padding: 1 });
    expect(stateDictShapes(c)).toEqual([['weight', [6, 2, 3, 3]], ['bias', [6]]]);
    expect(stateDictShapes(new nn.Conv2d(3, 5, [2, 4], { bias: false }))).toEqual([['weight', [5, 3, 2, 4]]]);
    expect(c.toString()).toBe('Conv2d(4, 6, kernelSize=[3, 3], stride=[1, 1], padding=[1, 1], groups=2)');
    const big = new nn.Conv2d(16, 64, 3);
    const bound = 1 / Math.sqrt(16 * 9);
    const w = moments(big.weight);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeGreaterThan(0.97 * bound);
    const b = moments(big.bias!);
    expect(Math.max(b.max, -b.min)).toBeLessThanOrEqual(bound);
  });

  const cases: { name: string; inC: number; outC: number; k: number | [number, number]; opts: nn.ConvModuleOptions; H: number; W: number; pads: [number, number]; outHW: [number, number] }[] = [
    { name: 'plain', inC: 2, outC: 3, k: 3, opts: {}, H: 6, W: 5, pads: [0, 0], outHW: [4, 3] },
    { name: 'stride 2, padding 1', inC: 2, outC: 3, k: 3, opts: { stride: 2, padding: 1 }, H: 7, W: 6, pads: [1, 1], outHW: [4, 3] },
    { name: 'dilation and per-dim padding', inC: 1, outC: 2, k: [3, 2], opts: { dilation: [2, 3], padding: [1, 2] }, H: 7, W: 7, pads: [1, 2], outHW: [5, 8] },
    { name: 'groups', inC: 4, outC: 6, k: 3, opts: { groups: 2, stride: [1, 2] }, H: 5, W: 6, pads: [0, 0], outHW: [3, 2] },
    { name: 'depthwise', inC: 3, outC: 3, k: 2, opts: { groups: 3 }, H: 4, W: 4, pads: [0, 0], outHW: [3, 3] },
    // 'same' with an even kernel pads 1 on top/left and 2 on bottom/right (dilation·(k−1) = 3).
    { name: "'same', even kernel", inC: 2, outC: 2, k: 4, opts: { padding: 'same' }, H: 5, W: 6, pads: [1, 1], outHW: [5, 6] },
    { name: "'same', dilated", inC: 2, outC: 2, k: 3, opts: { padding: 'same', dilation: 2 }, H: 5, W: 6, pads: [2, 2], outHW: [5, 6] },
    { name: "'valid'", inC: 2, outC: 2, k: 3, opts: { padding: 'valid' }, H: 5, W: 6, pads: [0, 0], outHW: [3, 4] },
  ];

  for (const c of cases) {
    it(`matches the naive definition: ${c.name}`, () => {
      const conv = toFloat64(new nn.Conv2d(c.inC, c.outC, c.k, c.opts));
      const x = randn([2, c.inC, c.H, c.W], { dtype: 'float64' });
      const y = conv.forward(x);
      const s = conv.stride, d = conv.dilation;
      const ref = naiveConv2d(x, conv.weight, conv.bias, { stride: s, dilation: d, padTop: c.pads[0], padLeft: c.pads[1], groups: conv.groups, outH: c.outHW[0], outW: c.outHW[1] });
      expect(maxAbsDiff(y, ref)).toBeLessThan(1e-12);
      // float32 agrees to float32 rounding.
      const c32 = new nn.Conv2d(c.inC, c.outC, c.k, c.opts);
      c32.loadStateDict(conv.stateDict());
      expect(maxAbsDiff(c32.forward(x.float()).double(), ref)).toBeLessThan(1e-5);
    });
  }

  it('supports reflect padding mode', () => {
    const conv = toFloat64(new nn.Conv2d(1, 1, 3, { padding: 1, paddingMode: 'reflect' }));
    const x = randn([1, 1, 4, 4], { dtype: 'float64' });
    const padded = F.pad(x, [1, 1, 1, 1], { mode: 'reflect' });
    const ref = naiveConv2d(padded, conv.weight, conv.bias, { stride: [1, 1], dilation: [1, 1], padTop: 0, padLeft: 0, groups: 1, outH: 4, outW: 4 });
    expect(maxAbsDiff(conv.forward(x), ref)).toBeLessThan(1e-12);
  });

  it('accepts unbatched input', () => {
    const conv = new nn.Conv2d(3, 2, 3);
    const x = randn([3, 5, 5]);
    const y = conv.forward(x);
    expect(y.shape).toEqual([2, 3, 3]);
    expect(maxAbsDiff(y, conv.forward(x.unsqueeze(0)).squeeze(0))).toBe(0);
  });

  it('passes gradcheck with stride, padding, dilation and groups', () => {
    const conv = toFloat64(new nn.Conv2d(4, 2, [3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 }));
    const x = randn([2, 4, 5, 5], { dtype: 'float64' }).requiresGrad_();
    gradcheckModule(conv, [x], (xi) => conv.forward(xi));
  });

  it('has second derivatives (the backward is again a convolution)', () => {
    const x = randn([1, 2, 5, 4], { dtype: 'float64' }).requiresGrad_();
    const w = randn([2, 1, 3, 2], { dtype: 'float64' }).requiresGrad_();
    const v = randn([1, 2, 5, 3], { dtype: 'float64' }).requiresGrad_();
    const opts = { stride: [1, 1] as [number, number], padding: [1, 0] as [number, number], groups: 2 };
    // d/dx ⟨conv(x, w), v⟩ and d/dw of the same, each differentiated again in x, w and v.
    const gradX = (xi: typeof x, wi: typeof w, vi: typeof v) => enableGrad(() => grad(F.conv2d(xi, wi, null, opts).mul(vi).sum(), [xi], { createGraph: true })[0]!);
    const gradW = (xi: typeof x, wi: typeof w, vi: typeof v) => enableGrad(() => grad(F.conv2d(xi, wi, null, opts).mul(vi).sum(), [wi], { createGraph: true })[0]!);
    const gradXW = (xi: typeof x, wi: typeof w, vi: typeof v) => enableGrad(() => {
      const [gx, gw] = grad(F.conv2d(xi, wi, null, opts).mul(vi).sum(), [xi, wi], { createGraph: true });
      return gx!.mul(gx!).sum().add(gw!.mul(gw!).sum());
    });
    expect(gradcheck(gradX, [x, w, v])).toBe(true);
    expect(gradcheck(gradW, [x, w, v])).toBe(true);
    expect(gradcheck(gradXW, [x, w, v])).toBe(true);
  });

  it('names the module and shapes on bad input', () => {
    const conv = new nn.Conv2d(3, 2, 3);
    expect(() => conv.forward(randn([2, 4, 8, 8]))).toThrow(ShapeError);
    expect(() => conv.forward(randn([2, 4, 8, 8]))).toThrow('Conv2d: expected input with 3 channels, got shape [2,4,8,8]');
    expect(() => conv.forward(randn([8, 8]))).toThrow('Conv2d: expected a 3-d (unbatched) or 4-d (batched) input, got shape [8,8]');
    expect(() => conv.forward(randn([1, 3, 2, 2]))).toThrow(/Conv2d: input of shape \[1,3,2,2\].*smaller than the dilated kernel \[3,3\]/);
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow('Conv2d: inChannels 3 must be divisible by groups 2');
    expect(() => new nn.Conv2d(2, 4, 3, { padding: 'same', stride: 2 })).toThrow(ShapeError);
  });

  it('serves forward, input grad and weight grad through the current backend', () => {
    const calls: string[] = [];
    const spy: Backend = {
      ...cpuBackend,
      name: 'spy',
      conv2d: (...a) => { calls.push('conv2d'); cpuBackend.conv2d(...a); },
      conv2dInputGrad: (...a) => { calls.push('inputGrad'); cpuBackend.conv2dInputGrad(...a); },
      conv2dWeightGrad: (...a) => { calls.push('weightGrad'); cpuBackend.conv2dWeightGrad(...a); },
    };
    const conv = new nn.Conv2d(2, 3, 3);
    const x = randn([1, 2, 5, 5]).requiresGrad_();
    useBackend(spy);
    try {
      conv.forward(x).sum().backward();
      nn.functional.convTranspose2d(randn([1, 3, 2, 2]), conv.weight.detach());
    } finally {
      useBackend('cpu');
    }
    expect(calls.sort()).toEqual(['conv2d', 'inputGrad', 'inputGrad', 'weightGrad']);
  });
});

describe('Conv1d', () => {
  it('has PyTorch keys and shapes and matches the definition', () => {
    const conv = toFloat64(new nn.Conv1d(4, 6, 3, { stride: 2, padding: 2, dilation: 2, groups: 2 }));
    expect(stateDictShapes(conv)).toEqual([['weight', [6, 2, 3]], ['bias', [6]]]);
    const x = randn([2, 4, 9], { dtype: 'float64' });
    const y = conv.forward(x);
    // L_out = ⌊(9 + 4 − 2·2 − 1)/2⌋ + 1 = 5
    expect(y.shape).toEqual([2, 6, 5]);
    const ref = naiveConv2d(x.unsqueeze(2), conv.weight.unsqueeze(2), conv.bias, { stride: [1, 2], dilation: [1, 2], padTop: 0, padLeft: 2, groups: 2, outH: 1, outW: 5 });
    expect(maxAbsDiff(y, ref.squeeze(2))).toBeLessThan(1e-12);
    expect(conv.toString()).toBe('Conv1d(4, 6, kernelSize=[3], stride=[2], padding=[2], dilation=[2], groups=2)');
  });

  it("supports 'same', unbatched input and gradcheck", () => {
    const conv = toFloat64(new nn.Conv1d(2, 3, 4, { padding: 'same' }));
    const x = randn([2, 7], { dtype: 'float64' }).requiresGrad_();
    expect(conv.forward(x).shape).toEqual([3, 7]);
    gradcheckModule(conv, [x], (xi) => conv.forward(xi));
    expect(() => conv.forward(randn([1, 3, 7], { dtype: 'float64' }))).toThrow('Conv1d: expected input with 2 channels, got shape [1,3,7]');
  });
});
