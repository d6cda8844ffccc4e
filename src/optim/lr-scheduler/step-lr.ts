/**
 * StepLR — PyTorch's `lr_scheduler.StepLR`: the rate is multiplied by γ every `stepSize` epochs,
 * so at epoch e it is base · γ^⌊e / stepSize⌋.
 */
import type { ParamGroup } from '../optimizer.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';
import { checkOptions, optionKeys } from '../../options.js';

/** StepLR's options. */
export interface StepLROptions {
  /** Epochs between decays (a positive integer). */
  stepSize: number;
  /** Factor γ applied at each decay (default 0.1). */
  gamma?: number;
}

/**
 * Decays each group's rate by γ every `stepSize` epochs.
 * `new optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 })`
 */
export class StepLR extends LRScheduler {
  /** Epochs between decays. */
  readonly stepSize: number;
  /** Decay factor γ. */
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, options: StepLROptions) {
    checkOptions('StepLR', options, optionKeys<StepLROptions>({ stepSize: true, gamma: true }));
    super(optimizer);
    if (!Number.isInteger(options.stepSize) || options.stepSize < 1) {
      throw new RangeError(`StepLR: stepSize must be a positive integer, got ${options.stepSize}`);
    }
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  // Recursive form: lr ← lr·γ at epochs stepSize, 2·stepSize, …; unchanged otherwise.
  protected override computeLrs(groups: readonly ParamGroup[]): number[] {
    const decay = this.lastEpoch !== 0 && this.lastEpoch % this.stepSize === 0;
    return groups.map((g) => (decay ? g.lr * this.gamma : g.lr));
  }
}
