/**
 * A variational autoencoder on MNIST (the fixed 8,000/2,000 split). The encoder gives, for each
 * image x, a Gaussian q(z|x) = N(μ(x), diag σ²(x)) over a 2-d latent z; the decoder gives pixel
 * probabilities p(x|z) = Bernoulli(sigmoid(logits(z))). Training maximises the evidence lower bound
 *   ELBO(x) = E_q[log p(x|z)] − KL(q(z|x) ‖ N(0, I))  ≤  log p(x),
 * with two tricks:
 *   - reparameterisation: z = μ + σ·ε, ε ~ N(0, I), so the sample is a differentiable function of
 *     μ and σ and backward reaches the encoder;
 *   - the KL term in closed form: KL = ½ Σⱼ (μⱼ² + σⱼ² − log σⱼ² − 1).
 * We report the held-out ELBO (nats per image, one z sample each) overall and per digit class, and
 * save a grid of samples from the prior and a walk over the 2-d latent plane.
 *
 * Run: npx tsx examples/vae-mnist.ts      (writes out/vae-prior-samples.png, out/vae-latent-plane.png)
 */
import { data, linspace, manualSeed, nn, noGrad, optim, randn, randnLike, stack, type Tensor } from 'tsgrad';
import { imageGrid } from './lib/image-grid.js';
import { isMain } from './lib/is-main.js';
import { loadMnist } from './lib/mnist-data.js';
import { grayImage, savePng } from './lib/save-png.js';

/** 784 → hidden → (μ, log σ²) ∈ ℝ^latent;  latent → hidden → 784 logits. */
export class Vae extends nn.Module {
  encoder: nn.Sequential;
  mean: nn.Linear;
  logVar: nn.Linear;
  decoder: nn.Sequential;

  constructor(readonly latent = 2, hidden = 256) {
    super();
    this.encoder = new nn.Sequential(new nn.Linear(784, hidden), new nn.ReLU());
    this.mean = new nn.Linear(hidden, latent);
    this.logVar = new nn.Linear(hidden, latent);
    this.decoder = new nn.Sequential(new nn.Linear(latent, hidden), new nn.ReLU(), new nn.Linear(hidden, 784));
  }

  /** Pixel logits [N, 784] for latents z [N, latent]. */
  decode(z: Tensor): Tensor {
    return this.decoder.forward(z);
  }

  /** −ELBO(x) per image [N] for x [N, 784], with one reparameterised sample of z each. */
  override forward(x: Tensor): Tensor {
    const h = this.encoder.forward(x);
    const [mean, logVar] = [this.mean.forward(h), this.logVar.forward(h)];
    const z = mean.add(logVar.mul(0.5).exp().mul(randnLike(mean))); // μ + σ·ε
    // −log p(x|z) for Bernoulli pixels is the binary cross-entropy, summed over the 784 pixels
    const reconstruction = nn.functional.binaryCrossEntropyWithLogits(this.decode(z), x, { reduction: 'none' }).sum(1);
    const kl = mean.pow(2).add(logVar.exp()).sub(logVar).sub(1).sum(1).mul(0.5);
    return reconstruction.add(kl);
  }
}

/** Sizes and rates of one run. */
export interface VaeConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  hidden: number;
  seed: number;
}

/** The full run of the example. */
export const vaeConfig: VaeConfig = { epochs: 10, batchSize: 100, lr: 1e-3, hidden: 256, seed: 0 };

/** Trains a 2-d-latent VAE on `images` [N, 784]; `onEpoch` gets each epoch's mean −ELBO. */
export function trainVae(images: Tensor, config: VaeConfig, onEpoch?: (epoch: number, negativeElbo: number) => void): Vae {
  manualSeed(config.seed);
  const vae = new Vae(2, config.hidden);
  const optimizer = new optim.Adam(vae.parameters(), { lr: config.lr });
  const loader = new data.DataLoader(new data.TensorDataset(images), { batchSize: config.batchSize, shuffle: true });
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    let total = 0;
    for (const [x] of loader) {
      const loss = vae.forward(x).mean();
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      total += loss.item() * x.shape[0];
    }
    onEpoch?.(epoch, total / images.shape[0]);
  }
  return vae;
}

/** ELBO per image [N] of x [N, 784] (nats; higher is better), without recording a graph. */
export function elbo(vae: Vae, x: Tensor): Tensor {
  return noGrad(() => vae.forward(x).neg());
}

/** Mean of `values` [N] for each class 0…9 of `labels` [N]. */
export function meanByClass(values: Tensor, labels: Tensor): number[] {
  const [v, y] = [values.toTypedArray(), labels.toTypedArray()];
  const sums = new Array<number>(10).fill(0);
  const counts = new Array<number>(10).fill(0);
  v.forEach((value, i) => {
    sums[y[i]] += value;
    counts[y[i]]++;
  });
  return sums.map((s, k) => s / counts[k]);
}

if (isMain(import.meta.url)) {
  const { train, test } = loadMnist();
  const vae = trainVae(train.images.reshape(-1, 784), vaeConfig, (epoch, loss) => console.log(`epoch ${epoch}: training −ELBO ${loss.toFixed(2)} nats`));
  manualSeed(1);
  const heldOut = elbo(vae, test.images.reshape(-1, 784));
  console.log(`held-out ELBO: ${heldOut.mean().item().toFixed(2)} nats per image`);
  console.log(`per digit: ${meanByClass(heldOut, test.labels).map((e, k) => `${k}: ${e.toFixed(1)}`).join(', ')}`);

  const digits = (z: Tensor) => noGrad(() => vae.decode(z).sigmoid());
  savePng('out/vae-prior-samples.png', grayImage(imageGrid(digits(randn([64, 2])), { side: 28 }), 2));
  // the latent plane: a 15 × 15 grid of z over [−2, 2]², z₁ left to right, z₂ bottom to top
  const steps = 15;
  const z1 = linspace(-2, 2, steps).repeat(steps); // varies along a row
  const z2 = linspace(2, -2, steps).unsqueeze(1).expand(steps, steps).reshape(-1); // constant along a row
  const z = stack([z1, z2], 1);
  savePng('out/vae-latent-plane.png', grayImage(imageGrid(digits(z), { cols: steps, side: 28 }), 2));
  console.log('wrote out/vae-prior-samples.png and out/vae-latent-plane.png');
}
