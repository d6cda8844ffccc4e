/**
 * examples/bert-finetune.ts in miniature: the task data (labels on first pieces, one genre per
 * passage), a fine-tuning run per task that lowers its loss, the pretrained encoder copied (not
 * shared), and LoRA: few parameters trainable, only the adapters and the head move, and merging
 * the adapters leaves the outputs unchanged.
 */
import { describe, expect, it } from 'vitest';
import { noGrad } from 'tsgrad';
import { bertConfigOf, bertMlmConfig, prepareMlmData, trainBertMlm, type BertMlmConfig } from '../../examples/bert-mlm.js';
import { accuracy, encoderFrom, fineTune, runTask, taskData, taskModel, type FinetuneConfig } from '../../examples/bert-finetune.js';
import { IGNORE, padBatch } from '../../examples/lib/bert-data.js';
import { applyLoRA, mergeLoRA, trainableFraction } from '../../examples/lib/lora.js';
import { BertTagger } from '../../examples/lib/bert-model.js';
import { CLS_ID, SEP_ID } from '../../examples/lib/wordpiece.js';

const tiny: BertMlmConfig = {
  ...bertMlmConfig, vocabSize: 300, seqLen: 24, dModel: 32, heads: 2, layers: 1, dimFeedforward: 64,
  batchSize: 16, steps: 10, lr: 3e-3, warmup: 2, evalRows: 10, files: 3,
};
const mlmData = prepareMlmData(tiny);
const pretrained = trainBertMlm(tiny, undefined, mlmData).model;
const config = bertConfigOf(tiny, mlmData.tokenizer.size);
const pos = taskData('pos', mlmData.split, mlmData.tokenizer, { maxLen: 24, testItems: 60 });
const genre = taskData('genre', mlmData.split, mlmData.tokenizer, { maxLen: 24, testItems: 40 });
const quick: FinetuneConfig = { steps: 25, dropout: 0.1, batchSize: 16, lr: 3e-3, warmup: 2, seed: 1 };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('examples/bert-finetune', () => {
  it('labels each word at its first piece only, and each passage with its genre', () => {
    const i = pos.train.findIndex((t) => t.ids.length < 24); // a sentence short enough to be whole
    const s = pos.train[i];
    expect(s.ids[0]).toBe(CLS_ID);
    expect(s.ids[s.ids.length - 1]).toBe(SEP_ID);
    expect(s.labels).toHaveLength(s.ids.length);
    const words = mlmData.split.train[0].sentences[i].words;
    expect(s.labels.filter((l) => l !== IGNORE)).toHaveLength(words.length);
    expect(pos.test).toHaveLength(60);
    expect(genre.train.every((p) => p.ids.length === 24 && p.labels.length === 1)).toBe(true);
    expect(new Set(genre.train.map((p) => p.labels[0]))).toEqual(new Set([mlmData.split.genres.indexOf('news')]));
    const batch = padBatch([pos.train[0], pos.train[1]]);
    expect(batch.ids.shape[1]).toBe(Math.max(pos.train[0].ids.length, pos.train[1].ids.length));
  });

  it('fine-tuning a copy of the pretrained encoder lowers the loss of both tasks and leaves the original alone', () => {
    const before = pretrained.tok_embed.weight.clone();
    for (const data of [pos, genre]) {
      const model = taskModel(data.task, encoderFrom(pretrained, config), data.numClasses);
      const losses = fineTune(model, data.train, quick);
      expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
      const acc = accuracy(model, data.test);
      expect(acc).toBeGreaterThanOrEqual(0);
      expect(acc).toBeLessThanOrEqual(1);
    }
    expect(pretrained.tok_embed.weight.sub(before).abs().max().item()).toBe(0);
  });

  it('LoRA trains the adapters and the head only, a few % of the parameters, and merges back exactly', () => {
    const r = runTask(pos, { pretrained, config, fraction: 0.5, lora: { rank: 2, alpha: 4 } }, quick);
    expect(r.trainable / r.total).toBeLessThan(0.05);
    expect(mean(r.losses.slice(-5))).toBeLessThan(mean(r.losses.slice(0, 5)));
    const tagger = r.model as BertTagger;
    const moved = tagger.namedParameters().filter(([, p]) => p.requiresGrad).map(([name]) => name);
    expect(moved.every((n) => n.startsWith('head.') || n.endsWith('lora_A') || n.endsWith('lora_B'))).toBe(true);
    expect(moved.filter((n) => n.endsWith('lora_A'))).toHaveLength(3); // out_proj, linear1, linear2 of the one layer
    const frozen = encoderFrom(pretrained, config);
    expect(tagger.bert.tok_embed.weight.sub(frozen.tok_embed.weight).abs().max().item()).toBe(0);

    const batch = padBatch(pos.test.slice(0, 8));
    tagger.eval();
    const adapted = noGrad(() => tagger.forward(batch.ids, batch.padding));
    mergeLoRA(tagger);
    const merged = noGrad(() => tagger.forward(batch.ids, batch.padding));
    expect(adapted.sub(merged).abs().max().item()).toBeLessThan(1e-4);
    expect(trainableFraction(tagger).total).toBeLessThan(r.total);
  });

  it('applyLoRA refuses targets that name no Linear', () => {
    const model = taskModel('pos', encoderFrom(pretrained, config), 12);
    expect(() => applyLoRA(model, { rank: 2, alpha: 2, targets: ['nothing'] })).toThrow('applyLoRA: no Linear field named nothing');
  });
});
