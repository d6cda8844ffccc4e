/**
 * Pretraining a small BERT by masked-language modelling on the Brown corpus.
 *
 * A word-piece vocabulary is learned from the training files (examples/lib/wordpiece.ts; the
 * held-out files never reach it), each file's pieces are cut into sequences [CLS] … [SEP], and
 * BERT's rule hides 15 % of the pieces (80 % of those become [MASK], 10 % a random piece, 10 %
 * stay) for the model to recover (examples/lib/bert-model.ts: token + position embeddings, a
 * Transformer encoder, the MLM head tied to the token embedding). Only the chosen positions go
 * through the vocabulary projection, so a step costs little more than the encoder.
 *
 * Reported on held-out files, with a fixed masking: accuracy at the masked positions and
 * perplexity exp(mean cross-entropy), against a unigram model (the training pieces' frequencies,
 * add-one smoothed: it always guesses the most frequent piece). The weights, the vocabulary and the
 * sizes are saved in one safetensors file for examples/bert-finetune.ts.
 *
 * Run: npx tsx examples/bert-mlm.ts            (writes out/bert-mlm.safetensors)
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RandomGenerator, manualSeed, nn, noGrad, optim, tensor } from 'tsgrad';
import { loadFileWithMetadata, saveFile } from 'tsgrad/node';
import { brownSplit, readBrown, wordsOf, type BrownSplit } from './lib/brown.js';
import { maskBatch, packFiles, type PackedSequences } from './lib/bert-data.js';
import { TinyBert, type BertConfig } from './lib/bert-model.js';
import { isMain } from './lib/is-main.js';
import { setLearningRate, warmupCosine } from './lib/schedule.js';
import { CLS_ID, MASK_ID, SEP_ID, SPECIAL_TOKENS, trainWordPiece, WordPieceTokenizer } from './lib/wordpiece.js';

/** Sizes and rates of one pretraining run. */
export interface BertMlmConfig {
  vocabSize: number;
  /** Sequence length, [CLS] and [SEP] included. */
  seqLen: number;
  dModel: number;
  heads: number;
  layers: number;
  dimFeedforward: number;
  dropout: number;
  batchSize: number;
  steps: number;
  lr: number;
  warmup: number;
  seed: number;
  /** Held-out sequences evaluated (the first ones). */
  evalRows: number;
  /** Use only the first `files` training and held-out files (quick runs); all when absent. */
  files?: number;
}

/** The full run (about 8 minutes on 2 cores). */
export const bertMlmConfig: BertMlmConfig = {
  vocabSize: 3000, seqLen: 64, dModel: 64, heads: 4, layers: 2, dimFeedforward: 128, dropout: 0,
  batchSize: 32, steps: 600, lr: 5e-3, warmup: 60, seed: 11, evalRows: 600,
};

/** The corpus prepared for the model. */
export interface BrownMlmData {
  split: BrownSplit;
  tokenizer: WordPieceTokenizer;
  train: PackedSequences;
  heldOut: PackedSequences;
}

/** Reads the corpus, learns the vocabulary from the training files and packs both parts. */
export function prepareMlmData(c: Pick<BertMlmConfig, 'vocabSize' | 'seqLen' | 'files'>): BrownMlmData {
  const full = brownSplit(readBrown());
  const split = c.files === undefined ? full : { ...full, train: full.train.slice(0, c.files), heldOut: full.heldOut.slice(0, c.files) };
  const tokenizer = new WordPieceTokenizer(trainWordPiece(wordsOf(split.train), { vocabSize: c.vocabSize }));
  return { split, tokenizer, train: packFiles(split.train, tokenizer, c.seqLen), heldOut: packFiles(split.heldOut, tokenizer, c.seqLen) };
}

/** The model's sizes for a config and a vocabulary. */
export function bertConfigOf(c: BertMlmConfig, vocabSize: number): BertConfig {
  return { vocabSize, maxLen: c.seqLen, dModel: c.dModel, heads: c.heads, layers: c.layers, dimFeedforward: c.dimFeedforward, dropout: c.dropout };
}

/** Accuracy and perplexity at masked positions. */
export interface MlmScore {
  accuracy: number;
  perplexity: number;
  /** Number of masked positions scored. */
  count: number;
}

