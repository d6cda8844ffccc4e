/**
 * What the batch-norm and instance-norm layers share (PyTorch's `_NormBase`): the options, the
 * per-channel γ (1s) and β (0s) when affine, and the running statistics when tracked — buffers
 * running_mean (0s), running_var (1s) and num_batches_tracked (a 0-d integer, saved as int64 as
 * PyTorch does; files without it still load, as PyTorch's norm layers fill it in).
 */
import { ShapeError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { checkOptions, optionKeys } from '../options.js';
import { ones, zeros } from '../tensor/creation.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** The options every norm layer with running statistics takes. */
export interface NormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1); null: see each layer. */
  momentum?: number | null;
  /** Learn a per-channel γ and β (default: the layer's). */
  affine?: boolean;
  /** Keep running statistics and normalise with them in evaluation (default: the layer's). */
  trackRunningStats?: boolean;
}

/** The base of BatchNorm1d/2d and InstanceNorm1d/2d. */
export abstract class NormBase extends Module {
  /** C, the channels (dim 1 of the input). */
  readonly numFeatures: number;
  /** Added to the variance before the square root. */
  readonly eps: number;
  /** Weight of each new batch in the running statistics (null: see each layer). */
  readonly momentum: number | null;
  /** Whether γ and β are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept (and used in evaluation). */
  readonly trackRunningStats: boolean;
  /** γ [numFeatures] (null without affine). */
  weight: Parameter | null;
  /** β [numFeatures] (null without affine). */
  bias: Parameter | null;

  /**
   * @param numFeatures C.
   * @param opts The layer's options (unknown keys throw, naming the layer).
   * @param defaults The layer's defaults for `affine` and `trackRunningStats`.
   */
  protected constructor(numFeatures: number, opts: NormOptions, defaults: { affine: boolean; trackRunningStats: boolean }) {
    super();
    const name = new.target.name;
    checkOptions(name, opts, optionKeys<NormOptions>({ eps: true, momentum: true, affine: true, trackRunningStats: true }));
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new ShapeError(`${name}: numFeatures must be a positive integer, got ${numFeatures}`);
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? defaults.affine;
    this.trackRunningStats = opts.trackRunningStats ?? defaults.trackRunningStats;
    this.weight = this.affine ? new Parameter(ones([numFeatures])) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures])) : null;
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures]));
      this.registerBuffer('running_var', ones([numFeatures]));
      this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'int32' }), true, { int64: true, optionalOnLoad: true });
    }
  }

  /** Resets running_mean to 0, running_var to 1 and num_batches_tracked to 0. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.getBuffer('running_mean')?.zero_();
      this.getBuffer('running_var')?.fill_(1);
      this.getBuffer('num_batches_tracked')?.zero_();
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}
