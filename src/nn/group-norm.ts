/**
 * GroupNorm: PyTorch's `nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)`. Each
 * sample's channels split into numGroups groups, each normalised over its channels and spatial
 * positions (see functional/group-norm.ts); then weight γ (1s) and bias β (0s), both [numChannels],
 * scale and shift each channel. No running statistics: the same in training and evaluation.
 */
import { ShapeError } from '../errors.js';
import { checkOptions } from '../options.js';
import { ones, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { groupNorm } from './functional/group-norm.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of `GroupNorm` (PyTorch's defaults). */
export interface GroupNormModuleOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-channel γ and β (default true). */
  affine?: boolean;
}

/**
 * Group normalisation over (N, C, *) inputs with learnable per-channel γ and β.
 * @example new nn.GroupNorm(2, 6).forward(randn([4, 6, 8, 8]))   // 2 groups of 3 channels
 */
export class GroupNorm extends Module {
  /** How many groups the channels split into. */
  readonly numGroups: number;
  /** The channels C the input must have. */
  readonly numChannels: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Whether γ and β are learned. */
  readonly affine: boolean;
  /** γ [numChannels] (null without affine). */
  weight: Parameter | null;
  /** β [numChannels] (null without affine). */
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, opts: GroupNormModuleOptions = {}) {
    super();
    checkOptions('GroupNorm', opts, ['eps', 'affine']);
    for (const [name, v] of [['numGroups', numGroups], ['numChannels', numChannels]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ShapeError(`GroupNorm: ${name} must be a positive integer, got ${v}`);
    }
    if (numChannels % numGroups !== 0) throw new ShapeError(`GroupNorm: numChannels ${numChannels} must be divisible by numGroups ${numGroups}`);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = opts.eps ?? 1e-5;
    this.affine = opts.affine ?? true;
    this.weight = this.affine ? new Parameter(ones([numChannels])) : null;
    this.bias = this.affine ? new Parameter(zeros([numChannels])) : null;
  }

  /** x (N, numChannels, *) → same shape. */
  override forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError(`GroupNorm: expected input (N, ${this.numChannels}, *), got shape [${x.shape.join(',')}]`);
    }
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps }, 'GroupNorm');
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}
