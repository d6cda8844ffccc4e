/**
 * A small DCGAN on MNIST (Radford et al., 2016): a convolutional generator and discriminator,
 * trained with the same two-player losses as examples/gan-ring.ts. The generator turns noise
 * z ∈ ℝ³² into a 7×7 feature map and doubles its size twice with stride-2 transposed convolutions
 * (7 → 14 → 28); the discriminator halves it twice with stride-2 convolutions. Batch norm (not on
 * G's output or D's input) and LeakyReLU in D follow the DCGAN recipe: they keep both players'
 * gradients healthy; so does Adam with β₁ = 0.5 (4e-4 rather than the paper's 2e-4: 8,000 digits
 * give few steps per epoch, and this rate still trains stably here).
 *
 * After each epoch we save a grid of digits from a fixed batch of noise, so the PNGs show the same
 * 64 "seeds" improving, and print how far the generated images' per-pixel statistics are from
 * the held-out digits' (`pixelMomentDistance`: a crude but honest figure — a noisy generator
 * misses the mean image, a collapsed one the spread around it).
 *
 * Run: npx tsx examples/dcgan-mnist.ts      (writes out/dcgan-epoch-1.png, …)
 */
import { data, manualSeed, nn, noGrad, optim, randn, type Tensor } from 'tsgrad';
import { ganStep } from './lib/gan-step.js';
import { imageGrid } from './lib/image-grid.js';
import { isMain } from './lib/is-main.js';
import { loadMnist } from './lib/mnist-data.js';
import { grayImage, savePng } from './lib/save-png.js';

/** z [N, noiseDim] → images [N, 1, 28, 28] in (0, 1). */
export class DcganGenerator extends nn.Module {
  project: nn.Linear;
  upsample: nn.Sequential;

  constructor(readonly noiseDim: number, readonly width: number) {
    super();
    this.project = new nn.Linear(noiseDim, 2 * width * 7 * 7);
    this.upsample = new nn.Sequential(
      new nn.BatchNorm2d(2 * width), new nn.ReLU(),
      // stride 2, kernel 4, padding 1: out = (in − 1)·2 − 2·1 + 4 = 2·in
      new nn.ConvTranspose2d(2 * width, width, 4, { stride: 2, padding: 1 }), new nn.BatchNorm2d(width), new nn.ReLU(), // 7 → 14
      new nn.ConvTranspose2d(width, 1, 4, { stride: 2, padding: 1 }), new nn.Sigmoid(), // 14 → 28, pixels in (0, 1) like MNIST's
    );
  }

  override forward(z: Tensor): Tensor {
    return this.upsample.forward(this.project.forward(z).reshape(-1, 2 * this.width, 7, 7));
  }
}

/** images [N, 1, 28, 28] → logits [N, 1] of "real". */
export function dcganDiscriminator(width: number): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, width, 4, { stride: 2, padding: 1 }), new nn.LeakyReLU(0.2), // 28 → 14
    new nn.Conv2d(width, 2 * width, 4, { stride: 2, padding: 1 }), new nn.BatchNorm2d(2 * width), new nn.LeakyReLU(0.2), // 14 → 7
    new nn.Flatten(),
    new nn.Linear(2 * width * 7 * 7, 1),
  );
}

/** Sizes and rates of one run. */
export interface DcganConfig {
  epochs: number;
  batchSize: number;
  noiseDim: number;
  /** Channels of the larger feature maps (the smaller have twice as many). */
  width: number;
  lr: number;
  /** Train on the first samples of the split only (short runs). */
  trainSize?: number;
  seed: number;
}

/** The full run of the example. */
export const dcganConfig: DcganConfig = { epochs: 8, batchSize: 64, noiseDim: 32, width: 16, lr: 4e-4, seed: 0 };

/**
 * Per-pixel moment distance between two image batches [N, 1, 28, 28]:
 *   mean over pixels of (μ_a − μ_b)² + (σ_a − σ_b)²,
 * with μ and σ each pixel's mean and standard deviation over its batch.
 */
export function pixelMomentDistance(a: Tensor, b: Tensor): number {
  return noGrad(() => {
    const meanGap = a.mean(0).sub(b.mean(0)).pow(2).mean().item();
    const spreadGap = a.std(0).sub(b.std(0)).pow(2).mean().item();
    return meanGap + spreadGap;
  });
}

/** What one epoch ends with. */
export interface DcganEpoch {
  /** 0 for the untrained generator. */
  epoch: number;
  /** G's images [64, 1, 28, 28] for the fixed noise batch (batch norm in eval mode). */
  probeImages: Tensor;
  /** Share of the epoch's last real batch D calls real and of its fakes D calls fake, averaged (null at epoch 0). */
  discriminatorAccuracy: number | null;
  seconds: number;
}

/** Trains G and D in turn, one Adam step each per batch; `onEpoch` sees the start and each epoch's end. */
export function trainDcgan(config: DcganConfig, onEpoch?: (e: DcganEpoch) => void): DcganGenerator {
  manualSeed(config.seed);
  const { train } = loadMnist({ trainSize: config.trainSize });
  const generator = new DcganGenerator(config.noiseDim, config.width);
  const discriminator = dcganDiscriminator(config.width);
  const gOpt = new optim.Adam(generator.parameters(), { lr: config.lr, betas: [0.5, 0.999] });
  const dOpt = new optim.Adam(discriminator.parameters(), { lr: config.lr, betas: [0.5, 0.999] });
  const probe = randn([64, config.noiseDim]);
  const loader = new data.DataLoader(new data.TensorDataset(train.images), {
    batchSize: config.batchSize, shuffle: true, dropLast: true, seed: config.seed,
  });
  generator.eval();
  onEpoch?.({ epoch: 0, probeImages: noGrad(() => generator.forward(probe)), discriminatorAccuracy: null, seconds: 0 });
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const started = performance.now();
    generator.train();
    let accuracy = 0;
    for (const [real] of loader) {
      const fake = generator.forward(randn([config.batchSize, config.noiseDim]));
      const { realLogits, fakeLogits } = ganStep(discriminator, dOpt, gOpt, real, fake);
      accuracy = noGrad(() => (realLogits.gt(0).float().mean().item() + fakeLogits.le(0).float().mean().item()) / 2);
    }
    const seconds = (performance.now() - started) / 1000;
    generator.eval(); // batch norm uses its running statistics for the probe
    onEpoch?.({ epoch, probeImages: noGrad(() => generator.forward(probe)), discriminatorAccuracy: accuracy, seconds });
  }
  return generator;
}

if (isMain(import.meta.url)) {
  const { test } = loadMnist();
  const real = test.images.narrow(0, 0, 1000);
  trainDcgan(dcganConfig, (e) => {
    const distance = `pixel-moment distance to held-out digits ${pixelMomentDistance(e.probeImages, real).toFixed(4)}`;
    if (e.discriminatorAccuracy === null) {
      console.log(`untrained generator: ${distance}`);
      return;
    }
    const path = `out/dcgan-epoch-${e.epoch}.png`;
    savePng(path, grayImage(imageGrid(e.probeImages, { cols: 8 }), 2));
    console.log(`epoch ${e.epoch} (${e.seconds.toFixed(0)} s): ${distance}, D accuracy ${(100 * e.discriminatorAccuracy).toFixed(0)}%; wrote ${path}`);
  });
}
