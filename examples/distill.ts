/**
 * Distillation: a student about half the size of its teacher, trained on the teacher's softened
 * outputs and the labels (examples/lib/distillation.ts: α·T²·KL + (1 − α)·CE), against the same
 * student, from the same initialisation and on the same data and steps, trained on the labels alone.
 *
 * - MNIST: the teacher is the demo's CNN (examples/cnn-mnist.ts: 16 and 32 channels), trained on
 *   the 8,000 training digits; the student has half the channels (8 and 16). The students see only
 *   the first 1,000 training digits (the transfer set; for the distilled one, with the teacher's
 *   outputs on them), where the teacher's knowledge of the other 7,000 has the most to add.
 * - Part-of-speech tagging: the teacher is the pretrained-and-fine-tuned tagger of
 *   examples/bert-finetune.ts (width 64); the student a BERT of half the width (32: under half the
 *   parameters) trained from scratch on 5 % of the training sentences, the loss at each word's
 *   first piece; a third student is distilled with a transfer set — the teacher's outputs on 20 %
 *   of the training sentences, the labels of the same 5 % only (unlabelled text is free; labels are not).
 *
 * Run: npx tsx examples/distill.ts [--only=mnist | --only=tagger]   (the tagger part needs
 * out/bert-tagger.safetensors from examples/bert-finetune.ts; without it only the MNIST part runs)
 */
import { existsSync } from 'node:fs';
import { cat, manualSeed, nn, noGrad, tensor, type Tensor } from 'tsgrad';
import { loadFileWithMetadata } from 'tsgrad/node';
import { demoCnn } from './cnn-mnist.js';
import { accuracy, taskData, TAGGER_WEIGHTS } from './bert-finetune.js';
import { brownSplit, readBrown, UNIVERSAL_TAGS } from './lib/brown.js';
import { IGNORE, padBatch, sampleFraction, type TaggedPieces } from './lib/bert-data.js';
import { BertTagger, TinyBert, type BertConfig } from './lib/bert-model.js';
import { distillationLoss, NO_LABEL, type DistillationOptions } from './lib/distillation.js';
import { isMain } from './lib/is-main.js';
import { loadMnist, type MnistSplit } from './lib/mnist-data.js';
import { trainSteps } from './lib/schedule.js';
import { WordPieceTokenizer } from './lib/wordpiece.js';

/** How a network is trained here: AdamW, warm-up and cosine decay, seeded batches. */
export interface DistillTrainConfig {
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
}

/** The demo CNN with half the channels (8 and 16): about 40 % of its parameters. */
export function halfCnn(): nn.Sequential {
  const block = (inChannels: number, outChannels: number): nn.Module[] => [
    new nn.Conv2d(inChannels, outChannels, 5, { padding: 2 }), new nn.BatchNorm2d(outChannels), new nn.ReLU(), new nn.MaxPool2d(2),
  ];
  return new nn.Sequential(...block(1, 8), ...block(8, 16), new nn.Flatten(), new nn.Linear(16 * 7 * 7, 10));
}

/** The shared short loop (lib/schedule.ts) over `count` examples: `loss(rows)` builds the loss of one batch of row indices. */
function trainOn(model: nn.Module, count: number, c: DistillTrainConfig, loss: (rows: number[]) => Tensor): number[] {
  const steps = { ...c, warmup: Math.ceil(c.steps / 10), maxGradNorm: 5 };
  return trainSteps(model, steps, (rng) => loss(Array.from({ length: Math.min(c.batchSize, count) }, () => rng.nextInt(0, count))));
}

/** Logits of `model` on every image of `images`, in eval mode, in batches: [N, 10]. */
function predict(model: nn.Sequential, images: Tensor, batchSize = 500): Tensor {
  model.eval();
  const parts: Tensor[] = [];
  noGrad(() => {
    for (let s = 0; s < images.shape[0]; s += batchSize) parts.push(model.forward(images.narrow(0, s, Math.min(batchSize, images.shape[0] - s))) as Tensor);
  });
  model.train();
  return cat(parts, 0);
}

/** Fraction of `split` classified correctly. */
export function mnistAccuracy(model: nn.Sequential, split: MnistSplit): number {
  return predict(model, split.images).argmax(1).eq(split.labels).sum().item() / split.labels.shape[0];
}

/** Sizes of the MNIST part. */
export interface MnistDistillConfig {
  teacher: DistillTrainConfig;
  student: DistillTrainConfig;
  /** Training digits the students see (the first ones). */
  transferSize: number;
  /** Held-out digits scored. */
  testSize: number;
  distill: DistillationOptions;
}

