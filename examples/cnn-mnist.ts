/**
 * A small CNN on real MNIST digits, and the one training loop every MNIST example shares.
 *
 * The model (the demo's, `npm start`): two conv–batch-norm–ReLU–max-pool blocks and a linear layer,
 * trained on the fixed 8,000-digit split with random shifts of up to 2 pixels (augmentation) and
 * measured on the 2,000 held-out digits.
 *
 * The file reads top to bottom: the model; the training loop (zeroGrad, forward, loss, backward,
 * clip, step, schedule); evaluation on held-out digits; then the run that ties them together.
 * examples/mlp-mnist.ts, the row-by-row LSTM, the ViT, the federated clients, pruning, transfer
 * learning and the explanation examples all train with the loop below.
 *
 * Run: npx tsx examples/cnn-mnist.ts
 */
import { data, manualSeed, nn, noGrad, optim, RandomGenerator, type Module, type Tensor } from 'tsgrad';
import { isMain } from './lib/is-main.js';
import { loadMnist, type MnistSplit } from './lib/mnist-data.js';
import { ProgressBar, formatDuration } from './lib/progress-bar.js';
import { randomShift } from './lib/random-shift.js';

// ─── 1. The model ────────────────────────────────────────────────────────────

/** Options of `mnistCnn`. */
export interface MnistCnnOptions {
  /** Batch normalisation after each convolution (the demo's model; default false). */
  batchNorm?: boolean;
}

/**
 * A small CNN from images [N, 1, 28, 28] to logits [N, 10]: two blocks of 5×5 convolution
 * (padding 2, so the size is kept), optional batch normalisation, ReLU and 2×2 max pooling
 * (28 → 14 → 7), then one linear layer from the 32·7·7 features to the 10 classes.
 */
export function mnistCnn({ batchNorm = false }: MnistCnnOptions = {}): nn.Sequential {
  const block = (inChannels: number, outChannels: number): nn.Module[] => [
    new nn.Conv2d(inChannels, outChannels, 5, { padding: 2 }),
    ...(batchNorm ? [new nn.BatchNorm2d(outChannels)] : []),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
  ];
  return new nn.Sequential(...block(1, 16), ...block(16, 32), new nn.Flatten(), new nn.Linear(32 * 7 * 7, 10));
}

/** The model of the example and of the demo: the CNN with batch normalisation. */
export const demoCnn = (): nn.Sequential => mnistCnn({ batchNorm: true });

// ─── 2. The training loop ────────────────────────────────────────────────────
//
// Shuffled mini-batches (seeded), optional random shifts (augmentation), cross-entropy loss, a
// progress bar, and held-out accuracy after every epoch. Three update rules: Adam with the
// one-cycle learning-rate policy (a warm-up to `lr`, then cosine annealing: fast and stable for a
// few epochs; the CNN and the MLP), AdamW with cosine decay to lr/50 and gradient-norm clipping
// (the sequence models: LSTM/GRU over rows, the ViT), or plain SGD at a constant rate (federated
// averaging, whose clients start afresh every round).

/** A model from images [N, 1, 28, 28] to logits [N, 10]. */
export type Classifier = Module & { forward(x: Tensor): Tensor };

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
  /** The update rule (default 'adam-one-cycle'; 'sgd': plain SGD at the constant rate `lr`, FedAvg's). */
  optimizer?: 'adam-one-cycle' | 'adamw-cosine' | 'sgd';
  /** AdamW's decoupled weight decay ('adamw-cosine' only; default 0.01, PyTorch's). */
  weightDecay?: number;
  /** Clip the global gradient norm to this before each step (default: no clipping). */
  maxGradNorm?: number;
}

/** What the loop needs of an optimizer and of the learning-rate schedule stepped after it. */
interface UpdateRule {
  optimizer: { zeroGrad(): void; step(): void };
  schedule: { step(): void };
}

