/**
 * Runs one MNIST example end to end: loads the fixed 8,000 / 2,000 split, builds the model from a
 * seed, trains it with a progress bar on stderr, and prints each epoch's loss, speed and held-out
 * accuracy on stdout.
 */
import { loadMnist, type MnistSplit } from './mnist-data.js';
import { seededModel, trainClassifier, type Classifier, type TrainConfig } from './mnist-training.js';
import { ProgressBar, formatDuration } from './progress-bar.js';

/** A trained example: the model, the held-out split, its accuracy there and the training time. */
export interface MnistRun<M extends Classifier> {
  model: M;
  heldOut: MnistSplit;
  accuracy: number;
  seconds: number;
}

/** Trains `build()` on the training split with `config`, reporting as it goes. */
export function runMnist<M extends Classifier>(title: string, build: () => M, config: TrainConfig): MnistRun<M> {
  const { train, test } = loadMnist();
  const model = seededModel(config.seed, build);
  console.log(`${title}: ${model.numParameters().toLocaleString('en-US')} parameters; ${train.labels.shape[0]} training and ${test.labels.shape[0]} held-out digits`);
  console.log(`Adam with a one-cycle schedule to lr ${config.lr}, batches of ${config.batchSize}, ${config.epochs} epochs`);
  let accuracy = 0;
  let seconds = 0;
  trainClassifier(model, train, config, {
    heldOut: test,
    progress: new ProgressBar(config.epochs),
    onEpoch: (r) => {
      accuracy = r.accuracy ?? 0;
      seconds += r.seconds;
      console.log(
        `epoch ${r.epoch}/${config.epochs}: loss ${r.loss.toFixed(4)}, held-out accuracy ${(accuracy * 100).toFixed(2)}%` +
          ` (${r.seconds.toFixed(1)} s, ${r.samplesPerSecond.toFixed(0)} samples/s)`,
      );
    },
  });
  console.log(`trained in ${formatDuration(seconds)}; held-out accuracy ${(accuracy * 100).toFixed(2)}%`);
  return { model, heldOut: test, accuracy, seconds };
}
