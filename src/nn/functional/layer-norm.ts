/**
 * `layerNorm(x, normalizedShape, {weight, bias, eps})`: normalises over the last D dims
 * (D = normalizedShape.length) with the biased variance, the same in training and evaluation:
 *   y = (x − E[x]) / √(Var[x] + ε) · γ + β
 * Written with differentiable tensor ops, so gradients (of any order) come from theirs.
 */
import { ShapeError, fmtShape } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Options of `layerNorm`. */
export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/** Layer normalisation over the trailing dims that `normalizedShape` names. */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], opts: LayerNormOptions = {}, op = 'layerNorm'): Tensor {
  const d = normalizedShape.length;
  const trailing = x.shape.slice(x.ndim - d);
  if (x.ndim < d || trailing.some((s, i) => s !== normalizedShape[i])) {
    throw new ShapeError(`${op}: expected input with trailing shape ${fmtShape(normalizedShape)}, got shape ${fmtShape(x.shape)}`);
  }
  const dims = Array.from({ length: d }, (_, i) => x.ndim - d + i);
  const mean = x.mean(dims, true);
  const centered = x.sub(mean);
  const variance = centered.mul(centered).mean(dims, true);
  let y = centered.mul(variance.add(opts.eps ?? 1e-5).rsqrt());
  if (opts.weight) y = y.mul(opts.weight);
  if (opts.bias) y = y.add(opts.bias);
  return y;
}
