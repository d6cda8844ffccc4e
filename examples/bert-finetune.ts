/**
 * Fine-tuning the pretrained BERT of examples/bert-mlm.ts on two tasks of the Brown corpus:
 *
 * - part-of-speech tagging (token classification): the 12 universal tags, predicted at each
 *   word's first piece (later pieces are ignored by the loss and the accuracy);
 * - genre classification: which of the 15 genres a passage of 62 pieces comes from (the mean of
 *   the encoder's outputs through a linear layer).
 *
 * For each fraction of the labelled training data (1 %, 5 %, 20 % of the training sentences or
 * passages, a seeded sample), the same model is fine-tuned from the pretrained weights and trained
 * from scratch (the same architecture, randomly initialised, the same steps and data); the held-out
 * accuracies form a learning curve (out/bert-learning-curve.png). Then LoRA: rank-4 adapters on
 * every attention output projection and feed-forward layer, the rest frozen except the task head
 * (under 2 % of the parameters trainable), against fine-tuning all parameters, at 5 %.
 *
 * Run: npx tsx examples/bert-mlm.ts && npx tsx examples/bert-finetune.ts [--task=pos | --task=genre]
 * (writes out/bert-learning-curve.png and out/bert-tagger.safetensors, the teacher of examples/distill.ts)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { manualSeed, nn, noGrad, type Tensor } from 'tsgrad';
import { saveFile } from 'tsgrad/node';
import { BERT_WEIGHTS, loadBert } from './bert-mlm.js';
import { brownSplit, readBrown, UNIVERSAL_TAGS, type BrownSplit } from './lib/brown.js';
import { IGNORE, packFiles, padBatch, sampleFraction, taggedSentences, type TaggedPieces } from './lib/bert-data.js';
import { BertClassifier, BertTagger, TinyBert, type BertConfig } from './lib/bert-model.js';
import { isMain } from './lib/is-main.js';
import { linePlot } from './lib/line-plot.js';
import { applyLoRA, trainableFraction } from './lib/lora.js';
import { savePng } from './lib/save-png.js';
import { trainSteps } from './lib/schedule.js';
import type { WordPieceTokenizer } from './lib/wordpiece.js';

/** The two tasks. */
export type Task = 'pos' | 'genre';

/** A task's labelled items: pieces with labels (per position for tagging, one label for a passage). */
export interface TaskData {
  task: Task;
  numClasses: number;
  train: TaggedPieces[];
  test: TaggedPieces[];
}

/** Options of `taskData`. */
export interface TaskDataOptions {
  /** Longest sequence, [CLS] and [SEP] included (the model's maxLen). */
  maxLen: number;
  /** Held-out items evaluated: this many, spread evenly over the held-out files (all when absent). */
  testItems?: number;
}

/** Every `n/count`-th item, so a subset of the held-out files' items still covers them all. */
function spread<T>(items: T[], count?: number): T[] {
  if (count === undefined || count >= items.length) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}

/** The labelled items of a task, training and held-out. */
export function taskData(task: Task, split: BrownSplit, tokenizer: WordPieceTokenizer, opts: TaskDataOptions): TaskData {
  if (task === 'pos') {
    return {
      task, numClasses: UNIVERSAL_TAGS.length,
      train: taggedSentences(split.train, tokenizer, opts.maxLen),
      test: spread(taggedSentences(split.heldOut, tokenizer, opts.maxLen), opts.testItems),
    };
  }
  const passages = (files: BrownSplit['train']): TaggedPieces[] => {
    const packed = packFiles(files, tokenizer, opts.maxLen, (f) => split.genres.indexOf(f.genre));
    return Array.from({ length: packed.count }, (_, i) => ({
      ids: Array.from(packed.ids.subarray(i * opts.maxLen, (i + 1) * opts.maxLen)),
      labels: [packed.labels[i]],
    }));
  };
  return { task, numClasses: split.genres.length, train: passages(split.train), test: spread(passages(split.heldOut), opts.testItems) };
}

/** A task model on an encoder: a tagger or a passage classifier. */
export type TaskModel = BertTagger | BertClassifier;

/** The task's model on `encoder` (its head initialised from the global generator). */
export function taskModel(task: Task, encoder: TinyBert, numClasses: number): TaskModel {
  return task === 'pos' ? new BertTagger(encoder, numClasses) : new BertClassifier(encoder, numClasses);
}

/**
 * A copy of `pretrained` (its own parameters, the same values), or a fresh encoder of `config`;
 * `dropout` replaces the configured rate (pretraining runs without, fine-tuning on few labels with).
 */
export function encoderFrom(pretrained: TinyBert | null, config: BertConfig, dropout = config.dropout): TinyBert {
  const encoder = new TinyBert({ ...(pretrained?.config ?? config), dropout });
  if (pretrained) encoder.loadStateDict(pretrained.stateDict());
  return encoder;
}