/** The model on the first `rows` sequences, masked with a generator seeded by `seed` (the same positions every call). */
export function evaluateMlm(model: TinyBert, seqs: PackedSequences, rows: number, seed = 1234, batchSize = 100): MlmScore {
  model.eval();
  const rng = new RandomGenerator(seed);
  let nll = 0;
  let correct = 0;
  let count = 0;
  noGrad(() => {
    for (let start = 0; start < Math.min(rows, seqs.count); start += batchSize) {
      const ids = Array.from({ length: Math.min(batchSize, rows - start, seqs.count - start) }, (_, i) => start + i);
      const batch = maskBatch(seqs, ids, model.config.vocabSize, rng);
      if (batch.targets.shape[0] === 0) continue;
      const hidden = model.encode(batch.input).reshape([-1, model.config.dModel]).indexSelect(0, batch.positions);
      const logits = model.mlmLogits(hidden);
      const m = batch.targets.shape[0];
      nll += nn.functional.crossEntropy(logits, batch.targets).item() * m;
      correct += logits.argmax(1).eq(batch.targets).sum().item();
      count += m;
    }
  });
  model.train();
  return { accuracy: correct / count, perplexity: Math.exp(nll / count), count };
}

/** The unigram model's score on the same masked positions as `evaluateMlm` (same seed). */
export function unigramMlm(train: PackedSequences, heldOut: PackedSequences, vocabSize: number, rows: number, seed = 1234, batchSize = 100): MlmScore {
  const counts = new Float64Array(vocabSize).fill(1);
  for (const id of train.ids) if (id >= SPECIAL_TOKENS.length) counts[id]++;
  for (let i = 0; i < SPECIAL_TOKENS.length; i++) counts[i] = 0; // never a target
  const total = counts.reduce((a, b) => a + b, 0);
  const best = counts.indexOf(Math.max(...counts));
  const rng = new RandomGenerator(seed);
  let nll = 0;
  let correct = 0;
  let count = 0;
  for (let start = 0; start < Math.min(rows, heldOut.count); start += batchSize) {
    const ids = Array.from({ length: Math.min(batchSize, rows - start, heldOut.count - start) }, (_, i) => start + i);
    for (const target of maskBatch(heldOut, ids, vocabSize, rng).targets.toTypedArray()) {
      nll -= Math.log(counts[target] / total);
      if (target === best) correct++;
      count++;
    }
  }
  return { accuracy: correct / count, perplexity: Math.exp(nll / count), count };
}

/** What a pretraining run reports. */
export interface BertMlmResult {
  model: TinyBert;
  data: BrownMlmData;
  /** Training loss (nats at the masked positions) of each step. */
  losses: number[];
  heldOut: MlmScore;
  unigram: MlmScore;
  seconds: number;
}

/** Pretrains on random batches of training sequences with AdamW, warm-up and cosine decay. */
export function trainBertMlm(c: BertMlmConfig = bertMlmConfig, log?: (step: number, loss: number) => void, data = prepareMlmData(c)): BertMlmResult {
  const start = Date.now();
  manualSeed(c.seed);
  const model = new TinyBert(bertConfigOf(c, data.tokenizer.size));
  const opt = new optim.AdamW(model.parameters(), { lr: c.lr, weightDecay: 0.01 });
  const rng = new RandomGenerator(c.seed);
  const losses: number[] = [];
  for (let step = 0; step < c.steps; step++) {
    setLearningRate(opt, warmupCosine(step, c.steps, c.lr, c.warmup));
    const rows = Array.from({ length: c.batchSize }, () => rng.nextInt(0, data.train.count));
    const batch = maskBatch(data.train, rows, data.tokenizer.size, rng);
    const hidden = model.encode(batch.input).reshape([-1, c.dModel]).indexSelect(0, batch.positions);
    const loss = nn.functional.crossEntropy(model.mlmLogits(hidden), batch.targets);
    opt.zeroGrad();
    loss.backward();
    nn.utils.clipGradNorm_(model.parameters(), 1);
    opt.step();
    losses.push(loss.item());
    log?.(step, loss.item());
  }
  return {
    model, data, losses,
    heldOut: evaluateMlm(model, data.heldOut, c.evalRows),
    unigram: unigramMlm(data.train, data.heldOut, data.tokenizer.size, c.evalRows),
    seconds: (Date.now() - start) / 1000,
  };
}

