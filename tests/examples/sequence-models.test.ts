/**
 * Short versions of the sequence-model examples: each must lower its loss. (The full runs and
 * their accuracies are in the examples themselves; see bench/RESULTS.md for measured numbers.)
 */
import { describe, expect, it } from 'vitest';
import { nn, noGrad } from 'tsgrad';
import { trainRowMnist, rowMnistConfig } from '../../examples/lstm-mnist.js';
import { trainVitMnist, vitMnistConfig } from '../../examples/vit-mnist.js';
import { charGptConfig, sample, trainCharGpt } from '../../examples/gpt-char.js';
import { loadMnist, type MnistSplit } from '../../examples/lib/mnist-data.js';
import type { Classifier } from '../../examples/cnn-mnist.js';

const quick = { epochs: 1, batchSize: 32 };
const sizes = { trainSize: 256, testSize: 64 };
const loadTrain = (): MnistSplit => loadMnist(sizes).train;

/** Mean cross-entropy on the training samples, in eval mode (the mode is restored). */
function trainingLoss(model: Classifier, train: MnistSplit): number {
  model.eval();
  const loss = noGrad(() => nn.functional.crossEntropy(model.forward(train.images), train.labels).item());
  model.train();
  return loss;
}

/** Records the training loss when the run starts; returns a reader of it. */
function lossAtStart(): { onStart: (model: Classifier, train: MnistSplit) => void; before: () => number } {
  let before = NaN;
  return { onStart: (model, train) => (before = trainingLoss(model, train)), before: () => before };
}

describe('example short runs lower the loss', () => {
  it.each(['lstm', 'gru'] as const)('row-by-row MNIST with %s', (cell) => {
    const start = lossAtStart();
    const r = trainRowMnist(cell, { ...rowMnistConfig, ...quick, hidden: 16, lr: 1e-2 }, { ...sizes, onStart: start.onStart });
    expect(trainingLoss(r.model, loadTrain())).toBeLessThan(start.before());
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
  });

  it('ViT on 7×7 MNIST patches', () => {
    const start = lossAtStart();
    const r = trainVitMnist({ ...vitMnistConfig, ...quick, dModel: 16, heads: 2, layers: 1, dimFeedforward: 32 }, { ...sizes, onStart: start.onStart });
    expect(trainingLoss(r.model, loadTrain())).toBeLessThan(start.before());
  });

  it('char-level GPT: the training loss falls, held-out bits/char are finite, sampling gives vocabulary text', () => {
    const r = trainCharGpt({ ...charGptConfig, context: 16, dModel: 16, heads: 2, layers: 1, batchSize: 8, steps: 30, lr: 1e-2 });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(r.losses.slice(-5))).toBeLessThan(mean(r.losses.slice(0, 5)));
    expect(Number.isFinite(r.heldOutBits)).toBe(true);
    const text = sample(r.model, r.corpus, 'The ', 20, 0.8);
    expect(Array.from(text)).toHaveLength(20);
    expect(Array.from(text).every((ch) => r.corpus.vocab.includes(ch))).toBe(true);
  });
});
