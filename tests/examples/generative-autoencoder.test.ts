/**
 * Short runs of examples/autoencoder-mnist.ts on 1,000 real digits: each variant must move its
 * own figure the right way.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, noGrad, randnLike } from '../../src/index.js';
import { nearZeroFraction } from '../../examples/autoencoder-mnist.js';
import { MlpAutoencoder, reconstructionError, trainAutoencoder } from '../../examples/lib/mlp-autoencoder.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';
import { psnr } from '../../examples/lib/psnr.js';

const { train, test } = loadMnist({ trainSize: 1000, testSize: 300 });
const [x, xTest] = [train.images.reshape(-1, 784), test.images.reshape(-1, 784)];
const small = () => new MlpAutoencoder(16, 64);
const short = { epochs: 6, lr: 3e-3, batchSize: 32 };
manualSeed(0);
const plain = trainAutoencoder(small(), x, short);

describe('examples/autoencoder-mnist (short runs)', () => {
  it('plain: held-out MSE falls well below that of an untrained network and of the mean image', () => {
    manualSeed(0);
    const untrained = reconstructionError(small(), xTest).mean().item();
    const meanImage = xTest.sub(x.mean(0, true)).pow(2).mean().item();
    const trained = reconstructionError(plain, xTest).mean().item();
    expect(trained).toBeLessThan(0.5 * untrained);
    expect(trained).toBeLessThan(0.8 * meanImage);
  });

  it('denoising (σ = 0.5): the output is much closer to the clean digits than the noisy input', () => {
    const denoiser = trainAutoencoder(small(), x, { ...short, noiseStd: 0.5 });
    manualSeed(1);
    const noisy = xTest.add(randnLike(xTest).mul(0.5));
    const noisyPsnr = psnr(noisy, xTest);
    expect(noisyPsnr).toBeCloseTo(6.02, 0); // 10·log₁₀(1/0.25)
    expect(psnr(noGrad(() => denoiser.forward(noisy)), xTest)).toBeGreaterThan(noisyPsnr + 5);
  });

  it('sparse: the L1 penalty switches off more code units than the plain autoencoder has off', () => {
    const sparse = trainAutoencoder(small(), x, { ...short, l1: 0.01 });
    const offShare = (m: MlpAutoencoder) => nearZeroFraction(noGrad(() => m.encoder.forward(xTest)), 0.01);
    expect(offShare(sparse)).toBeGreaterThan(offShare(plain) + 0.15);
  });
});