/** Saves the weights with the vocabulary and the sizes as safetensors metadata. */
export function saveBert(path: string, model: TinyBert, tokenizer: WordPieceTokenizer): void {
  mkdirSync(dirname(path), { recursive: true });
  saveFile(path, model.stateDict(), { vocab: JSON.stringify(tokenizer.vocab), config: JSON.stringify(model.config) });
}

/** A model and tokenizer as `saveBert` wrote them. */
export function loadBert(path: string): { model: TinyBert; tokenizer: WordPieceTokenizer } {
  const { tensors, metadata } = loadFileWithMetadata(path);
  const vocab: unknown = JSON.parse(metadata?.vocab ?? 'null');
  const config: unknown = JSON.parse(metadata?.config ?? 'null');
  if (!Array.isArray(vocab) || typeof config !== 'object' || config === null) throw new Error(`loadBert: ${path} has no vocab/config metadata`);
  const model = new TinyBert(config as BertConfig);
  model.loadStateDict(tensors);
  return { model, tokenizer: new WordPieceTokenizer(vocab as string[]) };
}

/** The pieces the model predicts at the [MASK] of `words` (one word replaced by '[MASK]'), best first. */
export function fillMask(model: TinyBert, tokenizer: WordPieceTokenizer, words: string[], top = 5): string[] {
  const ids = [CLS_ID, ...words.flatMap((w) => (w === '[MASK]' ? [MASK_ID] : tokenizer.encodeWord(w))), SEP_ID];
  const at = ids.indexOf(MASK_ID);
  model.eval();
  const probs = noGrad(() => model.forward(tensor(Int32Array.from(ids), { shape: [1, ids.length] })).narrow(1, at, 1).reshape([-1]).softmax(0).toTypedArray());
  model.train();
  return [...probs.keys()].sort((a, b) => probs[b] - probs[a]).slice(0, top).map((i) => tokenizer.vocab[i]);
}

/** Where the full run saves its weights. */
export const BERT_WEIGHTS = 'out/bert-mlm.safetensors';

if (isMain(import.meta.url)) {
  const start = Date.now();
  const c = bertMlmConfig;
  const data = prepareMlmData(c);
  console.log(`Brown corpus: ${data.split.train.length} training files (${data.train.count} sequences of ${c.seqLen}), ${data.split.heldOut.length} held-out files (${data.heldOut.count}); vocabulary ${data.tokenizer.size} word pieces (${((Date.now() - start) / 1000).toFixed(0)} s)`);
  const r = trainBertMlm(c, (step, loss) => {
    if ((step + 1) % 50 === 0) console.log(`  step ${step + 1}: masked-token loss ${loss.toFixed(3)}  (${((Date.now() - start) / 1000).toFixed(0)} s)`);
  }, data);
  console.log(`BERT (d ${c.dModel}, ${c.heads} heads, ${c.layers} layers, ${r.model.numParameters()} parameters), ${c.steps} steps of ${c.batchSize}`);
  console.log(`held-out masked tokens (${r.heldOut.count}): accuracy ${(100 * r.heldOut.accuracy).toFixed(1)} %, perplexity ${r.heldOut.perplexity.toFixed(1)}`);
  console.log(`unigram baseline:            accuracy ${(100 * r.unigram.accuracy).toFixed(1)} %, perplexity ${r.unigram.perplexity.toFixed(1)}`);
  for (const sentence of ['the [MASK] of the united states', 'he [MASK] the door and went out', 'she was a very [MASK] woman']) {
    console.log(`  ${sentence} → ${fillMask(r.model, data.tokenizer, sentence.split(' ')).join(', ')}`);
  }
  saveBert(BERT_WEIGHTS, r.model, data.tokenizer);
  console.log(`weights: ${BERT_WEIGHTS}; total ${((Date.now() - start) / 1000).toFixed(0)} s`);
}
