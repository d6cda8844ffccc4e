/**
 * examples/distill.ts in miniature: the distillation loss itself (its two limits, the teacher
 * held constant, the T² scale), and short runs of both parts whose students lower their loss.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randint, randn, tensor } from 'tsgrad';
import { distillationLoss, NO_LABEL } from '../../examples/lib/distillation.js';
import { distillMnist, distillTagger, halfCnn, mnistDistillConfig, taggerDistillConfig } from '../../examples/distill.js';
import { demoCnn } from '../../examples/cnn-mnist.js';
import { bertConfigOf, bertMlmConfig, prepareMlmData } from '../../examples/bert-mlm.js';
import { BertTagger, TinyBert } from '../../examples/lib/bert-model.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('examples/lib/distillation', () => {
  it('is the cross-entropy at α = 0, α·T²·KL + (1 − α)·CE in general, and zero-KL when the logits agree', () => {
    manualSeed(2);
    const s = randn([6, 4]);
    const t = randn([6, 4]);
    const y = randint(0, 4, [6]);
    const ce = nn.functional.crossEntropy(s, y).item();
    expect(distillationLoss(s, t, y, { temperature: 3, alpha: 0 }).item()).toBeCloseTo(ce, 6);
    expect(distillationLoss(s, s, y, { temperature: 3, alpha: 0.5 }).item()).toBeCloseTo(0.5 * ce, 6);
    // KL by hand, per row, averaged over rows.
    const T = 2;
    const ps = s.div(T).softmax(1).toArray() as number[][];
    const pt = t.div(T).softmax(1).toArray() as number[][];
    const kl = mean(pt.map((row, i) => row.reduce((acc, p, k) => acc + p * Math.log(p / ps[i][k]), 0)));
    expect(distillationLoss(s, t, y, { temperature: T, alpha: 1 }).item()).toBeCloseTo(T * T * kl, 5);
  });

  it('counts rows without a label (NO_LABEL) in the teacher\'s term only', () => {
    const s = randn([4, 3]);
    const t = randn([4, 3]);
    const y = randint(0, 3, [4]).toTypedArray();
    const some = Int32Array.from([y[0], y[1], NO_LABEL, NO_LABEL]);
    const opts = { temperature: 2, alpha: 0.6 };
    const soft = distillationLoss(s, t, tensor(Int32Array.from([NO_LABEL, NO_LABEL, NO_LABEL, NO_LABEL])), opts).item();
    expect(soft).toBeCloseTo(distillationLoss(s, t, tensor(Int32Array.from(y)), { ...opts, alpha: 1 }).item() * 0.6, 5);
    const ce = nn.functional.crossEntropy(s.narrow(0, 0, 2), tensor(Int32Array.from([y[0], y[1]]))).item();
    expect(distillationLoss(s, t, tensor(some), opts).item()).toBeCloseTo(soft + 0.4 * ce, 5);
  });

  it('sends gradient to the student only, and checks its options', () => {
    const s = randn([3, 5]).requiresGrad_();
    const t = randn([3, 5]).requiresGrad_();
    distillationLoss(s, t, randint(0, 5, [3]), { temperature: 2, alpha: 0.7 }).backward();
    expect(s.grad).not.toBeNull();
    expect(t.grad).toBeNull();
    expect(() => distillationLoss(s, t, randint(0, 5, [3]), { temperature: 0, alpha: 0.5 })).toThrow('temperature must be positive');
    expect(() => distillationLoss(s, t, randint(0, 5, [3]), { temperature: 1, alpha: 2 })).toThrow('alpha must be in [0, 1]');
  });
});

describe('examples/distill', () => {
  it('the MNIST student has about half the teacher’s parameters, and both students lower their loss', () => {
    expect(halfCnn().numParameters() / demoCnn().numParameters()).toBeLessThan(0.5);
    const r = distillMnist({
      ...mnistDistillConfig,
      teacher: { ...mnistDistillConfig.teacher, steps: 8, batchSize: 32 },
      student: { ...mnistDistillConfig.student, steps: 20, batchSize: 32 },
      transferSize: 128,
      testSize: 100,
    }, 256);
    for (const s of [r.labelsOnly, r.distilled]) expect(mean(s.losses.slice(-5))).toBeLessThan(mean(s.losses.slice(0, 5)));
    expect(r.labelsOnly.parameters).toBe(r.distilled.parameters);
  });

  it('the tagger students lower their loss', () => {
    const tiny = { ...bertMlmConfig, vocabSize: 200, seqLen: 24, dModel: 16, heads: 2, layers: 1, dimFeedforward: 32, files: 2 };
    const data = prepareMlmData(tiny);
    manualSeed(4);
    const teacher = new BertTagger(new TinyBert(bertConfigOf(tiny, data.tokenizer.size)), 12);
    const r = distillTagger(teacher, data.tokenizer, {
      ...taggerDistillConfig, dModel: 8, heads: 2, layers: 1, dimFeedforward: 16, fraction: 0.005, transferFraction: 0.02, testItems: 50,
      train: { steps: 30, batchSize: 8, lr: 5e-3, seed: 1 },
    });
    for (const s of [r.labelsOnly, r.distilled, r.withTransferSet!]) expect(mean(s.losses.slice(-5))).toBeLessThan(mean(s.losses.slice(0, 5)));
    expect(r.labelsOnly.parameters).toBeLessThan(r.teacher.parameters);
  });
});
