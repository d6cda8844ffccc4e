/**
 * The Brown corpus as model inputs for the BERT examples: packed sequences for masked-language
 * modelling, BERT's masking rule, tagged sentences for part-of-speech tagging and labelled
 * passages for genre classification. Every sequence is [CLS] pieces… [SEP]; ids are int32.
 */
import { RandomGenerator, tensor, type Tensor } from 'tsgrad';
import { universalTagIndex, type BrownFile } from './brown.js';
import { CLS_ID, MASK_ID, PAD_ID, SEP_ID, SPECIAL_TOKENS, type WordPieceTokenizer } from './wordpiece.js';

/** The label of positions a loss ignores (crossEntropy's ignoreIndex). */
export const IGNORE = -100;

/** Sequences of one length, row after row: ids [count · length]. */
export interface PackedSequences {
  ids: Int32Array;
  length: number;
  count: number;
}

/** Each file's pieces, in order. */
function fileStream(file: BrownFile, tokenizer: WordPieceTokenizer): number[] {
  return file.sentences.flatMap((s) => tokenizer.encode(s.words));
}

/**
 * Each file's piece stream cut into windows of `length − 2` pieces, each wrapped as
 * [CLS] … [SEP] (a file's last, shorter window is dropped). With `labelOf`, each window's label too.
 */
export function packFiles(
  files: BrownFile[], tokenizer: WordPieceTokenizer, length: number, labelOf?: (file: BrownFile) => number,
): PackedSequences & { labels: Int32Array } {
  const body = length - 2;
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const file of files) {
    const stream = fileStream(file, tokenizer);
    for (let s = 0; s + body <= stream.length; s += body) {
      rows.push([CLS_ID, ...stream.slice(s, s + body), SEP_ID]);
      labels.push(labelOf ? labelOf(file) : -1);
    }
  }
  const ids = new Int32Array(rows.length * length);
  rows.forEach((r, i) => ids.set(r, i * length));
  return { ids, length, count: rows.length, labels: Int32Array.from(labels) };
}

/** One batch for masked-language modelling. */
export interface MlmBatch {
  /** Inputs [N, T] after masking. */
  input: Tensor;
  /** Flat indices (row · T + position) of the positions to predict [M]. */
  positions: Tensor;
  /** The original ids at those positions [M]. */
  targets: Tensor;
}

/**
 * BERT's masking of rows `rows` of `seqs`: each non-special position is chosen with probability
 * `rate` (0.15); a chosen position becomes [MASK] with probability 0.8, a random piece with 0.1
 * and stays itself with 0.1; the model must predict the original piece at every chosen position.
 * Draws from `rng` only, so a seeded generator gives the same batch on every run.
 */
export function maskBatch(seqs: PackedSequences, rows: ArrayLike<number>, vocabSize: number, rng: RandomGenerator, rate = 0.15): MlmBatch {
  const T = seqs.length;
  const input = new Int32Array(rows.length * T);
  const positions: number[] = [];
  const targets: number[] = [];
  for (let b = 0; b < rows.length; b++) {
    const row = seqs.ids.subarray(rows[b] * T, rows[b] * T + T);
    input.set(row, b * T);
    for (let t = 0; t < T; t++) {
      const id = row[t];
      if (id < SPECIAL_TOKENS.length || rng.nextFloat() >= rate) continue;
      positions.push(b * T + t);
      targets.push(id);
      const u = rng.nextFloat();
      if (u < 0.8) input[b * T + t] = MASK_ID;
      else if (u < 0.9) input[b * T + t] = rng.nextInt(SPECIAL_TOKENS.length, vocabSize);
    }
  }
  return {
    input: tensor(input, { shape: [rows.length, T] }),
    positions: tensor(Int32Array.from(positions)),
    targets: tensor(Int32Array.from(targets)),
  };
}

/** A sentence as pieces with a label on each word's first piece ([CLS]/[SEP] and later pieces: IGNORE). */
export interface TaggedPieces {
  ids: number[];
  labels: number[];
}

/** The sentences of `files` as pieces with universal-tag labels, cut to `maxLen` positions. */
export function taggedSentences(files: BrownFile[], tokenizer: WordPieceTokenizer, maxLen: number): TaggedPieces[] {
  const out: TaggedPieces[] = [];
  for (const file of files) {
    for (const s of file.sentences) {
      const ids = [CLS_ID];
      const labels = [IGNORE];
      s.words.forEach((w, i) => {
        const pieces = tokenizer.encodeWord(w);
        pieces.forEach((p, k) => {
          ids.push(p);
          labels.push(k === 0 ? universalTagIndex(s.tags[i]) : IGNORE);
        });
      });
      ids.length = Math.min(ids.length, maxLen - 1);
      labels.length = ids.length;
      ids.push(SEP_ID);
      labels.push(IGNORE);
      out.push({ ids, labels });
    }
  }
  return out;
}

/** A padded batch: ids [N, T], padding mask [N, T] (true = padding), labels [N, T]. */
export interface PaddedBatch {
  ids: Tensor;
  padding: Tensor;
  labels: Tensor;
}

/** Pads `items` to the longest one (ids with [PAD], labels with IGNORE). */
export function padBatch(items: TaggedPieces[]): PaddedBatch {
  const T = Math.max(...items.map((s) => s.ids.length));
  const ids = new Int32Array(items.length * T).fill(PAD_ID);
  const labels = new Int32Array(items.length * T).fill(IGNORE);
  const padding = new Uint8Array(items.length * T).fill(1);
  items.forEach((s, b) => {
    ids.set(s.ids, b * T);
    labels.set(s.labels, b * T);
    padding.fill(0, b * T, b * T + s.ids.length);
  });
  return {
    ids: tensor(ids, { shape: [items.length, T] }),
    padding: tensor(padding, { shape: [items.length, T], dtype: 'bool' }),
    labels: tensor(labels, { shape: [items.length, T] }),
  };
}

/** Rows `rows` of packed sequences as a tensor [rows.length, T]. */
export function rowsOf(seqs: PackedSequences, rows: ArrayLike<number>): Tensor {
  const T = seqs.length;
  const out = new Int32Array(rows.length * T);
  for (let b = 0; b < rows.length; b++) out.set(seqs.ids.subarray(rows[b] * T, rows[b] * T + T), b * T);
  return tensor(out, { shape: [rows.length, T] });
}

/** The first ⌈fraction · n⌉ indices of a seeded permutation of 0…n−1 (at least one). */
export function sampleFraction(n: number, fraction: number, seed: number): number[] {
  const rng = new RandomGenerator(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, Math.max(1, Math.ceil(fraction * n)));
}
