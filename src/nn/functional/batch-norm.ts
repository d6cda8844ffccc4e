/**
 * `batchNorm`: per-channel normalisation of x (N, C, *) over every dim but the channel dim.
 *
 * Training: y = (x − μ_B)/√(σ²_B + ε)·γ + β with the batch mean μ_B and **biased** batch
 * variance σ²_B; the running statistics, when given, move towards the batch's
 *   running = (1 − momentum)·running + momentum·batch
 * using the **unbiased** variance n/(n − 1)·σ²_B for running_var (PyTorch's rule).
 * Evaluation: the same formula with the running statistics in place of the batch's.
 * Training runs the fused Function BatchNormTraining (autograd/functions/batch-norm.ts), which
 * hands back the batch statistics for the running-stat update (done under noGrad); evaluation
 * is written with differentiable tensor ops.
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { BatchNormTraining } from '../../autograd/functions/batch-norm.js';
import { isFloating } from '../../kernels/dtype.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of `batchNorm` (PyTorch's defaults: not training, momentum 0.1, eps 1e-5). */
export interface BatchNormOptions {
  /** γ [C], a per-channel scale (none: 1). */
  weight?: Tensor | null;
  /** β [C], a per-channel shift (none: 0). */
  bias?: Tensor | null;
  /** Use (and update) batch statistics. */
  training?: boolean;
  /** Weight of the new batch in the running averages. */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/** Batch normalisation of x (N, C, *); `runningMean`/`runningVar` [C] are updated in place when training. */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions = {}, op = 'batchNorm'): Tensor {
  checkOptions(op, opts, optionKeys<BatchNormOptions>({ weight: true, bias: true, training: true, momentum: true, eps: true }));
  if (x.ndim < 2) throw new ShapeError(`${op}: expected an input of at least 2 dims (N, C, *), got shape ${fmtShape(x.shape)}`);
  const channels = x.shape[1];
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', opts.weight], ['bias', opts.bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== channels)) {
      throw new ShapeError(`${op}: ${name} of shape ${fmtShape(t.shape)} does not match the ${channels} channels of input shape ${fmtShape(x.shape)}`);
    }
  }
  const training = opts.training ?? false;
  if (!training && (!runningMean || !runningVar)) {
    throw new ShapeError(`${op}: evaluation mode needs runningMean and runningVar (or pass training: true)`);
  }
  const perChannel = [1, channels, ...new Array<number>(x.ndim - 2).fill(1)];
  const eps = opts.eps ?? 1e-5;
  if (training) {
    const n = x.size / channels;
    if (n <= 1) throw new ShapeError(`${op}: expected more than 1 value per channel when training, got input shape ${fmtShape(x.shape)}`);
    if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a float input, got ${x.dtype}`);
    const momentum = opts.momentum ?? 0.1;
    // running = (1 − momentum)·running + momentum·batch, with the unbiased variance for running_var.
    const updateRunning = (mean: Float64Array, biasedVariance: Float64Array): void => {
      noGrad(() => {
        if (runningMean) blendInto(runningMean, mean, momentum, 1);
        if (runningVar) blendInto(runningVar, biasedVariance, momentum, n / (n - 1));
      });
    };
    return BatchNormTraining.apply(x.contiguous(), opts.weight ?? null, opts.bias ?? null, eps, updateRunning);
  }
  const mean = (runningMean as Tensor).reshape(perChannel);
  const variance = (runningVar as Tensor).reshape(perChannel);
  return affine(x.sub(mean).mul(variance.add(eps).rsqrt()), opts, perChannel);
}

/** y·γ + β with γ, β [C] broadcast over (N, C, *). */
function affine(y: Tensor, opts: BatchNormOptions, perChannel: number[]): Tensor {
  let out = y;
  if (opts.weight) out = out.mul(opts.weight.reshape(perChannel));
  if (opts.bias) out = out.add(opts.bias.reshape(perChannel));
  return out;
}

/** running ← (1 − momentum)·running + momentum·factor·batch, in place. */
function blendInto(running: Tensor, batch: Float64Array, momentum: number, factor: number): void {
  const update = tensor(Array.from(batch, (v) => v * factor * momentum), { dtype: running.dtype });
  running.mul_(1 - momentum).add_(update);
}
