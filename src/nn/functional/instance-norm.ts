/**
 * `instanceNorm(x, {runningMean, runningVar, weight, bias, useInputStats, momentum, eps})`:
 * PyTorch's instance normalisation of x (N, C, *): every (sample, channel) plane is normalised
 * over its own S spatial values with the biased variance,
 *   y = (x − E[x]) / √(Var[x] + ε) · γ_c + β_c.
 * With running statistics given, each call also moves them towards the mean over the batch of
 * the per-plane statistics (PyTorch's rule, the unbiased S/(S − 1) variance for runningVar):
 *   running ← (1 − momentum)·running + momentum·mean_n(stat[n, c]).
 * With useInputStats false the running statistics normalise instead (evaluation of a layer
 * that tracks them), exactly as batch norm in evaluation.
 *
 * The planes are contiguous rows of x viewed as [N·C, S], so the normalisation is the fused
 * LayerNormRows Function on that view; the affine map is broadcasting tensor ops.
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { LayerNormRows } from '../../autograd/functions/layer-norm.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { checkOptions } from '../../options.js';
import { isFloating } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { batchNorm } from './batch-norm.js';

/** Options of `instanceNorm` (PyTorch's defaults: input statistics, momentum 0.1, eps 1e-5). */
export interface InstanceNormOptions {
  /** [C], updated in place when given and useInputStats is true. */
  runningMean?: Tensor | null;
  /** [C], updated in place (with the unbiased variance) when given and useInputStats is true. */
  runningVar?: Tensor | null;
  /** γ [C]. */
  weight?: Tensor | null;
  /** β [C]. */
  bias?: Tensor | null;
  /** Normalise with each plane's own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistics in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Instance normalisation of x (N, C, *), one mean and variance per sample and channel.
 * @example instanceNorm(randn([2, 3, 16]))   // each of the 6 rows of 16 values gets mean 0, variance ≈ 1
 */
export function instanceNorm(x: Tensor, opts: InstanceNormOptions = {}, op = 'instanceNorm'): Tensor {
  checkOptions(op, opts, ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps']);
  if (x.ndim < 3) throw new ShapeError(`${op}: expected an input of at least 3 dims (N, C, *), got shape ${fmtShape(x.shape)}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a float input, got ${x.dtype}`);
  const [batch, channels] = x.shape;
  const { runningMean = null, runningVar = null, weight = null, bias = null } = opts;
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', weight], ['bias', bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== channels)) {
      throw new ShapeError(`${op}: ${name} of shape ${fmtShape(t.shape)} does not match the ${channels} channels of input shape ${fmtShape(x.shape)}`);
    }
  }
  const eps = opts.eps ?? 1e-5;
  if (!(opts.useInputStats ?? true)) {
    if (!runningMean || !runningVar) throw new ShapeError(`${op}: useInputStats false needs runningMean and runningVar`);
    return batchNorm(x, runningMean, runningVar, { weight, bias, training: false, eps }, op);
  }
  const spatial = x.shape.slice(2).reduce((a, b) => a * b, 1);
  if (spatial <= 1) throw new ShapeError(`${op}: expected more than 1 spatial element per plane when using input statistics, got input shape ${fmtShape(x.shape)}`);
  const rows = x.contiguous().reshape([batch * channels, spatial]);
  if (runningMean || runningVar) updateRunningStats(rows, batch, channels, runningMean, runningVar, opts.momentum ?? 0.1);
  let y = LayerNormRows.apply(rows, null, null, spatial, eps).reshape([...x.shape]);
  const perChannel = [1, channels, ...new Array<number>(x.ndim - 2).fill(1)];
  if (weight) y = y.mul(weight.reshape(perChannel));
  if (bias) y = y.add(bias.reshape(perChannel));
  return y;
}

/** running ← (1 − momentum)·running + momentum·(the batch mean of each plane's statistic), in place. */
function updateRunningStats(rows: Tensor, batch: number, channels: number, runningMean: Tensor | null, runningVar: Tensor | null, momentum: number): void {
  noGrad(() => {
    const blend = (running: Tensor, perPlane: Tensor) => {
      const batchMean = perPlane.reshape([batch, channels]).mean(0).to(running.dtype);
      running.mul_(1 - momentum).add_(batchMean.mul(momentum));
    };
    if (runningMean) blend(runningMean, rows.mean(1));
    if (runningVar) blend(runningVar, rows.var(1, { unbiased: true }));
  });
}
