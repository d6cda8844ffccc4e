/**
 * Regression losses on d = input − target, elementwise then reduced:
 *   MSE   d²
 *   L1    |d|
 *   Huber ½d² where |d| < δ, else δ·(|d| − ½δ)   (quadratic near 0, linear in the tails)
 */
import { ShapeError } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { where } from '../../autograd/functions/binary.js';
import { checkSameShape, reduce, type Reduction } from './reduction.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options every loss takes. */
export interface LossOptions {
  /**
   * How the per-element losses combine: 'mean' (default), 'sum' or 'none' (keep them, shaped like the input).
   */
  reduction?: Reduction;
}

/** Mean squared error (input − target)², reduced. `F.mseLoss(pred, target)` */
export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}, op = 'mseLoss'): Tensor {
  checkOptions(op, opts, optionKeys<LossOptions>({ reduction: true }));
  checkSameShape(op, input, target);
  const d = input.sub(target);
  return reduce(d.mul(d), opts.reduction ?? 'mean', op);
}

/** Mean absolute error |input − target|, reduced. */
export function l1Loss(input: Tensor, target: Tensor, opts: LossOptions = {}, op = 'l1Loss'): Tensor {
  checkOptions(op, opts, optionKeys<LossOptions>({ reduction: true }));
  checkSameShape(op, input, target);
  return reduce(input.sub(target).abs(), opts.reduction ?? 'mean', op);
}

/** Options of huberLoss. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/** Huber loss with threshold δ (see the file comment), reduced. */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberOptions = {}, op = 'huberLoss'): Tensor {
  checkOptions(op, opts, optionKeys<HuberOptions>({ reduction: true, delta: true }));
  checkSameShape(op, input, target);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new ShapeError(`${op}: delta must be positive, got ${delta}`);
  const d = input.sub(target);
  const a = d.abs();
  const loss = where(a.lt(delta), d.mul(d).mul(0.5), a.sub(0.5 * delta).mul(delta));
  return reduce(loss, opts.reduction ?? 'mean', op);
}
