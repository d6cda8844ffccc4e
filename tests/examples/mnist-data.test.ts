/**
 * The MNIST data helper of the examples: the fixed 8,000 / 2,000 split from the `mnist` package,
 * as float32 images [N, 1, 28, 28] in [0, 1] and int32 labels, the same on every call.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../examples/lib/mnist-data.js';

describe('loadMnist', () => {
  const { train, test } = loadMnist();

  it('splits the 10,000 digits into 8,000 training and 2,000 held-out samples', () => {
    expect(train.images.shape).toEqual([8000, 1, 28, 28]);
    expect(train.labels.shape).toEqual([8000]);
    expect(test.images.shape).toEqual([2000, 1, 28, 28]);
    expect(test.labels.shape).toEqual([2000]);
    expect([train.images.dtype, train.labels.dtype]).toEqual(['float32', 'int32']);
  });

  it('holds pixels in [0, 1], every class in both parts, in roughly MNIST’s proportions', () => {
    const pixels = train.images.toTypedArray();
    expect(Math.min(...pixels.subarray(0, 100_000))).toBeGreaterThanOrEqual(0);
    expect(train.images.max().item()).toBeLessThanOrEqual(1);
    expect(train.images.max().item()).toBeGreaterThan(0.9);
    for (const part of [train, test]) {
      const counts = new Array<number>(10).fill(0);
      for (const label of part.labels.toTypedArray()) counts[label]++;
      const n = part.labels.shape[0];
      for (const c of counts) expect(c).toBeGreaterThan(n * 0.07);
    }
  });

  it('is a fixed split: the same samples in the same order on every call; sizes take a prefix', () => {
    const small = loadMnist({ trainSize: 40, testSize: 30 });
    expect(small.train.labels.toArray()).toEqual(train.labels.narrow(0, 0, 40).toArray());
    expect(small.test.images.toArray()).toEqual(test.images.narrow(0, 0, 30).toArray());
  });
});
