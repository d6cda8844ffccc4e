/**
 * A small CNN on real MNIST digits (the demo's model, examples/lib/mnist-models.ts): two
 * conv–batch-norm–ReLU–max-pool blocks and a linear layer, trained on the fixed 8,000-digit split
 * with random shifts of up to 2 pixels (augmentation), measured on the 2,000 held-out digits.
 *
 * Run: npx tsx examples/cnn-mnist.ts
 */
import type { nn } from 'tsgrad';
import { isMain } from './lib/is-main.js';
import { mnistCnn } from './lib/mnist-models.js';
import { runMnist } from './lib/mnist-run.js';
import type { TrainConfig } from './lib/mnist-training.js';

/** The model of the example and of the demo. */
export const demoCnn = (): nn.Sequential => mnistCnn({ batchNorm: true });

/** The full run of the example (and of the demo). */
export const cnnMnistConfig: TrainConfig = { epochs: 6, batchSize: 64, lr: 3e-3, seed: 0, maxShift: 2 };

if (isMain(import.meta.url)) runMnist('CNN on MNIST', demoCnn, cnnMnistConfig);
