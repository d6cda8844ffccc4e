/**
 * Three autoencoders on MNIST (the fixed 8,000/2,000 split), the same 784 → 256 → 32 → 256 → 784
 * network trained three ways (see lib/mlp-autoencoder.ts):
 *   - plain:     reconstruct x from x; we report the held-out mean squared error;
 *   - denoising: reconstruct x from x + 0.5·ε; we report the PSNR against the clean digits of the
 *                noisy inputs and of the network's outputs (PSNR = 10·log₁₀(1/MSE) dB);
 *   - sparse:    plain + λ·mean|code|; we report the mean share of code units that are near zero
 *                (below 1% of the largest code value) for a held-out digit, next to the plain
 *                autoencoder's share.
 * Each run saves a PNG: a row of held-out inputs above their reconstructions.
 *
 * Run: npx tsx examples/autoencoder-mnist.ts      (writes out/autoencoder-*.png)
 */
import { cat, manualSeed, noGrad, randnLike, type Tensor } from 'tsgrad';
import { imageGrid } from './lib/image-grid.js';
import { isMain } from './lib/is-main.js';
import { MlpAutoencoder, reconstructionError, trainAutoencoder } from './lib/mlp-autoencoder.js';
import { loadMnist } from './lib/mnist-data.js';
import { psnr } from './lib/psnr.js';
import { grayImage, savePng } from './lib/save-png.js';

/** Sizes and rates of the full run. */
export const autoencoderConfig = { epochs: 5, codeSize: 32, hidden: 256, noiseStd: 0.5, l1: 0.01, nearZero: 0.01 };

/**
 * Mean share of the entries of `codes` [N, k] below `relative` × the largest |code| — relative,
 * because an L1 penalty alone could make every unit "small" by shrinking the code and growing the
 * decoder's weights; sparsity means most units are off while a few carry the digit.
 */
export function nearZeroFraction(codes: Tensor, relative: number): number {
  const threshold = codes.abs().max().item() * relative;
  return codes.abs().lt(threshold).float().mean().item();
}

/** Writes `rows` (each [k, 784]) one above the other as a PNG grid. */
function saveRows(path: string, rows: Tensor[]): void {
  const k = rows[0].shape[0];
  savePng(path, grayImage(imageGrid(cat(rows, 0), { cols: k, side: 28 }), 2));
  console.log(`  wrote ${path}`);
}

if (isMain(import.meta.url)) {
  const c = autoencoderConfig;
  const { train, test } = loadMnist();
  const [x, xTest] = [train.images.reshape(-1, 784), test.images.reshape(-1, 784)];
  const shown = xTest.narrow(0, 0, 16);
  const log = (epoch: number, loss: number) => console.log(`  epoch ${epoch}: training loss ${loss.toFixed(5)}`);

  console.log('plain autoencoder');
  const plain = trainAutoencoder(new MlpAutoencoder(c.codeSize, c.hidden), x, { epochs: c.epochs }, log);
  console.log(`  held-out reconstruction MSE: ${reconstructionError(plain, xTest).mean().item().toFixed(5)}`);
  saveRows('out/autoencoder-plain.png', [shown, noGrad(() => plain.forward(shown))]);

  console.log(`denoising autoencoder (σ = ${c.noiseStd})`);
  const denoiser = trainAutoencoder(new MlpAutoencoder(c.codeSize, c.hidden), x, { epochs: c.epochs, noiseStd: c.noiseStd }, log);
  manualSeed(1);
  const noisy = xTest.add(randnLike(xTest).mul(c.noiseStd));
  const denoised = noGrad(() => denoiser.forward(noisy));
  console.log(`  held-out PSNR against the clean digits: noisy ${psnr(noisy, xTest).toFixed(2)} dB, denoised ${psnr(denoised, xTest).toFixed(2)} dB`);
  saveRows('out/autoencoder-denoising.png', [shown, noisy.narrow(0, 0, 16).clamp(0, 1), denoised.narrow(0, 0, 16)]);

  console.log(`sparse autoencoder (λ = ${c.l1})`);
  const sparse = trainAutoencoder(new MlpAutoencoder(c.codeSize, c.hidden), x, { epochs: c.epochs, l1: c.l1 }, log);
  const codeOf = (m: MlpAutoencoder) => noGrad(() => m.encoder.forward(xTest));
  console.log(`  held-out reconstruction MSE: ${reconstructionError(sparse, xTest).mean().item().toFixed(5)}`);
  console.log(`  code units near zero (< ${100 * c.nearZero}% of the largest): sparse ${(100 * nearZeroFraction(codeOf(sparse), c.nearZero)).toFixed(1)}%, `
    + `plain ${(100 * nearZeroFraction(codeOf(plain), c.nearZero)).toFixed(1)}%`);
  saveRows('out/autoencoder-sparse.png', [shown, noGrad(() => sparse.forward(shown))]);
}
