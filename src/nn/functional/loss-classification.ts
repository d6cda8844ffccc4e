/**
 * Classification losses over a class dim (dim 1 of (N, C, d1, …), or dim 0 of unbatched (C)).
 *
 * nllLoss, from log-probabilities x and int32 labels y:
 *   ℓ_n = −w[y_n]·x[n, y_n]   (0 where y_n = ignoreIndex)
 *   'mean' = Σ ℓ_n / Σ_{n not ignored} w[y_n]   (a weighted mean, as PyTorch; a batch whose
 *   labels are all ignored has no mean: 0/0 = NaN, as in PyTorch)
 * crossEntropy = nllLoss(logSoftmax(input)), and with label smoothing ε (C classes)
 *   (1 − ε)·nll + ε/C·Σ_n Σ_c −w_c·x[n, c]   (same mean normaliser as nll)
 * With probability targets p (float, input's shape):
 *   ℓ_n = −Σ_c w_c·p'[n, c]·x[n, c],  p' = (1 − ε)·p + ε/C,  'mean' divides by the N·d1·… rows.
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { isFloating } from '../../kernels/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { reduce, type Reduction } from './reduction.js';
import { checkNumberArg, checkOptions, optionKeys } from '../../options.js';

/** Options of nllLoss. */
export interface NLLOptions {
  /** A rescaling weight per class, shape [C]. */
  weight?: Tensor | null;
  /** Labels equal to this contribute nothing (default −100). */
  ignoreIndex?: number;
  /**
   * 'mean' (default: a weighted mean, Σ w[y]·ℓ / Σ w[y] over non-ignored rows), 'sum' or 'none' (one loss per
   * row).
   */
  reduction?: Reduction;
}

/** Options of crossEntropy. */
export interface CrossEntropyOptions extends NLLOptions {
  /** ε in [0, 1]: the target mixes (1 − ε)·target with ε·uniform (default 0). */
  labelSmoothing?: number;
}

/** input (N, C, d…) or (C) as rows [M, C] with the class dim last. */
function classRows(x: Tensor): Tensor {
  if (x.ndim === 1) return x.unsqueeze(0);
  const C = x.shape[1];
  if (x.ndim === 2) return x;
  const order = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2), 1];
  return x.permute(order).reshape([-1, C]);
}

function checkInput(op: string, input: Tensor): number {
  if (input.ndim === 0) throw new ShapeError(`${op}: expected an input of shape (C), (N, C) or (N, C, d1, …), got shape ${fmtShape(input.shape)}`);
  if (!isFloating(input.dtype)) throw new DTypeError(`${op}: expected a float input, got ${input.dtype}`);
  return input.ndim === 1 ? input.shape[0] : input.shape[1];
}

function checkWeight(op: string, weight: Tensor | null | undefined, C: number): void {
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== C)) {
    throw new ShapeError(`${op}: weight of shape ${fmtShape(weight.shape)} must have one entry per class (${C})`);
  }
}

/** The labels' expected shape: input's without the class dim. */
function labelShape(input: Tensor): number[] {
  return input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
}

