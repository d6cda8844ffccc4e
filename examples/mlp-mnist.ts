/**
 * A feed-forward network on real MNIST digits (examples/lib/mnist-models.ts): 784 → 256 → 128
 * → 10 with ReLUs, trained on the fixed 8,000-digit split (each image shifted at random by up to
 * 2 pixels: without it the network memorises the 8,000 digits and stops at 95%) and measured on
 * the 2,000 held-out digits: 97.2% after 20 epochs (~20 s on 2 cores).
 *
 * Run: npx tsx examples/mlp-mnist.ts
 */
import { isMain } from './lib/is-main.js';
import { mnistMlp } from './lib/mnist-models.js';
import { runMnist } from './lib/mnist-run.js';
import type { TrainConfig } from './lib/mnist-training.js';

/** The full run of the example. */
export const mlpMnistConfig: TrainConfig = { epochs: 20, batchSize: 64, lr: 2e-3, seed: 0, maxShift: 2 };

if (isMain(import.meta.url)) runMnist('MLP on MNIST', mnistMlp, mlpMnistConfig);
