/**
 * LinearLR — PyTorch's `lr_scheduler.LinearLR`: the rate's multiplier moves linearly from
 * `startFactor` to `endFactor` over `totalIters` epochs, then stays there:
 *
 *     η_e = η_base · (s + (f − s) · min(e, N) / N)
 */
import type { ParamGroup } from '../optimizer.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';
import { checkOptions, optionKeys } from '../../options.js';

/** LinearLR's options (PyTorch's defaults: startFactor 1/3, endFactor 1, totalIters 5). */
export interface LinearLROptions {
  /** Multiplier s at epoch 0, in (0, 1]. */
  startFactor?: number;
  /** Multiplier f from epoch N on, in [0, 1]. */
  endFactor?: number;
  /** Epochs N the change takes. */
  totalIters?: number;
}

/**
 * Scales each group's rate by a factor that changes linearly over `totalIters` epochs.
 * `new optim.lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 5 })`
 */
export class LinearLR extends LRScheduler {
  /** Multiplier s at epoch 0. */
  readonly startFactor: number;
  /** Multiplier f at epoch N and after. */
  readonly endFactor: number;
  /** Epochs N. */
  readonly totalIters: number;

  constructor(optimizer: AnyOptimizer, options: LinearLROptions = {}) {
    checkOptions('LinearLR', options, optionKeys<LinearLROptions>({ startFactor: true, endFactor: true, totalIters: true }));
    super(optimizer);
    const startFactor = options.startFactor ?? 1 / 3;
    const endFactor = options.endFactor ?? 1;
    if (!(startFactor > 0 && startFactor <= 1)) throw new RangeError(`LinearLR: startFactor must be in (0, 1], got ${startFactor}`);
    if (!(endFactor >= 0 && endFactor <= 1)) throw new RangeError(`LinearLR: endFactor must be in [0, 1], got ${endFactor}`);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = options.totalIters ?? 5;
    this.initialStep();
  }

  // Recursive form: epoch 0 scales the rate by s; epoch e ≤ N by the ratio of consecutive
  // multipliers, (s + (f−s)e/N) / (s + (f−s)(e−1)/N) = 1 + (f − s) / (N·s + (e − 1)(f − s)).
  protected override computeLrs(groups: readonly ParamGroup[]): number[] {
    const e = this.lastEpoch;
    const s = this.startFactor;
    const f = this.endFactor;
    const N = this.totalIters;
    if (e === 0) return groups.map((g) => g.lr * s);
    if (e > N) return groups.map((g) => g.lr);
    const ratio = 1 + (f - s) / (N * s + (e - 1) * (f - s));
    return groups.map((g) => g.lr * ratio);
  }
}