/** Checks int32 labels: shape, and each in [0, C) or equal to ignoreIndex. Returns them flat. */
function checkLabels(op: string, input: Tensor, target: Tensor, C: number, ignoreIndex: number): Int32Array {
  if (target.dtype !== 'int32') throw new DTypeError(`${op}: class-index targets must be int32, got ${target.dtype}`);
  const expected = labelShape(input);
  if (target.ndim !== expected.length || target.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(`${op}: expected target of shape ${fmtShape(expected)} for input of shape ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
  }
  const labels = target.data() as Int32Array;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== ignoreIndex && (y < 0 || y >= C)) {
      throw new ShapeError(`${op}: label ${y} is out of range for ${C} classes (target index ${i})`);
    }
  }
  return labels;
}

/**
 * The per-row pieces of the index-target losses: for labels y over rows [M, C] of log-probs,
 * the picked −x[n, y_n] (0 for ignored rows), the row weights w[y_n] (0 for ignored) and the
 * keep mask, with ignored labels replaced by 0 so they can be gathered.
 */
function pickLabels(rows: Tensor, labels: Int32Array, weight: Tensor | null, ignoreIndex: number): { picked: Tensor; rowWeight: Tensor; keep: Tensor } {
  const safe = new Int32Array(labels.length);
  const keepData = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const kept = labels[i] !== ignoreIndex;
    safe[i] = kept ? labels[i] : 0;
    keepData[i] = kept ? 1 : 0;
  }
  const index = new Tensor(safe, [labels.length]);
  const keep = new Tensor(keepData, [labels.length], { dtype: 'float64' }).to(rows.dtype);
  const rowWeight = weight ? weight.to(rows.dtype).indexSelect(0, index).mul(keep) : keep;
  const picked = rows.gather(1, index.unsqueeze(1)).squeeze(1);
  return { picked, rowWeight, keep };
}

/** Reduces per-row losses [M] to the labels' shape, their sum, or their weighted mean. */
function reduceRows(op: string, loss: Tensor, reduction: Reduction, normaliser: Tensor, shape: readonly number[]): Tensor {
  if (reduction === 'none') return loss.reshape([...shape]);
  if (reduction === 'sum') return loss.sum();
  if (reduction === 'mean') return loss.sum().div(normaliser.sum());
  return reduce(loss, reduction, op);
}

/**
 * Negative log-likelihood of int32 labels under log-probabilities `input` (see the file comment).
 * `F.nllLoss(logits.logSoftmax(1), labels)`
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLOptions = {}, op = 'nllLoss'): Tensor {
  checkOptions(op, opts, optionKeys<NLLOptions>({ weight: true, ignoreIndex: true, reduction: true }));
  const C = checkInput(op, input);
  checkWeight(op, opts.weight, C);
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const labels = checkLabels(op, input, target, C, ignoreIndex);
  const { picked, rowWeight } = pickLabels(classRows(input), labels, opts.weight ?? null, ignoreIndex);
  return reduceRows(op, picked.mul(rowWeight).neg(), opts.reduction ?? 'mean', rowWeight, target.shape);
}

/**
 * Cross-entropy of logits `input` against int32 class indices (shape of input without the
 * class dim) or class probabilities (float, input's shape); see the file comment.
 * `F.crossEntropy(logits, labels, { labelSmoothing: 0.1 })`
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}, op = 'crossEntropy'): Tensor {
  checkOptions(op, opts, optionKeys<CrossEntropyOptions>({ weight: true, ignoreIndex: true, reduction: true, labelSmoothing: true }));
  const C = checkInput(op, input);
  checkWeight(op, opts.weight, C);
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new ShapeError(`${op}: labelSmoothing must be in [0, 1], got ${eps}`);
  const reduction = opts.reduction ?? 'mean';
  const rows = classRows(input).logSoftmax(1);
  const weight = opts.weight ? opts.weight.to(rows.dtype) : null;
  if (isFloating(target.dtype)) {
    if (target.ndim !== input.ndim || target.shape.some((s, i) => s !== input.shape[i])) {
      throw new ShapeError(`${op}: probability targets must have the input's shape ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
    }
    const probs = eps > 0 ? classRows(target).mul(1 - eps).add(eps / C) : classRows(target);
    const weighted = weight ? rows.mul(weight) : rows;
    const loss = weighted.mul(probs).sum(1).neg();
    if (reduction === 'none') return loss.reshape(labelShape(input));
    return reduce(loss, reduction, op);
  }
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const labels = checkLabels(op, input, target, C, ignoreIndex);
  const { picked, rowWeight, keep } = pickLabels(rows, labels, weight, ignoreIndex);
  const nll = picked.mul(rowWeight).neg();
  if (eps === 0) return reduceRows(op, nll, reduction, rowWeight, target.shape);
  // Smoothing term per row: −Σ_c w_c·x[n, c], zero on ignored rows.
  const smooth = (weight ? rows.mul(weight) : rows).sum(1).neg().mul(keep);
  const loss = nll.mul(1 - eps).add(smooth.mul(eps / C));
  return reduceRows(op, loss, reduction, rowWeight, target.shape);
}

/**
 * int32 labels (*) → one-hot int32 (*, numClasses); numClasses defaults to max label + 1.
 * `F.oneHot(labels, 10)`
 */
export function oneHot(labels: Tensor, numClasses = -1): Tensor {
  checkNumberArg('oneHot', 'numClasses', numClasses);
  if (labels.dtype !== 'int32') throw new DTypeError(`oneHot: labels must be int32, got ${labels.dtype}`);
  const data = labels.data();
  let C = numClasses;
  if (C < 0) {
    C = 0;
    for (let i = 0; i < data.length; i++) C = Math.max(C, data[i] + 1);
  }
  const out = new Int32Array(data.length * C);
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] >= C) throw new ShapeError(`oneHot: label ${data[i]} is out of range for ${C} classes`);
    out[i * C + data[i]] = 1;
  }
  return new Tensor(out, [...labels.shape, C]);
}
