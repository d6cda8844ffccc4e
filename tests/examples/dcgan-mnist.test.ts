/** A short run of examples/dcgan-mnist.ts: the generated images must move towards the real digits' pixel statistics. */
import { describe, expect, it } from 'vitest';
import { manualSeed, noGrad, rand, randn } from '../../src/index.js';
import { DcganGenerator, dcganDiscriminator, pixelMomentDistance, trainDcgan, type DcganEpoch } from '../../examples/dcgan-mnist.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';

describe('examples/dcgan-mnist', () => {
  it('maps noise to 28×28 images in (0, 1), and images to one logit each', () => {
    manualSeed(0);
    const images = noGrad(() => new DcganGenerator(8, 4).forward(randn([3, 8])));
    expect(images.shape).toEqual([3, 1, 28, 28]);
    expect(images.min().item()).toBeGreaterThan(0);
    expect(images.max().item()).toBeLessThan(1);
    expect(noGrad(() => dcganDiscriminator(4).forward(images)).shape).toEqual([3, 1]);
  });

  it('pixelMomentDistance is 0 for the same batch and grows with a shift of the mean or a change of spread', () => {
    manualSeed(0);
    const a = rand([50, 1, 28, 28]);
    expect(pixelMomentDistance(a, a)).toBeCloseTo(0, 12);
    // every pixel shifted by 0.1: the mean gap is 0.1² and the spread unchanged
    expect(pixelMomentDistance(a.add(0.1), a)).toBeCloseTo(0.01, 6);
    // halved: σ halves (uniform: σ = 1/√12) and μ moves from 1/2 to 1/4
    expect(pixelMomentDistance(a.mul(0.5), a)).toBeGreaterThan(0.05);
  });

  it('a short run brings the generated images much closer to the real digits than at the start', () => {
    const real = loadMnist({ trainSize: 1, testSize: 500 }).test.images;
    const epochs: DcganEpoch[] = [];
    trainDcgan({ epochs: 8, batchSize: 32, noiseDim: 16, width: 8, lr: 1e-3, trainSize: 640, seed: 0 }, (e) => epochs.push(e));
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const [first, last] = [epochs[0], epochs[epochs.length - 1]];
    expect(pixelMomentDistance(last.probeImages, real)).toBeLessThan(0.3 * pixelMomentDistance(first.probeImages, real));
    // D has learned to tell real from generated better than a coin would
    expect(last.discriminatorAccuracy).toBeGreaterThan(0.5);
  });
});
