/**
 * CosineAnnealingLR — PyTorch's `lr_scheduler.CosineAnnealingLR` (the annealing half of SGDR):
 *
 *     η_e = η_min + (η_base − η_min) · (1 + cos(π·e / T_max)) / 2
 *
 * Past T_max the cosine carries on, climbing back to η_base at 2·T_max (PyTorch's behaviour; no
 * restart). Computed, as PyTorch does, recursively from the group's current rate, which gives the
 * closed form above when nothing else touches the rate.
 */
import type { ParamGroup } from '../optimizer.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';
import { checkOptions, optionKeys } from '../../options.js';

/** CosineAnnealingLR's options. */
export interface CosineAnnealingLROptions {
  /** Epochs T_max from the base rate down to η_min. */
  tMax: number;
  /** The lowest rate η_min (default 0). */
  etaMin?: number;
}

/**
 * Anneals each group's rate along a cosine from its base rate to η_min over T_max epochs.
 * `new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 100 })`
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period T_max, in epochs. */
  readonly tMax: number;
  /** The lowest rate η_min. */
  readonly etaMin: number;

  constructor(optimizer: AnyOptimizer, options: CosineAnnealingLROptions) {
    checkOptions('CosineAnnealingLR', options, optionKeys<CosineAnnealingLROptions>({ tMax: true, etaMin: true }));
    super(optimizer);
    if (!(options.tMax > 0)) throw new RangeError(`CosineAnnealingLR: tMax must be > 0, got ${options.tMax}`);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  // η_e − η_min = (η_{e−1} − η_min) · (1 + cos(πe/T)) / (1 + cos(π(e−1)/T)), the ratio of two
  // consecutive closed-form values. At e = T+1, 3T+1, … the denominator 1 + cos(π(e−1)/T) is 0,
  // so that step adds the closed-form increment (η_base − η_min)(1 − cos(π/T))/2 instead.
  protected override computeLrs(groups: readonly ParamGroup[]): number[] {
    const e = this.lastEpoch;
    const T = this.tMax;
    const etaMin = this.etaMin;
    if (e === 0) return groups.map((g) => g.lr);
    if ((e - 1 - T) % (2 * T) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T));
    return groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }
}