/** Logits and the labels they are scored against, flattened: [M, classes] and [M] (IGNORE where unlabelled). */
function logitsAndLabels(model: TaskModel, items: TaggedPieces[]): { logits: Tensor; labels: Tensor } {
  const batch = padBatch(items);
  const logits = model.forward(batch.ids, batch.padding);
  if (model instanceof BertClassifier) return { logits, labels: batch.labels.narrow(1, 0, 1).reshape([-1]) };
  return { logits: logits.reshape([-1, logits.shape[2]]), labels: batch.labels.reshape([-1]) };
}

/** How to fine-tune. */
export interface FinetuneConfig {
  steps: number;
  /** Dropout rate of the encoder while fine-tuning. */
  dropout: number;
  batchSize: number;
  lr: number;
  warmup: number;
  seed: number;
}

/** The full run's settings (the same for pretrained and scratch models). */
export const finetuneConfig: FinetuneConfig = { steps: 150, dropout: 0, batchSize: 16, lr: 3e-3, warmup: 15, seed: 5 };

/** Trains the parameters of `model` that require grad on random batches of `items`; returns each step's loss. */
export function fineTune(model: TaskModel, items: TaggedPieces[], c: FinetuneConfig): number[] {
  return trainSteps(model, { ...c, maxGradNorm: 1 }, (rng) => {
    const batch = Array.from({ length: Math.min(c.batchSize, items.length) }, () => items[rng.nextInt(0, items.length)]);
    const { logits, labels } = logitsAndLabels(model, batch);
    return nn.functional.crossEntropy(logits, labels, { ignoreIndex: IGNORE });
  });
}

/** Accuracy over the labelled positions (tagging) or the passages (genre), in eval mode. */
export function accuracy(model: TaskModel, items: TaggedPieces[], batchSize = 64): number {
  model.eval();
  let correct = 0;
  let count = 0;
  noGrad(() => {
    for (let start = 0; start < items.length; start += batchSize) {
      const { logits, labels } = logitsAndLabels(model, items.slice(start, start + batchSize));
      const keep = labels.ne(IGNORE);
      correct += logits.argmax(1).eq(labels).logicalAnd(keep).sum().item();
      count += keep.sum().item();
    }
  });
  model.train();
  return correct / count;
}

/** One fine-tuning run's outcome. */
export interface RunResult {
  accuracy: number;
  losses: number[];
  model: TaskModel;
  /** Trainable / all parameters. */
  trainable: number;
  total: number;
  seconds: number;
}

/** How a run starts: from the pretrained encoder or from scratch, all parameters or LoRA adapters. */
export interface RunOptions {
  pretrained: TinyBert | null;
  config: BertConfig;
  fraction: number;
  lora?: { rank: number; alpha: number };
}

/** Fine-tunes a model on a seeded `fraction` of the task's training items and scores it on the held-out items. */
export function runTask(data: TaskData, opts: RunOptions, c: FinetuneConfig = finetuneConfig): RunResult {
  const start = Date.now();
  manualSeed(c.seed);
  const model = taskModel(data.task, encoderFrom(opts.pretrained, opts.config, c.dropout), data.numClasses);
  if (opts.lora) applyLoRA(model, { ...opts.lora, targets: ['out_proj', 'linear1', 'linear2'], trainable: [model.head] });
  const items = sampleFraction(data.train.length, opts.fraction, c.seed).map((i) => data.train[i]);
  const losses = fineTune(model, items, c);
  const { trainable, total } = trainableFraction(model);
  return { accuracy: accuracy(model, data.test), losses, model, trainable, total, seconds: (Date.now() - start) / 1000 };
}

/** The label fractions of the learning curve. */
export const FRACTIONS = [0.01, 0.05, 0.2];

/** LoRA's run: rank-4 adapters (scaling α/r = 2) at 5 % of the labels, with a higher learning rate (few parameters, all starting where they do no harm). */
export const LORA = { rank: 4, alpha: 8 };
/** The label fraction of the LoRA comparison. */
export const LORA_FRACTION = 0.05;
/** LoRA's learning rate. */
export const LORA_LR = 1e-2;

/** Where the full run writes the tagger that examples/distill.ts distils. */
export const TAGGER_WEIGHTS = 'out/bert-tagger.safetensors';

/** The Brown split and the two tasks' data for a tokenizer. */
export function brownTasks(tokenizer: WordPieceTokenizer, maxLen: number, testItems: { pos: number; genre: number }): { split: BrownSplit; pos: TaskData; genre: TaskData } {
  const split = brownSplit(readBrown());
  return {
    split,
    pos: taskData('pos', split, tokenizer, { maxLen, testItems: testItems.pos }),
    genre: taskData('genre', split, tokenizer, { maxLen, testItems: testItems.genre }),
  };
}

