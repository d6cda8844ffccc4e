/** A short run of examples/vae-mnist.ts on 1,000 real digits: the held-out ELBO must rise. */
import { describe, expect, it } from 'vitest';
import { manualSeed, tensor } from '../../src/index.js';
import { Vae, elbo, meanByClass, trainVae } from '../../examples/vae-mnist.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';

describe('examples/vae-mnist (short run)', () => {
  it('raises the held-out ELBO far above an untrained VAE, for every digit class', () => {
    const { train, test } = loadMnist({ trainSize: 1000, testSize: 300 });
    const xTest = test.images.reshape(-1, 784);
    manualSeed(0);
    const before = meanByClass(elbo(new Vae(2, 64), xTest), test.labels);
    const vae = trainVae(train.images.reshape(-1, 784), { epochs: 4, batchSize: 50, lr: 2e-3, hidden: 64, seed: 0 });
    manualSeed(1);
    const after = elbo(vae, xTest);
    expect(after.mean().item()).toBeLessThan(0); // a bound on a log-probability of binary-ish pixels
    expect(after.mean().item()).toBeGreaterThan(-260);
    meanByClass(after, test.labels).forEach((e, k) => expect(e).toBeGreaterThan(before[k] + 100));
  });

  it('meanByClass averages each class separately', () => {
    const v = tensor([1, 2, 3, 10, 0, 0, 0, 0, 0, 0, 0, 0]);
    const y = tensor(new Int32Array([0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(meanByClass(v, y).slice(0, 3)).toEqual([2, 10, 0]);
  });
});
