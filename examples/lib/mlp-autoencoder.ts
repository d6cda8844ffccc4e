/**
 * A fully connected autoencoder for flattened 28×28 images: the encoder squeezes 784 pixels into
 * a short code, the decoder rebuilds the image from the code alone, so the code must keep what
 * matters. `trainAutoencoder` minimises the mean squared reconstruction error, optionally
 *   - denoising: the encoder sees x + σ·ε (ε ~ N(0, I)) but the target is the clean x, so the
 *     network must learn what digits look like to undo the noise;
 *   - sparse: + λ·mean|code|, an L1 penalty that drives most code units to exactly zero for any
 *     one input (the code is a ReLU output, so zero is reachable), each unit becoming a "part"
 *     used by few digits.
 */
import { data, manualSeed, nn, noGrad, optim, randnLike, type Tensor } from 'tsgrad';

/** 784 → hidden → code → hidden → 784, ReLU between layers, a sigmoid on the pixels. */
export class MlpAutoencoder extends nn.Module {
  encoder: nn.Sequential;
  decoder: nn.Sequential;

  constructor(codeSize = 32, hidden = 256) {
    super();
    this.encoder = new nn.Sequential(new nn.Linear(784, hidden), new nn.ReLU(), new nn.Linear(hidden, codeSize), new nn.ReLU());
    this.decoder = new nn.Sequential(new nn.Linear(codeSize, hidden), new nn.ReLU(), new nn.Linear(hidden, 784), new nn.Sigmoid());
  }

  /** Reconstruction of x [N, 784]. */
  override forward(x: Tensor): Tensor {
    return this.decoder.forward(this.encoder.forward(x));
  }
}

/** How to train an autoencoder. */
export interface AutoencoderTraining {
  epochs: number;
  batchSize?: number;
  lr?: number;
  /** σ of the Gaussian noise added to the inputs (denoising); 0 or absent: none. */
  noiseStd?: number;
  /** λ of the L1 penalty on the code (sparse); 0 or absent: none. */
  l1?: number;
  seed?: number;
}

/** Trains `model` on `images` [N, 784] with Adam; `onEpoch` gets the epoch's mean training loss. */
export function trainAutoencoder(
  model: MlpAutoencoder, images: Tensor, opts: AutoencoderTraining, onEpoch?: (epoch: number, loss: number) => void,
): MlpAutoencoder {
  manualSeed(opts.seed ?? 0);
  const optimizer = new optim.Adam(model.parameters(), { lr: opts.lr ?? 1e-3 });
  const loader = new data.DataLoader(new data.TensorDataset(images), { batchSize: opts.batchSize ?? 64, shuffle: true });
  const mse = new nn.MSELoss();
  model.train();
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    let total = 0;
    for (const [clean] of loader) {
      const input = opts.noiseStd ? clean.add(randnLike(clean).mul(opts.noiseStd)) : clean;
      const code = model.encoder.forward(input);
      let loss = mse.forward(model.decoder.forward(code), clean);
      if (opts.l1) loss = loss.add(code.abs().mean().mul(opts.l1));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      total += loss.item() * clean.shape[0];
    }
    onEpoch?.(epoch, total / images.shape[0]);
  }
  return model.eval();
}

/** Per-image mean squared reconstruction error of x [N, 784] → [N]. */
export function reconstructionError(model: MlpAutoencoder, x: Tensor): Tensor {
  return noGrad(() => model.forward(x).sub(x).pow(2).mean(1));
}
