import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { manualSeed, RandomGenerator, randperm, ShapeError } from 'tsgrad';

describe('randperm', () => {
  it('is a permutation of 0 … n−1, int32 of shape [n]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer(), (n, seed) => {
        const p = randperm(n, { generator: new RandomGenerator(seed) });
        expect(p.dtype).toBe('int32');
        expect(p.shape).toEqual([n]);
        expect([...p.data()].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
      { seed: 11, numRuns: 50 },
    );
  });

  it('repeats with the same generator seed and with the same global seed', () => {
    const a = randperm(50, { generator: new RandomGenerator(3) }).data();
    const b = randperm(50, { generator: new RandomGenerator(3) }).data();
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...randperm(50, { generator: new RandomGenerator(4) }).data()]);
    manualSeed(5);
    const c = [...randperm(50).data()];
    manualSeed(5);
    expect([...randperm(50).data()]).toEqual(c);
  });

  it('draws from a generator of its own, leaving the global stream alone', () => {
    manualSeed(1);
    const first = [...randperm(10).data()];
    manualSeed(1);
    randperm(10, { generator: new RandomGenerator(9) });
    expect([...randperm(10).data()]).toEqual(first);
  });

  it('refuses a bad n and unknown options', () => {
    expect(() => randperm(-1)).toThrow(ShapeError);
    expect(() => randperm(2.5)).toThrow('randperm: n must be a non-negative integer, got 2.5');
    expect(() => randperm(3, { seed: 1 } as never)).toThrow("randperm: unknown option 'seed'");
  });
});
