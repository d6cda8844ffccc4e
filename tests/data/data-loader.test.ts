/**
 * DataLoader: batches in order, every sample exactly once per pass, dropLast, seeded and global
 * shuffling (reproducible, a new order every epoch, uniform), and datasets without getBatch.
 */
import { describe, expect, it } from 'vitest';
import { arange, data, manualSeed, rand, tensor, type Tensor } from '../../src/index.js';

const n = 10;
const x = arange(n * 3).reshape(n, 3);
const y = arange(0, n, 1, { dtype: 'int32' });
const ds = new data.TensorDataset(x, y);

/** Each batch's labels (the sample indices). */
const labels = (loader: Iterable<Tensor[]>): number[][] => Array.from(loader, ([, yb]) => Array.from(yb.toTypedArray()));

describe('DataLoader without shuffling', () => {
  it('yields the samples in order, in batches of batchSize, the last one short', () => {
    const loader = new data.DataLoader(ds, { batchSize: 4 });
    expect(loader.length).toBe(3);
    expect(labels(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const [first] = loader;
    expect(first[0].shape).toEqual([4, 3]);
    expect(first[0].toArray()).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]);
  });

  it('drops the short last batch with dropLast', () => {
    const loader = new data.DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(labels(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
  });

  it('defaults to batches of one', () => {
    expect(labels(new data.DataLoader(ds)).length).toBe(n);
  });

  it('stacks samples of a dataset that has no getBatch', () => {
    const plain: data.Dataset = { length: 5, get: (i) => [tensor([i, -i]), tensor(i * 10)] };
    const batches = Array.from(new data.DataLoader(plain, { batchSize: 2 }));
    expect(batches.map(([a]) => a.shape)).toEqual([[2, 2], [2, 2], [1, 2]]);
    expect(batches[1][0].toArray()).toEqual([[2, -2], [3, -3]]);
    expect(batches[1][1].toArray()).toEqual([20, 30]);
  });

  it('rejects a batch size that is not a positive integer', () => {
    expect(() => new data.DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => new data.DataLoader(ds, { batchSize: 2.5 })).toThrow(RangeError);
    expect(() => new data.DataLoader(ds, { seed: 0.5 })).toThrow(/seed must be an integer/);
  });
});

describe('DataLoader with shuffling', () => {
  it('visits every sample exactly once per pass and keeps each sample’s fields together', () => {
    const loader = new data.DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen: number[] = [];
      for (const [xb, yb] of loader) {
        const ys = Array.from(yb.toTypedArray());
        seen.push(...ys);
        expect(xb.toArray()).toEqual(ys.map((i) => [3 * i, 3 * i + 1, 3 * i + 2]));
      }
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('draws a new order each epoch; the same seed gives the same epochs, whatever else draws', () => {
    const a = new data.DataLoader(ds, { batchSize: 10, shuffle: true, seed: 3 });
    const b = new data.DataLoader(ds, { batchSize: 10, shuffle: true, seed: 3 });
    const epochsA = [labels(a), labels(a), labels(a)];
    rand(100); // draws from the global generator do not touch a seeded loader
    const epochsB = [labels(b), labels(b), labels(b)];
    expect(epochsB).toEqual(epochsA);
    expect(epochsA[1]).not.toEqual(epochsA[0]);
    expect(epochsA[2]).not.toEqual(epochsA[1]);
    expect(labels(new data.DataLoader(ds, { batchSize: 10, shuffle: true, seed: 4 }))).not.toEqual(epochsA[0]);
  });

  it('without a seed, draws from the global generator, so manualSeed reproduces it', () => {
    const loader = new data.DataLoader(ds, { batchSize: 5, shuffle: true });
    manualSeed(11);
    const first = [labels(loader), labels(loader)];
    manualSeed(11);
    expect([labels(loader), labels(loader)]).toEqual(first);
  });

  it('makes every order equally likely (all 6 orders of 3 samples, 6000 passes)', () => {
    const three = new data.TensorDataset(arange(0, 3, 1, { dtype: 'int32' }));
    const loader = new data.DataLoader(three, { batchSize: 3, shuffle: true, seed: 1 });
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const [[b]] = Array.from(loader);
      const key = Array.from(b.toTypedArray()).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    // Each count is Binomial(6000, 1/6): mean 1000, sd ≈ 29; 150 is over 5 sd.
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});
