/**
 * Runs one MNIST example end to end: loads the fixed 8,000 / 2,000 split, builds the model from a
 * seed, trains it with a progress bar on stderr, and prints each epoch's loss, speed and held-out
 * accuracy on stdout.
 */
import { trainOnMnist, type Classifier, type MnistRun, type TrainConfig } from './mnist-training.js';
import { ProgressBar, formatDuration } from './progress-bar.js';

/** Trains `build()` on the training split with `config`, reporting as it goes. */
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
