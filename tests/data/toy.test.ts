import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { data, manualSeed, ShapeError } from 'tsgrad';

const uniformRules = {
  simple: (x0: number) => x0 < 0.5,
  diag: (x0: number, x1: number) => x0 + x1 < 0.5,
  split: (x0: number) => x0 < 0.2 || x0 > 0.8,
  xor: (x0: number, x1: number) => (x0 < 0.5 && x1 > 0.5) || (x0 > 0.5 && x1 < 0.5),
  circle: (x0: number, x1: number) => (x0 - 0.5) ** 2 + (x1 - 0.5) ** 2 > 0.1,
} as const;
const names = ['simple', 'diag', 'split', 'xor', 'circle', 'spiral', 'moons'] as const;

const rounded = (xs: ArrayLike<number>) => Array.from(xs, (v) => Math.round(v * 1e4) / 1e4);

describe('data.toy', () => {
  it.each(names)('%s: x [n, 2] float32 in the unit square, y [n] int32 of 0 and 1, both classes present', (name) => {
    const { x, y } = data.toy[name](200, { seed: 1 });
    expect(x.shape).toEqual([200, 2]);
    expect(x.dtype).toBe('float32');
    expect(y.shape).toEqual([200]);
    expect(y.dtype).toBe('int32');
    expect([...x.data()].every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(new Set(y.data())).toEqual(new Set([0, 1]));
  });

  it.each(Object.keys(uniformRules) as (keyof typeof uniformRules)[])('%s labels every point by its rule', (name) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer(), (n, seed) => {
        const { x, y } = data.toy[name](n, { seed });
        const p = x.data();
        const labels = y.data();
        for (let i = 0; i < n; i++) expect(labels[i]).toBe(uniformRules[name](p[2 * i], p[2 * i + 1]) ? 1 : 0);
      }),
      { seed: 3, numRuns: 20 },
    );
  });

  it('pins the first points of seed 0 (the same on every platform)', () => {
    const first = data.toy.simple(4, { seed: 0 });
    expect(rounded(first.x.data())).toEqual([0.301, 0.2991, 0.4688, 0.8623, 0.8639, 0.1748, 0.7485, 0.3209]);
    expect([...first.y.data()]).toEqual([1, 1, 0, 0]);
    expect([...data.toy.xor(4, { seed: 0 }).y.data()]).toEqual([0, 1, 1, 1]);
    expect(rounded(data.toy.spiral(4, { seed: 0, noise: 0.01 }).x.data())).toEqual([0.5474, 0.5073, 0.0591, 0.4928, 0.4503, 0.5007, 0.9543, 0.5128]);
    expect(rounded(data.toy.moons(4, { seed: 0, noise: 0.01 }).x.data())).toEqual([0.6641, 0.3406, 0.0091, 0.3262, 0.3337, 0.6674, 1.0043, 0.6795]);
  });

  it('draws from the global generator without a seed', () => {
    manualSeed(5);
    const a = [...data.toy.circle(10).x.data()];
    manualSeed(5);
    expect([...data.toy.circle(10).x.data()]).toEqual(a);
    // A seed gives its own generator, seeded as manualSeed seeds the global one.
    expect([...data.toy.circle(10, { seed: 5 }).x.data()]).toEqual(a);
    expect([...data.toy.circle(10, { seed: 6 }).x.data()]).not.toEqual(a);
  });

  it('spiral and moons: ⌈n/2⌉ points of class 0 then the rest; without noise on their curves', () => {
    const s = data.toy.spiral(7, { seed: 0 });
    expect([...s.y.data()]).toEqual([0, 0, 0, 0, 1, 1, 1]);
    // Class 1's arm is class 0's turned by half a turn about the centre.
    const p = data.toy.spiral(8).x.data();
    for (let i = 0; i < 4; i++) {
      expect(p[2 * i] - 0.5).toBeCloseTo(-(p[2 * (i + 4)] - 0.5), 6);
      expect(p[2 * i + 1] - 0.5).toBeCloseTo(-(p[2 * (i + 4) + 1] - 0.5), 6);
    }
    const m = data.toy.moons(6).x.data();
    // The outer moon: u = 3x₀ − 1, v = 1.5x₁ − 0.5 on the unit circle.
    for (let i = 0; i < 3; i++) expect((3 * m[2 * i] - 1) ** 2 + (1.5 * m[2 * i + 1] - 0.5) ** 2).toBeCloseTo(1, 5);
  });

  it('refuses a bad n, a negative noise and unknown options', () => {
    expect(() => data.toy.simple(-1)).toThrow(ShapeError);
    expect(() => data.toy.moons(2.5)).toThrow('data.toy.moons: n must be a non-negative integer, got 2.5');
    expect(() => data.toy.spiral(4, { noise: -1 })).toThrow('data.toy.spiral: noise must be a number ≥ 0, got -1');
    expect(() => data.toy.xor(4, { sed: 1 } as never)).toThrow("data.toy.xor: unknown option 'sed'");
  });
});