/** The optimizer and its schedule, for `totalSteps` steps. */
function updateRule(model: Module, config: TrainConfig, totalSteps: number): UpdateRule {
  if (config.optimizer === 'sgd') return { optimizer: new optim.SGD(model.parameters(), { lr: config.lr }), schedule: { step: () => {} } };
  if (config.optimizer === 'adamw-cosine') {
    const optimizer = new optim.AdamW(model.parameters(), { lr: config.lr, weightDecay: config.weightDecay ?? 0.01 });
    return { optimizer, schedule: new optim.lrScheduler.CosineAnnealingLR(optimizer, { tMax: totalSteps, etaMin: config.lr * 0.02 }) };
  }
  const optimizer = new optim.Adam(model.parameters(), { lr: config.lr });
  return { optimizer, schedule: new optim.lrScheduler.OneCycleLR(optimizer, { maxLr: config.lr, totalSteps }) };
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

/**
 * Trains `model` on `train`, reporting each epoch; returns every step's loss.
 *
 * @example const losses = trainClassifier(demoCnn(), loadMnist().train, cnnMnistConfig)
 */
export function trainClassifier(
  model: Classifier,
  train: MnistSplit,
  config: TrainConfig,
  opts: {
    heldOut?: MnistSplit;
    progress?: ProgressBar | null;
    onEpoch?: (r: EpochReport) => void;
    /** A term added to every batch's loss (FedProx's proximal term); its value is in the reported loss. */
    regularizer?: () => Tensor;
  } = {},
): number[] {
  const loader = new data.DataLoader(new data.TensorDataset(train.images, train.labels), {
    batchSize: config.batchSize, shuffle: true, seed: config.seed,
  });
  const totalSteps = Math.min(config.maxSteps ?? Infinity, config.epochs * loader.length);
  const { optimizer, schedule } = updateRule(model, config, totalSteps);
  const criterion = new nn.CrossEntropyLoss();
  const shiftRng = new RandomGenerator(config.seed);
  const losses: number[] = [];
  for (let epoch = 1; epoch <= config.epochs && losses.length < totalSteps; epoch++) {
    model.train(); // batch norm uses the batch's statistics and updates its running ones
    opts.progress?.startEpoch(epoch, Math.min(loader.length, totalSteps - losses.length));
    const started = performance.now();
    let running = 0;
    let sum = 0;
    let batches = 0;
    let samples = 0;
    for (const [batch, y] of loader) {
      if (losses.length >= totalSteps) break;
      const x = config.maxShift ? randomShift(batch, config.maxShift, shiftRng) : batch;
      // One step of gradient descent:
      optimizer.zeroGrad(); // forget the previous step's gradients (backward adds into .grad)
      const fit = criterion.forward(model.forward(x), y); // forward: logits, then cross-entropy with the labels
      const loss = opts.regularizer ? fit.add(opts.regularizer()) : fit;
      loss.backward(); // d loss / d parameter, into every parameter's .grad
      if (config.maxGradNorm !== undefined) nn.utils.clipGradNorm_(model.parameters(), config.maxGradNorm); // clip
      optimizer.step(); // move every parameter against its gradient
      schedule.step(); // the learning rate of the next step
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

// ─── 3. Evaluation ───────────────────────────────────────────────────────────

/**
 * Fraction of `split` the model classifies correctly (in eval mode, no graph, in batches); the
 * model is left in the mode it was in.
 */
export function evaluateAccuracy(model: Classifier, split: MnistSplit, batchSize = 500): number {
  const wasTraining = model.training;
  model.eval(); // batch norm uses its running statistics
  const n = split.labels.shape[0];
  let correct = 0;
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const logits = model.forward(split.images.narrow(0, start, size));
      correct += logits.argmax(1).eq(split.labels.narrow(0, start, size)).sum().item();
    }
  });
  model.train(wasTraining);
  return correct / n;
}

// ─── 4. The run ──────────────────────────────────────────────────────────────

/** A finished run: the model, every step's loss, the held-out split and the accuracy there. */
export interface MnistRun<M extends Classifier> {
  model: M;
  losses: number[];
  heldOut: MnistSplit;
  accuracy: number;
}

/** Options of `trainOnMnist`. */
export interface TrainOnMnistOptions<M extends Classifier> {
  /** Use only the first samples of each part of the split (quick runs). */
  trainSize?: number;
  testSize?: number;
  progress?: ProgressBar | null;
  /** Called once the data is loaded and the model built, before the first step. */
  onStart?: (model: M, train: MnistSplit, heldOut: MnistSplit) => void;
  onEpoch?: (r: EpochReport) => void;
}

/** Seeds the library's generator, then builds the model (so its initialisation is reproducible). */
export function seededModel<M>(seed: number, build: () => M): M {
  manualSeed(seed);
  return build();
}

/**
 * Loads the fixed 8,000 / 2,000 split (or its first `trainSize` / `testSize` samples), builds the
 * model after seeding with `config.seed`, and trains it with held-out accuracy after each epoch.
 */
export function trainOnMnist<M extends Classifier>(
  build: () => M,
  config: TrainConfig,
  opts: TrainOnMnistOptions<M> = {},
): MnistRun<M> {
  const { train, test } = loadMnist(opts);
  const model = seededModel(config.seed, build);
  opts.onStart?.(model, train, test);
  let accuracy = 0;
  const losses = trainClassifier(model, train, config, {
    heldOut: test,
    progress: opts.progress,
    onEpoch: (r) => {
      accuracy = r.accuracy ?? 0;
      opts.onEpoch?.(r);
    },
  });
  return { model, losses, heldOut: test, accuracy };
}

/**
 * Runs one MNIST example end to end: trains `build()` on the training split with `config`, with a
 * progress bar on stderr, and prints each epoch's loss, speed and held-out accuracy on stdout.
 */
export function runMnist<M extends Classifier>(title: string, build: () => M, config: TrainConfig): MnistRun<M> & { seconds: number } {
  const rule = config.optimizer === 'adamw-cosine' ? 'AdamW with cosine decay from' : 'Adam with a one-cycle schedule to';
  let seconds = 0;
  const run = trainOnMnist(build, config, {
    progress: new ProgressBar(config.epochs),
    onStart: (model, train, test) => {
      console.log(`${title}: ${model.numParameters().toLocaleString('en-US')} parameters; ${train.labels.shape[0]} training and ${test.labels.shape[0]} held-out digits`);
      console.log(`${rule} lr ${config.lr}, batches of ${config.batchSize}, ${config.epochs} epochs`);
    },
    onEpoch: (r) => {
      seconds += r.seconds;
      console.log(
        `epoch ${r.epoch}/${config.epochs}: loss ${r.loss.toFixed(4)}, held-out accuracy ${((r.accuracy ?? 0) * 100).toFixed(2)}%` +
          ` (${r.seconds.toFixed(1)} s, ${r.samplesPerSecond.toFixed(0)} samples/s)`,
      );
    },
  });
  console.log(`trained in ${formatDuration(seconds)}; held-out accuracy ${(run.accuracy * 100).toFixed(2)}%`);
  return { ...run, seconds };
}

/** The full run of the example (and of the demo). */
export const cnnMnistConfig: TrainConfig = { epochs: 6, batchSize: 64, lr: 3e-3, seed: 0, maxShift: 2 };

if (isMain(import.meta.url)) runMnist('CNN on MNIST', demoCnn, cnnMnistConfig);
