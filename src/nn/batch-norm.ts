/**
 * BatchNorm1d / BatchNorm2d with PyTorch's parameters and buffers: weight γ (1s) and bias β
 * (0s) of shape [C]; buffers running_mean (0s), running_var (1s) and num_batches_tracked (a 0-d
 * integer, 0). In training the batch statistics normalise and the running ones are updated
 * (momentum 0.1 by default; momentum null = cumulative average, factor 1/num_batches_tracked);
 * in evaluation the running statistics normalise.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';
import { batchNorm } from './functional/batch-norm.js';
import { NormBase } from './norm-base.js';

/** Options of the batch-norm layers (PyTorch's defaults). */
export interface BatchNormModuleOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1); null = cumulative average. */
  momentum?: number | null;
  /** Learn γ and β (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); without them batch statistics are always used. */
  trackRunningStats?: boolean;
}

/** What the 1-d and 2-d layers share; `checkInput` is the per-layer rank check. */
abstract class BatchNormBase extends NormBase {
  constructor(numFeatures: number, opts: BatchNormModuleOptions) {
    super(numFeatures, opts, { affine: true, trackRunningStats: true });
  }

  /** Throws a ShapeError naming the layer unless x has an accepted rank. */
  protected abstract checkInput(x: Tensor): void;

  /** Normalises x per channel (see the file comment). */
  override forward(x: Tensor): Tensor {
    const name = this.constructor.name;
    this.checkInput(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${name}: expected input with ${this.numFeatures} channels, got shape ${fmtShape(x.shape)}`);
    }
    const runningMean = this.trackRunningStats ? this.getBuffer('running_mean') : null;
    const runningVar = this.trackRunningStats ? this.getBuffer('running_var') : null;
    const useBatchStats = this.training || !this.trackRunningStats;
    let momentum = this.momentum ?? 0;
    if (this.training && this.trackRunningStats) {
      const tracked = this.getBuffer('num_batches_tracked') as Tensor;
      if (x.size / this.numFeatures <= 1) {
        throw new ShapeError(`${name}: expected more than 1 value per channel when training, got input shape ${fmtShape(x.shape)}`);
      }
      noGrad(() => tracked.add_(1));
      if (this.momentum === null) momentum = 1 / tracked.item();
    }
    return batchNorm(x, runningMean, runningVar, { weight: this.weight, bias: this.bias, training: useBatchStats, momentum, eps: this.eps }, name);
  }
}

/** Batch normalisation over (N, C) or (N, C, L) inputs, statistics per channel over N (and L). */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, opts: BatchNormModuleOptions = {}) {
    super(numFeatures, opts);
  }
  protected override checkInput(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError(`BatchNorm1d: expected a 2-d or 3-d input, got shape ${fmtShape(x.shape)}`);
  }
}

/** Batch normalisation over (N, C, H, W) inputs, statistics per channel over N, H and W. */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, opts: BatchNormModuleOptions = {}) {
    super(numFeatures, opts);
  }
  protected override checkInput(x: Tensor): void {
    if (x.ndim !== 4) throw new ShapeError(`BatchNorm2d: expected a 4-d input, got shape ${fmtShape(x.shape)}`);
  }
}
