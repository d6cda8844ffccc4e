/**
 * Anomaly detection with an autoencoder: train it on every digit except one (the "anomaly"
 * class), then score each held-out image by its reconstruction error ‖x − x̂‖²/784. The network
 * only learned to rebuild the digits it saw, so images of the unseen class should rebuild worse
 * and score higher. We report the ROC AUC of the score for "is the held-out class": 1 is a perfect
 * separation, 0.5 a coin toss.
 *
 * Run: npx tsx examples/anomaly-detection.ts [digit]      (default: the digit in the config)
 */
import { tensor, type Tensor } from 'tsgrad';
import { isMain } from './lib/is-main.js';
import { MlpAutoencoder, reconstructionError, trainAutoencoder } from './lib/mlp-autoencoder.js';
import { loadMnist, type MnistSplit } from './lib/mnist-data.js';
import { rocAuc } from './lib/roc-auc.js';

/** Sizes and rates of one run. */
export interface AnomalyConfig {
  /** The class left out of training and detected among the held-out digits. */
  anomaly: number;
  epochs: number;
  codeSize: number;
  hidden: number;
}

/** The full run of the example. */
export const anomalyConfig: AnomalyConfig = { anomaly: 2, epochs: 5, codeSize: 16, hidden: 256 };

/** The samples of `split` whose label is not `digit`, flattened to [N, 784]. */
export function withoutDigit(split: MnistSplit, digit: number): Tensor {
  const labels = split.labels.toTypedArray();
  const keep = Int32Array.from(labels.keys()).filter((i) => labels[i] !== digit);
  return split.images.reshape(-1, 784).indexSelect(0, tensor(keep));
}

/** Trains on `train` without the anomaly class and returns the AUC of detecting it in `test`. */
export function anomalyAuc(train: MnistSplit, test: MnistSplit, config: AnomalyConfig, log?: (epoch: number, loss: number) => void): number {
  const model = trainAutoencoder(new MlpAutoencoder(config.codeSize, config.hidden), withoutDigit(train, config.anomaly), { epochs: config.epochs }, log);
  const scores = reconstructionError(model, test.images.reshape(-1, 784)).toTypedArray();
  return rocAuc(scores, Array.from(test.labels.toTypedArray(), (y) => y === config.anomaly));
}

if (isMain(import.meta.url)) {
  const anomaly = Number(process.argv[2] ?? anomalyConfig.anomaly);
  const { train, test } = loadMnist();
  console.log(`training on every digit but ${anomaly}`);
  const auc = anomalyAuc(train, test, { ...anomalyConfig, anomaly }, (epoch, loss) => console.log(`  epoch ${epoch}: training MSE ${loss.toFixed(5)}`));
  console.log(`ROC AUC of reconstruction error for detecting ${anomaly}s among the 2,000 held-out digits: ${auc.toFixed(3)}`);
}
