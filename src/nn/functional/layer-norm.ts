/**
 * `layerNorm(x, normalizedShape, {weight, bias, eps})`: normalises over the last D dims
 * (D = normalizedShape.length) with the biased variance, the same in training and evaluation:
 *   y = (x − E[x]) / √(Var[x] + ε) · γ + β
 * The arithmetic is the fused Function LayerNormRows (autograd/functions/layer-norm.ts).
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { LayerNormRows } from '../../autograd/functions/layer-norm.js';
import { isFloating } from '../../kernels/dtype.js';
import { shapeSize } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of `layerNorm`. */
export interface LayerNormOptions {
  /** γ, shaped like `normalizedShape`, multiplied in after normalising (none: 1). */
  weight?: Tensor | null;
  /** β, shaped like `normalizedShape`, added after γ (none: 0). */
  bias?: Tensor | null;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/**
 * Layer normalisation over the trailing dims that `normalizedShape` names.
 * `F.layerNorm(h, [h.shape[h.ndim - 1]])`
 */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], opts: LayerNormOptions = {}, op = 'layerNorm'): Tensor {
  checkOptions(op, opts, optionKeys<LayerNormOptions>({ weight: true, bias: true, eps: true }));
  const d = normalizedShape.length;
  const trailing = x.shape.slice(x.ndim - d);
  if (x.ndim < d || trailing.some((s, i) => s !== normalizedShape[i])) {
    throw new ShapeError(`${op}: expected input with trailing shape ${fmtShape(normalizedShape)}, got shape ${fmtShape(x.shape)}`);
  }
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a float input, got ${x.dtype}`);
  for (const [name, t] of [['weight', opts.weight], ['bias', opts.bias]] as const) {
    if (t && (t.ndim !== d || t.shape.some((s, i) => s !== normalizedShape[i]))) {
      throw new ShapeError(`${op}: ${name} of shape ${fmtShape(t.shape)} must have the normalized shape ${fmtShape(normalizedShape)}`);
    }
  }
  return LayerNormRows.apply(x.contiguous(), opts.weight ?? null, opts.bias ?? null, shapeSize(normalizedShape), opts.eps ?? 1e-5);
}
