/**
 * The training loop the MNIST examples share: shuffled mini-batches (seeded), cross-entropy
 * loss, Adam with the one-cycle learning-rate policy (a warm-up to `lr`, then cosine annealing:
 * fast and stable for a few epochs), a progress bar, and held-out accuracy after every epoch.
 */
import { data, manualSeed, nn, noGrad, optim, RandomGenerator, type Module, type Tensor } from 'tsgrad';
import type { MnistSplit } from './mnist-data.js';
import { randomShift } from './random-shift.js';
import { ProgressBar } from './progress-bar.js';

/** How to train. */
export interface TrainConfig {
  epochs: number;
  batchSize: number;
  /** Peak learning rate of the one-cycle schedule. */
  lr: number;
  /** Seeds the model's initialisation (the caller builds the model after `manualSeed(seed)`) and the shuffling. */
  seed: number;
  /** Stop after this many steps in all (short test runs); default: every batch of every epoch. */
  maxSteps?: number;
  /** Move each training image by up to this many pixels at random (augmentation; default 0: none). */
  maxShift?: number;
}

/** What an epoch ends with. */
export interface EpochReport {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Held-out accuracy in [0, 1] (when a held-out split was given). */
  accuracy: number | null;
  /** Wall-clock seconds of the epoch's training (evaluation excluded). */
  seconds: number;
  /** Training samples per second in the epoch. */
  samplesPerSecond: number;
}

/** A model from images [N, 1, 28, 28] to logits [N, 10]. */
export type Classifier = Module & { forward(x: Tensor): Tensor };

/** Trains `model` on `train`, reporting each epoch; returns every step's loss. */
export function trainClassifier(
  model: Classifier,
  train: MnistSplit,
  config: TrainConfig,
  opts: { heldOut?: MnistSplit; progress?: ProgressBar | null; onEpoch?: (r: EpochReport) => void } = {},
): number[] {
  const loader = new data.DataLoader(new data.TensorDataset(train.images, train.labels), {
    batchSize: config.batchSize, shuffle: true, seed: config.seed,
  });
  const totalSteps = Math.min(config.maxSteps ?? Infinity, config.epochs * loader.length);
  const optimizer = new optim.Adam(model.parameters(), { lr: config.lr });
  const schedule = new optim.lrScheduler.OneCycleLR(optimizer, { maxLr: config.lr, totalSteps });
  const criterion = new nn.CrossEntropyLoss();
  const shiftRng = new RandomGenerator(config.seed);
  const losses: number[] = [];
  for (let epoch = 1; epoch <= config.epochs && losses.length < totalSteps; epoch++) {
    model.train();
    opts.progress?.startEpoch(epoch, Math.min(loader.length, totalSteps - losses.length));
    const started = performance.now();
    let running = 0;
    let sum = 0;
    let batches = 0;
    let samples = 0;
    for (const [batch, y] of loader) {
      if (losses.length >= totalSteps) break;
      const x = config.maxShift ? randomShift(batch, config.maxShift, shiftRng) : batch;
      optimizer.zeroGrad();
      const loss = criterion.forward(model.forward(x), y);
      loss.backward();
      optimizer.step();
      schedule.step();
      const value = loss.item();
      losses.push(value);
      sum += value;
      batches++;
      samples += x.shape[0];
      // Running loss: an exponential moving average, debiased for the first batches.
      running = 0.9 * running + 0.1 * value;
      opts.progress?.update({ batch: batches, loss: running / (1 - 0.9 ** batches), samples });
    }
    const seconds = (performance.now() - started) / 1000;
    opts.progress?.endEpoch();
    const accuracy = opts.heldOut ? evaluateAccuracy(model, opts.heldOut) : null;
    opts.onEpoch?.({ epoch, loss: sum / batches, accuracy, seconds, samplesPerSecond: samples / seconds });
  }
  return losses;
}

/** Fraction of `split` the model classifies correctly (eval mode, no graph, in batches). */
export function evaluateAccuracy(model: Classifier, split: MnistSplit, batchSize = 500): number {
  model.eval();
  const n = split.labels.shape[0];
  let correct = 0;
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const logits = model.forward(split.images.narrow(0, start, size));
      correct += logits.argmax(1).eq(split.labels.narrow(0, start, size)).sum().item();
    }
  });
  return correct / n;
}

/** Seeds the library's generator, then builds the model (so its initialisation is reproducible). */
export function seededModel<M>(seed: number, build: () => M): M {
  manualSeed(seed);
  return build();
}
