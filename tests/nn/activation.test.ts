import { describe, expect, it } from 'vitest';
import { Module, Tensor, gradcheck, manualSeed, nn, randn, tensor } from '../../src/index.js';
import { maxAbsDiff } from './helpers.js';

const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse for 1e-6; integrate the series instead.
  let sum = 0, term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};

const cases: [string, Module, (v: number) => number][] = [
  ['ReLU', new nn.ReLU(), (v) => Math.max(0, v)],
  ['LeakyReLU', new nn.LeakyReLU(0.2), (v) => (v >= 0 ? v : 0.2 * v)],
  ['GELU', new nn.GELU(), (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
  ['GELU tanh', new nn.GELU({ approximate: 'tanh' }), (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
  ['SiLU', new nn.SiLU(), (v) => v / (1 + Math.exp(-v))],
  ['Sigmoid', new nn.Sigmoid(), (v) => 1 / (1 + Math.exp(-v))],
  ['Tanh', new nn.Tanh(), Math.tanh],
];

const run = (m: Module, x: Tensor): Tensor => (m.forward as (x: Tensor) => Tensor).call(m, x);

describe('activation modules', () => {
  for (const [name, m, f] of cases) {
    it(`${name} matches its formula and passes gradcheck`, () => {
      manualSeed(1);
      const x = randn([3, 4], { dtype: 'float64' }).mul(2);
      const expected = tensor((x.toArray() as number[][]).map((r) => r.map(f)), { dtype: 'float64' });
      expect(maxAbsDiff(run(m, x), expected)).toBeLessThan(1e-9);
      const xg = x.clone().requiresGrad_();
      expect(gradcheck((xi) => run(m, xi), [xg])).toBe(true);
    });
  }

  it('Softmax and LogSoftmax act along their dim', () => {
    const x = tensor([[1, 2, 3], [0, 0, 1000]], { dtype: 'float64' });
    const p = new nn.Softmax(1).forward(x);
    const rows = p.sum(1).toArray() as number[];
    rows.forEach((s) => expect(s).toBeCloseTo(1, 12));
    const lp = new nn.LogSoftmax(-1).forward(x).toArray() as number[][];
    const z = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    expect(lp[0][0]).toBeCloseTo(1 - z, 12);
    expect(lp[1][0]).toBe(-1000);
    (new nn.Softmax(0).forward(x).sum(0).toArray() as number[]).forEach((s) => expect(s).toBeCloseTo(1, 12));
    expect(new nn.Softmax(1).toString()).toBe('Softmax(dim=1)');
  });

  it('Flatten and Identity', () => {
    const x = randn([2, 3, 4, 5]);
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 60]);
    expect(new nn.Flatten(0, 1).forward(x).shape).toEqual([6, 4, 5]);
    expect(new nn.Identity().forward(x)).toBe(x);
  });
});