/** The full run of the MNIST part. */
export const mnistDistillConfig: MnistDistillConfig = {
  teacher: { steps: 375, batchSize: 64, lr: 3e-3, seed: 0 },
  student: { steps: 300, batchSize: 64, lr: 3e-3, seed: 1 },
  transferSize: 1000,
  testSize: 2000,
  distill: { temperature: 4, alpha: 0.7 },
};

/** A student's outcome. */
export interface StudentResult {
  accuracy: number;
  parameters: number;
  losses: number[];
}

/** A teacher and its students, with their held-out accuracies and the students' losses. */
export interface DistillResult {
  teacher: { accuracy: number; parameters: number };
  labelsOnly: StudentResult;
  distilled: StudentResult;
  /** The tagger's third student: distilled on a transfer set larger than the labelled sentences. */
  withTransferSet?: StudentResult;
  seconds: number;
}

/** The MNIST part: trains the demo CNN, then the half-width student both ways. */
export function distillMnist(c: MnistDistillConfig = mnistDistillConfig, trainSize?: number): DistillResult {
  const start = Date.now();
  const { train, test } = loadMnist({ trainSize, testSize: c.testSize });
  const batchOf = (split: MnistSplit, rows: number[]) => {
    const index = tensor(Int32Array.from(rows));
    return { x: split.images.indexSelect(0, index), y: split.labels.indexSelect(0, index), index };
  };
  manualSeed(c.teacher.seed);
  const teacher = demoCnn();
  trainOn(teacher, train.labels.shape[0], c.teacher, (rows) => {
    const { x, y } = batchOf(train, rows);
    return nn.functional.crossEntropy(teacher.forward(x) as Tensor, y);
  });
  const n = Math.min(c.transferSize, train.labels.shape[0]);
  const transfer: MnistSplit = { images: train.images.narrow(0, 0, n), labels: train.labels.narrow(0, 0, n) };
  const teacherLogits = predict(teacher, transfer.images);
  const student = (distill: boolean) => {
    manualSeed(c.student.seed);
    const model = halfCnn();
    const losses = trainOn(model, n, c.student, (rows) => {
      const { x, y, index } = batchOf(transfer, rows);
      const logits = model.forward(x) as Tensor;
      return distill ? distillationLoss(logits, teacherLogits.indexSelect(0, index), y, c.distill) : nn.functional.crossEntropy(logits, y);
    });
    return { accuracy: mnistAccuracy(model, test), parameters: model.numParameters(), losses };
  };
  return {
    teacher: { accuracy: mnistAccuracy(teacher, test), parameters: teacher.numParameters() },
    labelsOnly: student(false),
    distilled: student(true),
    seconds: (Date.now() - start) / 1000,
  };
}

/** Sizes of the tagger part. */
export interface TaggerDistillConfig {
  /** The student's encoder sizes (vocabulary and length are the teacher's). */
  dModel: number;
  heads: number;
  layers: number;
  dimFeedforward: number;
  dropout: number;
  train: DistillTrainConfig;
  /** Fraction of the training sentences whose labels the students see. */
  fraction: number;
  /**
   * Fraction of the training sentences the third student (distilled with a transfer set) sees:
   * the teacher's outputs on all of them, the labels of the first `fraction` only (the same
   * sentences as the other students': a seeded sample's prefix).
   */
  transferFraction: number;
  /** Held-out sentences scored. */
  testItems: number;
  distill: DistillationOptions;
}

/** The full run of the tagger part. */
export const taggerDistillConfig: TaggerDistillConfig = {
  dModel: 32, heads: 2, layers: 2, dimFeedforward: 64, dropout: 0.1,
  train: { steps: 200, batchSize: 16, lr: 2e-3, seed: 3 },
  fraction: 0.05,
  transferFraction: 0.2,
  testItems: 1500,
  distill: { temperature: 2, alpha: 0.3 },
};

/** A tagger saved by examples/bert-finetune.ts, with its tokenizer. */
export function loadTagger(path: string): { tagger: BertTagger; tokenizer: WordPieceTokenizer } {
  const { tensors, metadata } = loadFileWithMetadata(path);
  const config: unknown = JSON.parse(metadata?.config ?? 'null');
  const vocab: unknown = JSON.parse(metadata?.vocab ?? 'null');
  if (typeof config !== 'object' || config === null || !Array.isArray(vocab)) throw new Error(`loadTagger: ${path} has no config/vocab metadata`);
  const tagger = new BertTagger(new TinyBert(config as BertConfig), UNIVERSAL_TAGS.length);
  tagger.loadStateDict(tensors);
  return { tagger, tokenizer: new WordPieceTokenizer(vocab as string[]) };
}

