/**
 * RandomGenerator, the independent stream DataLoader's seed uses: the same algorithm as the
 * global generator (same seed, same numbers), and independent of it.
 */
import { describe, expect, it } from 'vitest';
import { RandomGenerator, manualSeed, nextFloat, nextInt, nextNormal, nextUint32 } from '../../src/tensor/random.js';

describe('RandomGenerator', () => {
  it('gives the global generator’s sequence for the same seed', () => {
    for (const seed of [0, 1, 42, -7]) {
      manualSeed(seed);
      const global = [nextUint32(), nextFloat(), nextNormal(), nextInt(3, 17)];
      const g = new RandomGenerator(seed);
      expect([g.nextUint32(), g.nextFloat(), g.nextNormal(), g.nextInt(3, 17)]).toEqual(global);
    }
  });

  it('is not moved by draws from the global generator, and reseeds to its start', () => {
    const g = new RandomGenerator(5);
    const first = g.nextUint32();
    manualSeed(5);
    nextUint32();
    const second = g.nextUint32();
    g.seed(5);
    expect([g.nextUint32(), g.nextUint32()]).toEqual([first, second]);
    expect(second).not.toBe(first);
  });

});
