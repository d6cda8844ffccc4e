/**
 * A feed-forward network on real MNIST digits (examples/lib/mnist-models.ts): 784 → 256 → 128
 * → 10 with ReLUs, trained on the fixed 8,000-digit split and measured on the 2,000 held-out digits.
 *
 * Run: npx tsx examples/mlp-mnist.ts
 */
import { isMain } from './lib/is-main.js';
import { mnistMlp } from './lib/mnist-models.js';
import { runMnist } from './lib/mnist-run.js';
import type { TrainConfig } from './lib/mnist-training.js';

/** The full run of the example. */
export const mlpMnistConfig: TrainConfig = { epochs: 8, batchSize: 64, lr: 2e-3, seed: 0 };

if (isMain(import.meta.url)) runMnist('MLP on MNIST', mnistMlp, mlpMnistConfig);
