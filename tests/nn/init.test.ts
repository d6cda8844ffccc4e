import { beforeEach, describe, expect, it } from 'vitest';
import { ShapeError, manualSeed, nn, zeros } from '../../src/index.js';
import { moments } from './helpers.js';

const { init } = nn;

beforeEach(() => manualSeed(21));

describe('nn.init', () => {
  it('computes PyTorch gains and fans', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(init.calculateFanInAndFanOut(zeros([6, 4]))).toEqual({ fanIn: 4, fanOut: 6 });
    expect(init.calculateFanInAndFanOut(zeros([8, 3, 5, 5]))).toEqual({ fanIn: 75, fanOut: 200 });
    expect(() => init.calculateFanInAndFanOut(zeros([3]))).toThrow(ShapeError);
  });

  it('fills constants and uniform/normal distributions', () => {
    expect(init.zeros_(zeros([3]).add(1)).toArray()).toEqual([0, 0, 0]);
    expect(init.ones_(zeros([2])).toArray()).toEqual([1, 1]);
    expect(init.constant_(zeros([2]), 2.5).toArray()).toEqual([2.5, 2.5]);
    const u = moments(init.uniform_(zeros([20000]), -2, 3));
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(3);
    expect(u.mean).toBeCloseTo(0.5, 1);
    const n = moments(init.normal_(zeros([20000]), 1, 2));
    expect(Math.abs(n.mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(n.std - 2)).toBeLessThan(0.05);
  });

  it('draws Xavier and Kaiming with the documented bounds and stds', () => {
    const w = zeros([200, 100]);
    const xu = moments(init.xavierUniform_(w, 2));
    const xb = 2 * Math.sqrt(6 / 300);
    expect(xu.max).toBeLessThanOrEqual(xb);
    expect(xu.min).toBeGreaterThanOrEqual(-xb);
    expect(xu.std / (xb / Math.sqrt(3))).toBeCloseTo(1, 1);
    const xn = moments(init.xavierNormal_(w));
    expect(xn.std / Math.sqrt(2 / 300)).toBeCloseTo(1, 1);
    const ku = moments(init.kaimingUniform_(w, { a: Math.sqrt(5) }));
    expect(ku.max).toBeLessThanOrEqual(1 / 10);
    expect(ku.max).toBeGreaterThan(0.099);
    const kn = moments(init.kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' }));
    expect(kn.std / Math.sqrt(2 / 200)).toBeCloseTo(1, 1);
    const kf = moments(init.kaimingNormal_(zeros([64, 16, 3, 3])));
    expect(kf.std / (Math.SQRT2 / Math.sqrt(144))).toBeCloseTo(1, 1);
  });

  it('makes orthogonal matrices, tall and wide', () => {
    for (const shape of [[6, 4], [3, 8], [4, 2, 2]]) {
      const w = init.orthogonal_(zeros(shape, { dtype: 'float64' }), 1.5);
      const m = w.reshape([shape[0], -1]);
      const gram = shape[0] >= m.shape[1] ? m.T.matmul(m) : m.matmul(m.T);
      const n = gram.shape[0];
      const g = gram.toArray() as number[][];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(g[i][j]).toBeCloseTo(i === j ? 2.25 : 0, 10);
    }
  });

  it('is reproducible from the library seed and works on parameters', () => {
    const fc = new nn.Linear(3, 3);
    manualSeed(4);
    init.normal_(fc.weight);
    const first = fc.weight.toArray();
    manualSeed(4);
    init.normal_(fc.weight);
    expect(fc.weight.toArray()).toEqual(first);
    expect(fc.weight.requiresGrad).toBe(true);
  });
});
