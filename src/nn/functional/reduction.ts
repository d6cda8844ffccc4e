/**
 * The `reduction` every loss takes: 'none' keeps the per-element losses, 'sum' adds them,
 * 'mean' averages them (PyTorch's default).
 */
import { ShapeError, fmtShape } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';

/** How a loss combines its per-element values. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Applies `reduction` to the per-element losses. */
export function reduce(loss: Tensor, reduction: Reduction, op: string): Tensor {
  switch (reduction) {
    case 'none':
      return loss;
    case 'sum':
      return loss.sum();
    case 'mean':
      return loss.mean();
    default:
      throw new ShapeError(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
}

/** Throws unless input and target have the same shape (no silent broadcasting of, say, [N,1] against [N]). */
export function checkSameShape(op: string, input: Tensor, target: Tensor): void {
  if (input.ndim !== target.ndim || input.shape.some((s, i) => s !== target.shape[i])) {
    throw new ShapeError(`${op}: input shape ${fmtShape(input.shape)} and target shape ${fmtShape(target.shape)} differ`);
  }
}