/** Where each task's learning curve is written (so the two tasks can run in two processes). */
const curveFile = (task: Task) => `out/bert-curve-${task}.json`;

/** Draws the learning curves of the tasks whose points exist (x: log10 of the label fraction, y: accuracy). */
function drawCurves(path: string): void {
  const colours: Record<string, [number, number, number]> = {
    'pos-pretrained': [31, 119, 180], 'pos-scratch': [158, 202, 225], 'genre-pretrained': [214, 39, 40], 'genre-scratch': [252, 146, 114],
  };
  const series = (['pos', 'genre'] as const).filter((t) => existsSync(curveFile(t))).flatMap((t) => {
    const curves = JSON.parse(readFileSync(curveFile(t), 'utf8')) as Record<string, [number, number][]>;
    return Object.entries(curves).map(([name, points]) => ({ points: points.map(([f, a]): [number, number] => [Math.log10(f), a]), colour: colours[name] }));
  });
  savePng(path, linePlot(series, { yRange: [0, 1] }));
}

if (isMain(import.meta.url)) {
  const start = Date.now();
  if (!existsSync(BERT_WEIGHTS)) throw new Error(`${BERT_WEIGHTS} not found: run npx tsx examples/bert-mlm.ts first`);
  // `--task=pos` or `--task=genre` runs one task (the two can then run side by side).
  const only = process.argv.find((a) => a.startsWith('--task='))?.slice('--task='.length);
  const { model: pretrained, tokenizer } = loadBert(BERT_WEIGHTS);
  const config = pretrained.config;
  const tasks = brownTasks(tokenizer, config.maxLen, { pos: 1000, genre: 600 });
  const elapsed = () => `${((Date.now() - start) / 1000).toFixed(0)} s`;
  console.log(`pretrained BERT from ${BERT_WEIGHTS}: d ${config.dModel}, ${config.layers} layers, vocabulary ${tokenizer.size}`);
  mkdirSync('out', { recursive: true });
  for (const task of (['pos', 'genre'] as const).filter((t) => only === undefined || t === only)) {
    const data = tasks[task];
    const curves: Record<string, [number, number][]> = {};
    console.log(`\n${task === 'pos' ? 'part-of-speech tagging (12 universal tags)' : 'genre classification (15 genres)'}: ${data.train.length} training items, ${data.test.length} held-out`);
    let fullAtLoRAFraction: RunResult | null = null;
    for (const fraction of FRACTIONS) {
      const labelled = Math.max(1, Math.ceil(fraction * data.train.length));
      const pre = runTask(data, { pretrained, config, fraction });
      const scratch = runTask(data, { pretrained: null, config, fraction });
      (curves[`${task}-pretrained`] ??= []).push([fraction, pre.accuracy]);
      (curves[`${task}-scratch`] ??= []).push([fraction, scratch.accuracy]);
      console.log(`  ${(100 * fraction).toFixed(0).padStart(2)} % (${labelled} items): pretrained ${(100 * pre.accuracy).toFixed(1)} %, from scratch ${(100 * scratch.accuracy).toFixed(1)} %  (${elapsed()})`);
      if (fraction === LORA_FRACTION) fullAtLoRAFraction = pre;
      if (task === 'pos' && fraction === FRACTIONS[FRACTIONS.length - 1]) {
        mkdirSync(dirname(TAGGER_WEIGHTS), { recursive: true });
        saveFile(TAGGER_WEIGHTS, pre.model.stateDict(), { config: JSON.stringify(config), vocab: JSON.stringify(tokenizer.vocab) });
      }
    }
    const full = fullAtLoRAFraction ?? runTask(data, { pretrained, config, fraction: LORA_FRACTION });
    const lora = runTask(data, { pretrained, config, fraction: LORA_FRACTION, lora: LORA }, { ...finetuneConfig, lr: LORA_LR });
    writeFileSync(curveFile(task), JSON.stringify(curves));
    console.log(`  LoRA at ${100 * LORA_FRACTION} %: ${(100 * lora.accuracy).toFixed(1)} % with ${lora.trainable} of ${lora.total} parameters trainable (${((100 * lora.trainable) / lora.total).toFixed(2)} %); full fine-tuning ${(100 * full.accuracy).toFixed(1)} % (${full.trainable} trainable)  (${elapsed()})`);
  }
  drawCurves('out/bert-learning-curve.png');
  console.log(`\nlearning curve (x: log10 of the label fraction, y: held-out accuracy 0–1; blue: tagging, red: genre; dark: pretrained, light: scratch): out/bert-learning-curve.png`);
  console.log(`total ${elapsed()}`);
}
