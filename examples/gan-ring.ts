/**
 * A GAN on a ring of 8 Gaussians. The generator G maps noise z ~ N(0, I) to points in the plane;
 * the discriminator D maps a point to a logit "real vs generated". They play
 *   D: maximise log D(x) + log(1 − D(G(z)))       (binary cross-entropy, real → 1, fake → 0)
 *   G: maximise log D(G(z))                        (the "non-saturating" loss: strong gradients
 *                                                   even when D confidently rejects G's samples)
 * one Adam step each, in turn.
 * We then report mode coverage on 2,000 generated points and save real vs generated as a PNG.
 *
 * Run: npx tsx examples/gan-ring.ts            (writes out/gan-ring.png)
 */
import { manualSeed, nn, noGrad, optim, randn, type Tensor } from 'tsgrad';
import { defaultRing, modeCoverage, sampleRing, type Coverage } from './lib/gaussian-ring.js';
import { ganStep } from './lib/gan-step.js';
import { isMain } from './lib/is-main.js';
import { savePng } from './lib/save-png.js';
import { scatterPlot } from './lib/scatter-plot.js';

/** Sizes and rates of one run. */
export interface RingGanConfig {
  steps: number;
  batchSize: number;
  hidden: number;
  noiseDim: number;
  lr: number;
  seed: number;
}

/** The full run of the example. */
export const ringGanConfig: RingGanConfig = { steps: 4000, batchSize: 256, hidden: 128, noiseDim: 8, lr: 1e-3, seed: 0 };

/** A trained generator, and a way to draw from it. */
export interface RingGan {
  generator: nn.Sequential;
  /** n generated points [n, 2], without recording a graph. */
  sample(n: number): Tensor;
}

/** Trains G and D; `onCheckpoint` sees the coverage of 2,000 samples every `every` steps. */
export function trainRingGan(config: RingGanConfig, onCheckpoint?: (step: number, coverage: Coverage) => void, every = 250): RingGan {
  manualSeed(config.seed);
  const { hidden: h, noiseDim, batchSize } = config;
  const generator = new nn.Sequential(new nn.Linear(noiseDim, h), new nn.ReLU(), new nn.Linear(h, h), new nn.ReLU(), new nn.Linear(h, 2));
  const discriminator = new nn.Sequential(
    new nn.Linear(2, h), new nn.LeakyReLU(0.2), new nn.Linear(h, h), new nn.LeakyReLU(0.2), new nn.Linear(h, 1),
  );
  // β₁ = 0.5, as is usual for GANs: less momentum keeps the two players from overshooting each other
  const gOpt = new optim.Adam(generator.parameters(), { lr: config.lr, betas: [0.5, 0.999] });
  const dOpt = new optim.Adam(discriminator.parameters(), { lr: config.lr, betas: [0.5, 0.999] });
  const sample = (n: number) => noGrad(() => generator.forward(randn([n, noiseDim])));

  for (let step = 1; step <= config.steps; step++) {
    const real = sampleRing(batchSize, defaultRing);
    const fake = generator.forward(randn([batchSize, noiseDim]));

    ganStep(discriminator, dOpt, gOpt, real, fake);

    if (onCheckpoint && step % every === 0) onCheckpoint(step, modeCoverage(sample(2000), defaultRing));
  }
  return { generator, sample };
}

if (isMain(import.meta.url)) {
  const steps = Number(process.argv[2] ?? ringGanConfig.steps);
  const gan = trainRingGan({ ...ringGanConfig, steps }, (step, c) => {
    console.log(`step ${step}: ${c.modesCovered}/8 modes, ${(100 * c.goodShare).toFixed(1)}% within 3σ`);
  });
  const generated = gan.sample(2000);
  const c = modeCoverage(generated, defaultRing);
  console.log(`final: ${c.modesCovered}/8 modes with ≥ 5% of 2,000 samples; ${(100 * c.goodShare).toFixed(1)}% of samples within 3σ of a mode`);
  console.log(`good samples per mode: ${c.goodPerMode.join(', ')}`);
  savePng('out/gan-ring.png', scatterPlot([
    { points: sampleRing(2000, defaultRing), colour: [40, 90, 200] },
    { points: generated, colour: [230, 80, 30] },
  ]));
  console.log('wrote out/gan-ring.png (blue: real, orange: generated)');
}
