/**
 * InstanceNorm1d / InstanceNorm2d: PyTorch's `nn.InstanceNorm1d/2d(num_features, eps=1e-5,
 * momentum=0.1, affine=False, track_running_stats=False)`. Each sample's channel is normalised
 * over its own spatial values (see functional/instance-norm.ts). With affine, weight γ (1s) and
 * bias β (0s) of shape [numFeatures]; with trackRunningStats, the buffers running_mean (0s),
 * running_var (1s) and num_batches_tracked (0-d integer, kept for PyTorch's state-dict layout;
 * instance norm never advances it, as in PyTorch) are updated in training and used in
 * evaluation. Unbatched inputs ((C, L) for 1d, (C, H, W) for 2d) are accepted.
 */
import { ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { instanceNorm } from './functional/instance-norm.js';
import { NormBase } from './norm-base.js';

/** Options of the instance-norm layers (PyTorch's defaults). */
export interface InstanceNormModuleOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1; null counts as 0, as in PyTorch). */
  momentum?: number | null;
  /** Learn a per-channel γ and β (default false). */
  affine?: boolean;
  /** Keep running statistics and normalise with them in evaluation (default false). */
  trackRunningStats?: boolean;
}

/** What the 1-d and 2-d layers share; `spatialDims` is 1 or 2. */
abstract class InstanceNormBase extends NormBase {
  /** 1 for (N, C, L) inputs, 2 for (N, C, H, W). */
  private readonly spatialDims: number;

  constructor(spatialDims: number, numFeatures: number, opts: InstanceNormModuleOptions) {
    super(numFeatures, opts, { affine: false, trackRunningStats: false });
    this.spatialDims = spatialDims;
  }

  /** Normalises each channel of each sample; x (N, C, *spatial) or unbatched (C, *spatial). */
  override forward(x: Tensor): Tensor {
    const name = this.constructor.name;
    const rank = this.spatialDims + 2;
    if (x.ndim !== rank && x.ndim !== rank - 1) {
      throw new ShapeError(`${name}: expected a ${rank - 1}-d (unbatched) or ${rank}-d (batched) input, got shape ${fmtShape(x.shape)}`);
    }
    const batched = x.ndim === rank ? x : x.unsqueeze(0);
    // As PyTorch: the channel count must match when γ, β or running statistics are per channel;
    // without them numFeatures is unused and any channel count normalises.
    if ((this.affine || this.trackRunningStats) && batched.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${name}: expected input with ${this.numFeatures} channels, got shape ${fmtShape(x.shape)}`);
    }
    const y = instanceNorm(batched, {
      runningMean: this.trackRunningStats ? this.getBuffer('running_mean') : null,
      runningVar: this.trackRunningStats ? this.getBuffer('running_var') : null,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats,
      momentum: this.momentum ?? 0,
      eps: this.eps,
    }, name);
    return x.ndim === rank ? y : y.squeeze(0);
  }
}

/**
 * Instance normalisation over (N, C, L) or unbatched (C, L) inputs.
 * @example new nn.InstanceNorm1d(3).forward(randn([2, 3, 10]))
 */
export class InstanceNorm1d extends InstanceNormBase {
  constructor(numFeatures: number, opts: InstanceNormModuleOptions = {}) {
    super(1, numFeatures, opts);
  }
}

/**
 * Instance normalisation over (N, C, H, W) or unbatched (C, H, W) inputs.
 * @example new nn.InstanceNorm2d(3, { affine: true }).forward(randn([2, 3, 8, 8]))
 */
export class InstanceNorm2d extends InstanceNormBase {
  constructor(numFeatures: number, opts: InstanceNormModuleOptions = {}) {
    super(2, numFeatures, opts);
  }
}
