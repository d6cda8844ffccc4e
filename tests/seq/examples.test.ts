/**
 * Short versions of the sequence-model examples: each must lower its loss. (The full runs and
 * their accuracies are in the examples themselves; see bench/RESULTS.md for measured numbers.)
 */
import { describe, expect, it } from 'vitest';
import { trainRowMnist, rowMnistConfig } from '../../examples/lstm-mnist.js';
import { trainVitMnist, vitMnistConfig } from '../../examples/vit-mnist.js';
import { charGptConfig, sample, trainCharGpt } from '../../examples/gpt-char.js';

const quick = { epochs: 1, trainSize: 256, testSize: 64, batchSize: 32 };

describe('example short runs lower the loss', () => {
  it.each(['lstm', 'gru'] as const)('row-by-row MNIST with %s', (cell) => {
    const r = trainRowMnist(cell, { ...rowMnistConfig, ...quick, hidden: 16, lr: 1e-2 });
    expect(r.probeLossAfter).toBeLessThan(r.probeLossBefore);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
  });

  it('ViT on 7×7 MNIST patches', () => {
    const { result } = trainVitMnist({ ...vitMnistConfig, ...quick, dModel: 16, heads: 2, layers: 1, dimFeedforward: 32 });
    expect(result.probeLossAfter).toBeLessThan(result.probeLossBefore);
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
