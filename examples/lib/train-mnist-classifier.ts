/**
 * The training loop the sequence-model MNIST examples share (LSTM/GRU over rows, ViT over
 * patches): AdamW on cross-entropy with gradient clipping and a cosine learning-rate decay,
 * seeded batches (optionally shifted at random: augmentation), and held-out accuracy after each epoch.
 */
import { data, manualSeed, nn, noGrad, optim, RandomGenerator, type Module, type Tensor } from 'tsgrad';
import { loadMnist } from './mnist-data.js';
import { randomShift } from './random-shift.js';

/** A model from images [N, 1, 28, 28] to logits [N, 10]. */
export type ImageClassifier = Module & { forward(images: Tensor): Tensor };

/** Sizes and rates of one run. */
export interface MnistTrainingConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  /** Clip the global gradient norm to this. */
  maxGradNorm: number;
  /** Use only the first samples of the fixed 8,000/2,000 split (for the quick test runs). */
  trainSize?: number;
  testSize?: number;
  seed: number;
  /** Move each training image by up to this many pixels at random (augmentation; default 0: none). */
  maxShift?: number;
}

/** What a run reports. */
export interface MnistTrainingResult {
  /** Mean training loss of each epoch. */
  epochLosses: number[];
  /** Mean loss on the first training batch's samples before and after training (for the tests). */
  probeLossBefore: number;
  probeLossAfter: number;
  /** Held-out accuracy after the last epoch. */
  testAccuracy: number;
}

/** Share of `images` the model classifies as `labels`, in evaluation mode, without a graph. */
export function accuracy(model: ImageClassifier, images: Tensor, labels: Tensor, batch = 500): number {
  model.eval();
  let correct = 0;
  noGrad(() => {
    for (let at = 0; at < images.shape[0]; at += batch) {
      const n = Math.min(batch, images.shape[0] - at);
      const predicted = model.forward(images.narrow(0, at, n)).argmax(1).toTypedArray();
      const truth = labels.narrow(0, at, n).toTypedArray();
      for (let i = 0; i < n; i++) if (predicted[i] === truth[i]) correct++;
    }
  });
  model.train();
  return correct / images.shape[0];
}

/** Trains `makeModel()` (built after seeding) on the fixed split; `log` sees each epoch. */
export function trainMnistClassifier<M extends ImageClassifier>(
  makeModel: () => M,
  config: MnistTrainingConfig,
  log?: (epoch: number, loss: number, testAccuracy: number) => void,
): { model: M; result: MnistTrainingResult } {
  manualSeed(config.seed);
  const { train, test } = loadMnist({ trainSize: config.trainSize, testSize: config.testSize });
  const model = makeModel();
  const opt = new optim.AdamW(model.parameters(), { lr: config.lr, weightDecay: config.weightDecay });
  const loader = new data.DataLoader(new data.TensorDataset(train.images, train.labels), { batchSize: config.batchSize, shuffle: true, seed: config.seed });
  const steps = config.epochs * Math.ceil(train.images.shape[0] / config.batchSize);
  const sched = new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: steps, etaMin: config.lr * 0.02 });
  const probe = [train.images.narrow(0, 0, Math.min(256, train.images.shape[0])), train.labels.narrow(0, 0, Math.min(256, train.images.shape[0]))];
  const probeLoss = () => {
    model.eval();
    const l = noGrad(() => nn.functional.crossEntropy(model.forward(probe[0]), probe[1]).item());
    model.train();
    return l;
  };
  const probeLossBefore = probeLoss();
  const shiftRng = new RandomGenerator(config.seed);
  const epochLosses: number[] = [];
  let testAccuracy = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    let sum = 0;
    let batches = 0;
    for (const [batch, labels] of loader) {
      const images = config.maxShift ? randomShift(batch, config.maxShift, shiftRng) : batch;
      const loss = nn.functional.crossEntropy(model.forward(images), labels);
      opt.zeroGrad();
      loss.backward();
      nn.utils.clipGradNorm_(model.parameters(), config.maxGradNorm);
      opt.step();
      sched.step();
      sum += loss.item();
      batches++;
    }
    epochLosses.push(sum / batches);
    testAccuracy = accuracy(model, test.images, test.labels);
    log?.(epoch, sum / batches, testAccuracy);
  }
  return { model, result: { epochLosses, probeLossBefore, probeLossAfter: probeLoss(), testAccuracy } };
}
