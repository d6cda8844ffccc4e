/**
 * `dropout(x, p, training)`: inverted dropout. In training each element is zeroed with
 * probability p (drawn from the library's seeded generator) and the survivors are scaled by
 * 1/(1 − p), so the expected output equals the input and evaluation needs no rescaling.
 * Gradients flow through the same mask: ∂y/∂x = mask/(1 − p).
 */
import { DTypeError, ShapeError } from '../../errors.js';
import { allocate, isFloating } from '../../kernels/dtype.js';
import { nextFloat } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkNumberArg } from '../../options.js';

/** Throws unless 0 ≤ p ≤ 1. */
export function checkDropoutP(op: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new ShapeError(`${op}: dropout probability has to be between 0 and 1, got ${p}`);
}

/**
 * x with each element dropped with probability p and the rest scaled by 1/(1 − p); x itself when not training
 * or p = 0. `F.dropout(h, 0.1, model.training)`
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  checkNumberArg('dropout', 'p', p);
  checkDropoutP('dropout', p);
  if (!isFloating(x.dtype)) throw new DTypeError(`dropout: expected a float tensor, got ${x.dtype}`);
  if (!training || p === 0) return x;
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocate(x.dtype, x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = nextFloat() < p ? 0 : scale;
  return x.mul(new Tensor(mask, x.shape, { dtype: x.dtype }));
}
