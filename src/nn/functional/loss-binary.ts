/**
 * Binary losses for targets t ∈ [0, 1], elementwise then reduced.
 *
 * binaryCrossEntropy(x, t) on probabilities x: −w·[t·log x + (1 − t)·log(1 − x)] (logs ≥ −100).
 * binaryCrossEntropyWithLogits(z, t) on logits z, in the stable form
 *   ℓ = (1 − t)·z + (1 + (p − 1)·t)·softplus(−z),   softplus(u) = log(1 + eᵘ) computed stably,
 * which equals −w·[p·t·log σ(z) + (1 − t)·log(1 − σ(z))] with p = posWeight (default 1), yet
 * never exponentiates a large number: z = ±1000 gives finite losses and gradients.
 */
import { ShapeError, fmtShape } from '../../errors.js';
import { BinaryCrossEntropy } from '../../autograd/functions/binary-cross-entropy.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkSameShape, reduce, type Reduction } from './reduction.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of binaryCrossEntropy. */
export interface BCEOptions {
  /** A rescaling weight broadcast over the elements. */
  weight?: Tensor | null;
  /**
   * How the per-element losses combine: 'mean' (default), 'sum' or 'none' (keep them, shaped like the input).
   */
  reduction?: Reduction;
}

/** Options of binaryCrossEntropyWithLogits. */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of the positive term per class (broadcast over the last dim), e.g. negatives/positives. */
  posWeight?: Tensor | null;
}

/** Binary cross-entropy of probabilities `input` against `target` (same shape). */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BCEOptions = {}, op = 'binaryCrossEntropy'): Tensor {
  checkOptions(op, opts, optionKeys<BCEOptions>({ weight: true, reduction: true }));
  checkSameShape(op, input, target);
  const values = input.data();
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] <= 1)) throw new ShapeError(`${op}: all elements of input should be between 0 and 1, got ${values[i]} at index ${i}`);
  }
  let loss = BinaryCrossEntropy.apply(input, target);
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce(loss, opts.reduction ?? 'mean', op);
}

/**
 * Binary cross-entropy of logits `input` against `target` (same shape), computed stably.
 * `F.binaryCrossEntropyWithLogits(scores, flags)`
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsOptions = {}, op = 'binaryCrossEntropyWithLogits'): Tensor {
  checkOptions(op, opts, optionKeys<BCEWithLogitsOptions>({ weight: true, reduction: true, posWeight: true }));
  checkSameShape(op, input, target);
  const softplusNeg = input.neg().softplus();
  let loss: Tensor;
  if (opts.posWeight) {
    const p = opts.posWeight;
    if (p.ndim > 1 || (p.ndim === 1 && input.ndim > 0 && p.shape[0] !== 1 && p.shape[0] !== input.shape[input.ndim - 1])) {
      throw new ShapeError(`${op}: posWeight of shape ${fmtShape(p.shape)} must broadcast over the last dim of input shape ${fmtShape(input.shape)}`);
    }
    const scale = target.mul(p.sub(1)).add(1);
    loss = target.neg().add(1).mul(input).add(scale.mul(softplusNeg));
  } else {
    loss = target.neg().add(1).mul(input).add(softplusNeg);
  }
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce(loss, opts.reduction ?? 'mean', op);
}
