import { beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, enableGrad, grad, gradcheck, manualSeed, nn, randn, tensor } from '../../src/index.js';
import { maxAbsDiff, stateDictShapes } from './helpers.js';

beforeEach(() => manualSeed(19));

/** Naive pooling of one [H, W] plane with window reduction `reduce` over real elements. */
function naivePool(plane: number[][], k: [number, number], s: [number, number], p: [number, number], reduce: (vals: number[], windowSize: number) => number): number[][] {
  const H = plane.length, W = plane[0].length;
  const oH = Math.floor((H + 2 * p[0] - k[0]) / s[0]) + 1, oW = Math.floor((W + 2 * p[1] - k[1]) / s[1]) + 1;
  const out: number[][] = [];
  for (let i = 0; i < oH; i++) {
    const row: number[] = [];
    for (let j = 0; j < oW; j++) {
      const vals: number[] = [];
      for (let a = 0; a < k[0]; a++) for (let b = 0; b < k[1]; b++) {
        const y = i * s[0] - p[0] + a, x = j * s[1] - p[1] + b;
        if (y >= 0 && y < H && x >= 0 && x < W) vals.push(plane[y][x]);
      }
      row.push(reduce(vals, k[0] * k[1]));
    }
    out.push(row);
  }
  return out;
}

describe('MaxPool2d and AvgPool2d', () => {
  it('match the naive definition with stride and padding', () => {
    const x = randn([2, 3, 7, 6], { dtype: 'float64' });
    const planes = (x.toArray() as number[][][][]);
    const mp = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
    const ap = new nn.AvgPool2d([2, 3], { stride: [2, 1], padding: [1, 1] });
    const apx = new nn.AvgPool2d([2, 3], { stride: [2, 1], padding: [1, 1], countIncludePad: false });
    const refMax = tensor(planes.map((n) => n.map((c) => naivePool(c, [3, 3], [2, 2], [1, 1], (v) => Math.max(...v)))), { dtype: 'float64' });
    const refAvg = tensor(planes.map((n) => n.map((c) => naivePool(c, [2, 3], [2, 1], [1, 1], (v, size) => v.reduce((a, b) => a + b, 0) / size))), { dtype: 'float64' });
    const refAvgX = tensor(planes.map((n) => n.map((c) => naivePool(c, [2, 3], [2, 1], [1, 1], (v) => v.reduce((a, b) => a + b, 0) / v.length))), { dtype: 'float64' });
    expect(maxAbsDiff(mp.forward(x), refMax)).toBe(0);
    expect(maxAbsDiff(ap.forward(x), refAvg)).toBeLessThan(1e-14);
    expect(maxAbsDiff(apx.forward(x), refAvgX)).toBeLessThan(1e-14);
    expect(mp.forward(x.float()).shape).toEqual([2, 3, 4, 3]);
    expect(stateDictShapes(mp)).toEqual([]);
    expect(mp.toString()).toBe('MaxPool2d(kernelSize=[3, 3], stride=[2, 2], padding=[1, 1])');
  });

  it('pass gradcheck, and their backwards are differentiable', () => {
    const x = randn([1, 2, 5, 4], { dtype: 'float64' }).requiresGrad_();
    const mp = new nn.MaxPool2d(2, { stride: 1 });
    const ap = new nn.AvgPool2d(3, { stride: 2, padding: 1 });
    expect(gradcheck((xi) => mp.forward(xi), [x])).toBe(true);
    expect(gradcheck((xi) => ap.forward(xi), [x])).toBe(true);
    // Gradients of a gradient: ∂/∂x of ‖∂⟨pool(x²), v⟩/∂x‖².
    const v = randn([1, 2, 3, 2], { dtype: 'float64' });
    const gg = (xi: typeof x) => enableGrad(() => {
      const [g] = grad(ap.forward(xi.mul(xi)).mul(v).sum(), [xi], { createGraph: true });
      return g!.mul(g!).sum();
    });
    expect(gradcheck(gg, [x])).toBe(true);
    const vm = randn([1, 2, 4, 3], { dtype: 'float64' });
    const ggm = (xi: typeof x) => enableGrad(() => {
      const [g] = grad(mp.forward(xi).mul(vm).sum(), [xi], { createGraph: true });
      return g!.mul(xi).sum();
    });
    expect(gradcheck(ggm, [x])).toBe(true);
  });

  it('accept unbatched input and name the module on bad input', () => {
    expect(new nn.MaxPool2d(2).forward(randn([3, 4, 4])).shape).toEqual([3, 2, 2]);
    expect(() => new nn.MaxPool2d(2).forward(randn([4, 4]))).toThrow('MaxPool2d: expected a 3-d (unbatched) or 4-d (batched) input, got shape [4,4]');
    expect(() => new nn.MaxPool2d(2, { padding: 2 }).forward(randn([1, 1, 4, 4]))).toThrow(ShapeError);
    expect(() => new nn.AvgPool2d(5).forward(randn([1, 1, 4, 4]))).toThrow(/AvgPool2d: input size 4/);
  });
});

describe('AdaptiveAvgPool2d', () => {
  it("uses PyTorch's bins (overlapping when sizes do not divide)", () => {
    const x = randn([2, 3, 5, 7], { dtype: 'float64' });
    const planes = x.toArray() as number[][][][];
    const y = new nn.AdaptiveAvgPool2d([3, 2]).forward(x);
    expect(y.shape).toEqual([2, 3, 3, 2]);
    const ref = planes.map((n) => n.map((c) => [0, 1, 2].map((i) => [0, 1].map((j) => {
      const [h0, h1] = [Math.floor((i * 5) / 3), Math.ceil(((i + 1) * 5) / 3)];
      const [w0, w1] = [Math.floor((j * 7) / 2), Math.ceil(((j + 1) * 7) / 2)];
      let s = 0;
      for (let a = h0; a < h1; a++) for (let b = w0; b < w1; b++) s += c[a][b];
      return s / ((h1 - h0) * (w1 - w0));
    }))));
    expect(maxAbsDiff(y, tensor(ref, { dtype: 'float64' }))).toBeLessThan(1e-14);
    const global = new nn.AdaptiveAvgPool2d(1).forward(x);
    expect(maxAbsDiff(global, x.mean([2, 3], true))).toBeLessThan(1e-14);
    expect(new nn.AdaptiveAvgPool2d([null, 2]).forward(x).shape).toEqual([2, 3, 5, 2]);
    expect(new nn.AdaptiveAvgPool2d([null, 2]).toString()).toBe('AdaptiveAvgPool2d(outputSize=[null, 2])');
    const xg = randn([1, 2, 5, 3], { dtype: 'float64' }).requiresGrad_();
    expect(gradcheck((xi) => new nn.AdaptiveAvgPool2d([2, 2]).forward(xi), [xg])).toBe(true);
  });
});
