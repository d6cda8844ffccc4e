/**
 * Kullback–Leibler divergence with PyTorch's argument order: `input` holds log-probabilities
 * log q, `target` the probabilities p (or log p with `logTarget`), and elementwise
 *   ℓ = p·(log p − log q)      (0 where p = 0, the limit of p·log p)
 *   ℓ = eˡᵒᵍᵖ·(log p − log q)  with logTarget.
 * Reductions: 'mean' over all elements, 'sum', 'none', and 'batchmean' = sum / batch size,
 * which is the true KL divergence per sample.
 */
import { where } from '../../autograd/functions/binary.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkSameShape, reduce, type Reduction } from './reduction.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of klDiv. */
export interface KLDivOptions {
  /**
   * 'mean' over all elements (default, as PyTorch), 'batchmean' (sum / batch size: the true KL per sample),
   * 'sum' or 'none'.
   */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities (default false). */
  logTarget?: boolean;
}

/**
 * KL(p ‖ q) with input = log q and target = p (see the file comment).
 * `F.klDiv(logits.logSoftmax(1), probs, { reduction: 'batchmean' })`
 */
export function klDiv(input: Tensor, target: Tensor, opts: KLDivOptions = {}, op = 'klDiv'): Tensor {
  checkOptions(op, opts, optionKeys<KLDivOptions>({ reduction: true, logTarget: true }));
  checkSameShape(op, input, target);
  let loss: Tensor;
  if (opts.logTarget) {
    loss = target.exp().mul(target.sub(input));
  } else {
    // p·log p with p = 0 masked to 0; p is replaced by 1 under the log there, so no log 0 is
    // ever evaluated (its ∞ would turn the masked-out gradient into NaN).
    const positive = target.gt(0);
    const safe = where(positive, target, 1);
    loss = where(positive, target.mul(safe.log()), 0).sub(target.mul(input));
  }
  const reduction = opts.reduction ?? 'mean';
  if (reduction === 'batchmean') return loss.sum().div(input.ndim > 0 ? input.shape[0] : 1);
  return reduce(loss, reduction, op);
}
