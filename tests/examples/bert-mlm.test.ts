/**
 * examples/bert-mlm.ts in miniature: BERT's masking rule, the packed sequences, a short
 * pretraining run that lowers its loss, and the safetensors round trip of weights + vocabulary.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RandomGenerator, noGrad, tensor } from 'tsgrad';
import { bertMlmConfig, loadBert, prepareMlmData, saveBert, trainBertMlm, unigramMlm, type BertMlmConfig } from '../../examples/bert-mlm.js';
import { maskBatch, type PackedSequences } from '../../examples/lib/bert-data.js';
import { CLS_ID, MASK_ID, SEP_ID } from '../../examples/lib/wordpiece.js';

const tiny: BertMlmConfig = {
  ...bertMlmConfig, vocabSize: 300, seqLen: 16, dModel: 32, heads: 2, layers: 1, dimFeedforward: 64,
  batchSize: 16, steps: 40, lr: 3e-3, warmup: 5, evalRows: 40, files: 3,
};
const data = prepareMlmData(tiny);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('examples/bert-mlm', () => {
  it('packs each file into [CLS] … [SEP] rows and never lets a held-out word into the vocabulary', () => {
    const { train, heldOut, tokenizer, split } = data;
    expect(train.count).toBeGreaterThan(100);
    for (const seqs of [train, heldOut]) {
      for (let r = 0; r < seqs.count; r++) {
        expect(seqs.ids[r * 16]).toBe(CLS_ID);
        expect(seqs.ids[r * 16 + 15]).toBe(SEP_ID);
      }
    }
    expect(tokenizer.size).toBe(300);
    expect(split.train.map((f) => f.name)).toEqual(['ca01', 'ca02', 'ca03']);
    expect(split.heldOut.map((f) => f.name)).toEqual(['ca05', 'ca15', 'ca25']);
  });

  it('masks 15 % of the pieces: 80 % [MASK], 10 % random, 10 % kept, specials never', () => {
    const rows = 2000;
    const seqs: PackedSequences = { ids: new Int32Array(rows * 10), length: 10, count: rows };
    for (let r = 0; r < rows; r++) seqs.ids.set([CLS_ID, 10, 11, 12, 13, 14, 15, 16, 17, SEP_ID], r * 10);
    const b = maskBatch(seqs, Array.from({ length: rows }, (_, i) => i), 1000, new RandomGenerator(3));
    const input = b.input.toTypedArray();
    const positions = Array.from(b.positions.toTypedArray());
    const targets = Array.from(b.targets.toTypedArray());
    expect(positions.length / (rows * 8)).toBeCloseTo(0.15, 2);
    expect(positions.every((p) => p % 10 !== 0 && p % 10 !== 9)).toBe(true);
    expect(targets.every((t, i) => t === seqs.ids[positions[i]])).toBe(true);
    const masked = positions.filter((p) => input[p] === MASK_ID).length / positions.length;
    const kept = positions.filter((p) => input[p] === seqs.ids[p]).length / positions.length;
    expect(masked).toBeCloseTo(0.8, 1);
    expect(kept).toBeGreaterThan(0.08); // 10 % kept, plus the rare random draw of the same piece
    expect(kept).toBeLessThan(0.12);
    const untouched = input.filter((v, i) => !positions.includes(i) && v !== seqs.ids[i]);
    expect(untouched.length).toBe(0);
  });

  it('a short run lowers the masked-token loss; weights and vocabulary survive safetensors', () => {
    const r = trainBertMlm(tiny, undefined, data);
    expect(mean(r.losses.slice(-8))).toBeLessThan(mean(r.losses.slice(0, 8)));
    expect(r.heldOut.count).toBeGreaterThan(50);
    expect(r.unigram).toEqual(unigramMlm(data.train, data.heldOut, data.tokenizer.size, tiny.evalRows));
    expect(Number.isFinite(r.heldOut.perplexity)).toBe(true);

    const path = join(mkdtempSync(join(tmpdir(), 'tsgrad-bert-')), 'bert.safetensors');
    saveBert(path, r.model, data.tokenizer);
    const back = loadBert(path);
    expect(back.tokenizer.vocab).toEqual(data.tokenizer.vocab);
    expect(back.model.config).toEqual(r.model.config);
    const ids = tensor(Int32Array.from(data.heldOut.ids.subarray(0, 32)), { shape: [2, 16] });
    r.model.eval();
    back.model.eval();
    const [a, b] = noGrad(() => [r.model.forward(ids), back.model.forward(ids)]);
    expect(a.sub(b).abs().max().item()).toBe(0);
  });
});