/** Logits and labels at the labelled positions (each word's first piece) of a batch of sentences. */
function labelledLogits(model: BertTagger, items: TaggedPieces[]): { logits: Tensor; labels: Tensor; at: Tensor } {
  const batch = padBatch(items);
  const flatLabels = batch.labels.reshape([-1]);
  const at = tensor(Int32Array.from(Array.from(flatLabels.toTypedArray()).flatMap((l, i) => (l === IGNORE ? [] : [i]))));
  const logits = model.forward(batch.ids, batch.padding);
  return { logits: logits.reshape([-1, logits.shape[2]]).indexSelect(0, at), labels: flatLabels.indexSelect(0, at), at };
}

/** The tagger part: the teacher's accuracy, then the student from scratch three ways (labels, distilled, distilled with a transfer set). */
export function distillTagger(teacher: BertTagger, tokenizer: WordPieceTokenizer, c: TaggerDistillConfig = taggerDistillConfig): DistillResult {
  const start = Date.now();
  const t = teacher.bert.config;
  const data = taskData('pos', brownSplit(readBrown()), tokenizer, { maxLen: t.maxLen, testItems: c.testItems });
  const items = sampleFraction(data.train.length, c.fraction, c.train.seed).map((i) => data.train[i]);
  // A prefix of the same seeded permutation: the labelled sentences come first.
  const transfer = sampleFraction(data.train.length, Math.max(c.fraction, c.transferFraction), c.train.seed).map((i) => data.train[i]);
  teacher.eval();
  const student = (mode: 'labels' | 'distill' | 'transfer'): StudentResult => {
    manualSeed(c.train.seed);
    const config: BertConfig = { ...t, dModel: c.dModel, heads: c.heads, layers: c.layers, dimFeedforward: c.dimFeedforward, dropout: c.dropout };
    const model = new BertTagger(new TinyBert(config), UNIVERSAL_TAGS.length);
    const pool = mode === 'transfer' ? transfer : items;
    const losses = trainOn(model, pool.length, c.train, (rows) => {
      const batch = rows.map((r) => pool[r]);
      const { logits, labels } = labelledLogits(model, batch);
      if (mode === 'labels') return nn.functional.crossEntropy(logits, labels);
      const taught = noGrad(() => labelledLogits(teacher, batch).logits);
      if (mode === 'distill') return distillationLoss(logits, taught, labels, c.distill);
      // Transfer set: every word's first piece gets the teacher's term, the labels only those of
      // the labelled sentences (rows below items.length), in the order labelledLogits lists them.
      const known = batch.flatMap((s, i) => s.labels.filter((l) => l !== IGNORE).map((l) => (rows[i] < items.length ? l : NO_LABEL)));
      return distillationLoss(logits, taught, tensor(Int32Array.from(known)), c.distill);
    });
    return { accuracy: accuracy(model, data.test), parameters: model.numParameters(), losses };
  };
  return {
    teacher: { accuracy: accuracy(teacher, data.test), parameters: teacher.numParameters() },
    labelsOnly: student('labels'),
    distilled: student('distill'),
    withTransferSet: student('transfer'),
    seconds: (Date.now() - start) / 1000,
  };
}

function report(title: string, r: DistillResult): void {
  const pct = (a: number) => `${(100 * a).toFixed(1)} %`;
  console.log(`${title}  (${r.seconds.toFixed(0)} s)`);
  console.log(`  teacher (${r.teacher.parameters} parameters): ${pct(r.teacher.accuracy)}`);
  console.log(`  student (${r.labelsOnly.parameters} parameters), labels only: ${pct(r.labelsOnly.accuracy)}`);
  console.log(`  student, distilled from the teacher:          ${pct(r.distilled.accuracy)}`);
  if (r.withTransferSet) console.log(`  student, distilled with a transfer set:       ${pct(r.withTransferSet.accuracy)}`);
}

if (isMain(import.meta.url)) {
  const start = Date.now();
  // `--only=mnist` or `--only=tagger` runs one part (the two can then run side by side).
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  if (only !== 'tagger') report('MNIST CNN (students on 1,000 digits)', distillMnist());
  if (only !== 'mnist') {
    if (existsSync(TAGGER_WEIGHTS)) {
      const { tagger, tokenizer } = loadTagger(TAGGER_WEIGHTS);
      report(`part-of-speech tagger (students on ${100 * taggerDistillConfig.fraction} % of the labels; transfer set ${100 * taggerDistillConfig.transferFraction} % of the sentences)`, distillTagger(tagger, tokenizer));
    } else {
      console.log(`no ${TAGGER_WEIGHTS}: run examples/bert-mlm.ts and examples/bert-finetune.ts for the tagger part`);
    }
  }
  console.log(`total ${((Date.now() - start) / 1000).toFixed(0)} s`);
}
