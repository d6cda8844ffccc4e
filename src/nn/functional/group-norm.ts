/**
 * `groupNorm(x, numGroups, {weight, bias, eps})`: PyTorch's group normalisation of x (N, C, *).
 * The C channels split into numGroups groups of C/numGroups consecutive channels; each sample's
 * group is normalised over its channels and spatial positions with the biased variance,
 *   y = (x − E[x]) / √(Var[x] + ε) · γ_c + β_c
 * with γ, β [C] per channel (not per group). The same in training and evaluation.
 *
 * A group of one sample is a contiguous run of (C/G)·S values, so x viewed as [N·G, (C/G)·S]
 * has one group per row: the normalisation is the fused LayerNormRows Function on that view,
 * then the per-channel affine map in broadcasting tensor ops.
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { LayerNormRows } from '../../autograd/functions/layer-norm.js';
import { checkOptions } from '../../options.js';
import { isFloating } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Options of `groupNorm` (PyTorch's defaults: no affine map, eps 1e-5). */
export interface GroupNormOptions {
  /** γ [C], multiplies each channel after normalising. */
  weight?: Tensor | null;
  /** β [C], added to each channel after normalising. */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Group normalisation of x (N, C, *) over groups of C/numGroups channels.
 * @example groupNorm(x, 2, { weight, bias })   // x [4, 6, 8, 8]: 2 groups of 3 channels
 */
export function groupNorm(x: Tensor, numGroups: number, opts: GroupNormOptions = {}, op = 'groupNorm'): Tensor {
  checkOptions(op, opts, ['weight', 'bias', 'eps']);
  if (x.ndim < 2) throw new ShapeError(`${op}: expected an input of at least 2 dims (N, C, *), got shape ${fmtShape(x.shape)}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a float input, got ${x.dtype}`);
  const [batch, channels] = x.shape;
  if (!Number.isInteger(numGroups) || numGroups < 1 || channels % numGroups !== 0) {
    throw new ShapeError(`${op}: expected the ${channels} channels of input shape ${fmtShape(x.shape)} to divide into numGroups=${numGroups} groups`);
  }
  for (const [name, t] of [['weight', opts.weight], ['bias', opts.bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== channels)) {
      throw new ShapeError(`${op}: ${name} of shape ${fmtShape(t.shape)} does not match the ${channels} channels of input shape ${fmtShape(x.shape)}`);
    }
  }
  const eps = opts.eps ?? 1e-5;
  const groupLength = batch * numGroups === 0 ? 0 : x.size / (batch * numGroups);
  const rows = x.contiguous().reshape([batch * numGroups, groupLength]);
  let y = LayerNormRows.apply(rows, null, null, groupLength, eps).reshape([...x.shape]);
  const perChannel = [1, channels, ...new Array<number>(x.ndim - 2).fill(1)];
  if (opts.weight) y = y.mul(opts.weight.reshape(perChannel));
  if (opts.bias) y = y.add(opts.bias.reshape(perChannel));
  return y;
}
