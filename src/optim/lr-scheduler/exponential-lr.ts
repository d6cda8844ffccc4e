/**
 * ExponentialLR — PyTorch's `lr_scheduler.ExponentialLR`: the rate is multiplied by γ every epoch,
 * so at epoch e it is base · γᵉ.
 */
import type { ParamGroup } from '../optimizer.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';
import { checkOptions, optionKeys } from '../../options.js';

/** ExponentialLR's options. */
export interface ExponentialLROptions {
  /** Factor γ applied every epoch. */
  gamma: number;
}

/** Decays each group's rate by γ every epoch. `new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.95 })` */
export class ExponentialLR extends LRScheduler {
  /** Decay factor γ. */
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, options: ExponentialLROptions) {
    checkOptions('ExponentialLR', options, optionKeys<ExponentialLROptions>({ gamma: true }));
    super(optimizer);
    this.gamma = options.gamma;
    this.initialStep();
  }

  // Recursive form: lr ← lr·γ at every epoch after 0.
  protected override computeLrs(groups: readonly ParamGroup[]): number[] {
    return groups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * this.gamma));
  }
}
