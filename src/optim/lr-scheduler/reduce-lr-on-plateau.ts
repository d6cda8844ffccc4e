/**
 * ReduceLROnPlateau — PyTorch's `lr_scheduler.ReduceLROnPlateau`: driven by a metric instead of
 * the epoch count. Each `step(metric)` compares the metric with the best seen so far:
 *
 *     better (mode 'min'):  rel: m < best·(1 − threshold)    abs: m < best − threshold
 *     better (mode 'max'):  rel: m > best·(1 + threshold)    abs: m > best + threshold
 *
 * A better metric becomes the best and resets the count of bad epochs; any other adds one.
 * During a cooldown (the `cooldown` epochs after a reduction) bad epochs are not counted. When
 * the count exceeds `patience`, every group's rate becomes max(lr·factor, minLr), unless that
 * changes it by no more than `eps`, and the cooldown starts.
 *
 * It is not an LRScheduler subclass, as in PyTorch before 2.2: its step takes the metric.
 */
import { ShapeError } from '../../errors.js';
import { checkOptions } from '../../options.js';
import { Tensor } from '../../tensor/tensor.js';
import type { AnyOptimizer } from './lr-scheduler.js';

/** ReduceLROnPlateau's options (PyTorch's defaults). */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): the metric should fall (a loss); 'max': it should rise (an accuracy). */
  mode?: 'min' | 'max';
  /** Multiplier of the rate at each reduction, below 1 (default 0.1). */
  factor?: number;
  /** Bad epochs tolerated before reducing (default 10). */
  patience?: number;
  /** How much better the metric must be to count as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): threshold relative to the best; 'abs': in the metric's units. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs after a reduction during which bad epochs are not counted (default 0). */
  cooldown?: number;
  /** Lowest rate: one for every group, or one per group (default 0). */
  minLr?: number | readonly number[];
  /** A reduction smaller than this is skipped (default 1e-8). */
  eps?: number;
}

/** ReduceLROnPlateau's state, as `stateDict()` returns and `loadStateDict()` takes it (options included, as PyTorch's). */
export interface ReduceLROnPlateauStateDict {
  /** The options, as the constructor resolved them: whether lower or higher metrics are better. */
  mode: 'min' | 'max';
  /** The factor each reduction multiplies the learning rates by. */
  factor: number;
  /** Epochs without improvement tolerated before a reduction. */
  patience: number;
  /** How much better a metric must be to count as an improvement. */
  threshold: number;
  /** Whether `threshold` is relative to the best metric or absolute. */
  thresholdMode: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. */
  cooldown: number;
  /** The lower bound of each group's learning rate (minLr as one value per group). */
  minLrs: number[];
  /** Reductions smaller than this are skipped. */
  eps: number;
  /** The best metric so far (±Infinity before the first step; null, as JSON writes those, reads as that). */
  best: number | null;
  /** Epochs since the last improvement. */
  numBadEpochs: number;
  /** Cooldown epochs left. */
  cooldownCounter: number;
  /** Steps taken. */
  lastEpoch: number;
  /** Each group's learning rate after the last step. */
  lastLr: number[];
}

const optionKeys = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'];

/**
 * Reduces every group's learning rate by `factor` when a metric stops improving for more than
 * `patience` epochs.
 * @example const s = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 2 }); s.step(valLoss);
 */
export class ReduceLROnPlateau {
  /** The optimizer whose learning rates this scheduler sets. */
  readonly optimizer: AnyOptimizer;
  /** Whether the metric should fall ('min') or rise ('max'). */
  mode: 'min' | 'max' = 'min';
  /** Multiplier of the rate at each reduction. */
  factor = 0.1;
  /** Bad epochs tolerated before reducing. */
  patience = 10;
  /** The improvement needed to count as better. */
  threshold = 1e-4;
  /** Whether threshold is relative ('rel') or absolute ('abs'). */
  thresholdMode: 'rel' | 'abs' = 'rel';
  /** Epochs after a reduction during which bad epochs are not counted. */
  cooldown = 0;
  /** Each group's lowest rate. */
  minLrs: number[];
  /** The smallest change of a rate that is applied. */
  eps = 1e-8;
  /** The best metric so far (+∞ in mode 'min', −∞ in mode 'max' before the first step). */
  best: number;
  /** Epochs since the last improvement (not counted during a cooldown). */
  numBadEpochs = 0;
  /** Cooldown epochs left. */
  cooldownCounter = 0;
  /** Steps taken: 0 after construction. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    checkOptions('ReduceLROnPlateau', options, optionKeys);
    this.optimizer = optimizer;
    const groups = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    const minLrs = typeof minLr === 'number' ? new Array<number>(groups).fill(minLr) : [...minLr];
    if (minLrs.length !== groups) throw new ShapeError(`ReduceLROnPlateau: expected ${groups} minLr values (one per parameter group), got ${minLrs.length}`);
    const settings = {
      mode: options.mode ?? 'min', factor: options.factor ?? 0.1, patience: options.patience ?? 10, threshold: options.threshold ?? 1e-4,
      thresholdMode: options.thresholdMode ?? 'rel', cooldown: options.cooldown ?? 0, minLrs, eps: options.eps ?? 1e-8,
    };
    validate(settings);
    Object.assign(this, settings);
    this.minLrs = minLrs;
    this.best = this.worst();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Whether a reduction's cooldown is running. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Records one epoch's metric (a number or a one-element tensor) and reduces the rates on a plateau. */
  step(metric: number | Tensor): void {
    const current = metricValue(metric);
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.minLrs.length) {
      throw new ShapeError(`ReduceLROnPlateau.step: the optimizer has ${groups.length} parameter groups, the scheduler was made for ${this.minLrs.length}`);
    }
    this.lastEpoch++;
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.inCooldown) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      groups.forEach((g, i) => {
        const reduced = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - reduced > this.eps) g.lr = reduced;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The learning rate of each parameter group after the last step. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's options and progress (PyTorch saves both). */
  stateDict(): ReduceLROnPlateauStateDict {
    const { mode, factor, patience, threshold, thresholdMode, cooldown, eps, best, numBadEpochs, cooldownCounter, lastEpoch } = this;
    return { mode, factor, patience, threshold, thresholdMode, cooldown, minLrs: [...this.minLrs], eps, best, numBadEpochs, cooldownCounter, lastEpoch, lastLr: [...this.lastLr] };
  }

  /** Restores a state from `stateDict()`; checked whole before anything changes. */
  loadStateDict(state: ReduceLROnPlateauStateDict): void {
    const groups = this.optimizer.paramGroups.length;
    if (state.minLrs.length !== groups || state.lastLr.length !== groups) {
      throw new ShapeError(`ReduceLROnPlateau.loadStateDict: the state is for ${state.minLrs.length} parameter groups, the optimizer has ${groups}`);
    }
    validate(state);
    for (const key of ['numBadEpochs', 'cooldownCounter', 'lastEpoch'] as const) {
      if (!Number.isInteger(state[key]) || state[key] < 0) throw new RangeError(`ReduceLROnPlateau.loadStateDict: ${key} must be a non-negative integer, got ${state[key]}`);
    }
    const { mode, factor, patience, threshold, thresholdMode, cooldown, eps, numBadEpochs, cooldownCounter, lastEpoch } = state;
    Object.assign(this, { mode, factor, patience, threshold, thresholdMode, cooldown, eps, numBadEpochs, cooldownCounter, lastEpoch });
    this.minLrs = [...state.minLrs];
    this.best = state.best ?? this.worst();
    this.lastLr = [...state.lastLr];
  }

  /** The starting best: the worst value in this mode. */
  private worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether `a` improves on the best by more than the threshold. */
  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }
}

type Settings = Pick<ReduceLROnPlateauStateDict, 'mode' | 'factor' | 'patience' | 'threshold' | 'thresholdMode' | 'cooldown' | 'minLrs' | 'eps'>;

/** Throws naming the first invalid setting (PyTorch's checks, plus non-negative counts). */
function validate(s: Settings): void {
  const op = 'ReduceLROnPlateau';
  if (s.mode !== 'min' && s.mode !== 'max') throw new TypeError(`${op}: mode must be 'min' or 'max', got '${String(s.mode)}'`);
  if (s.thresholdMode !== 'rel' && s.thresholdMode !== 'abs') throw new TypeError(`${op}: thresholdMode must be 'rel' or 'abs', got '${String(s.thresholdMode)}'`);
  if (!(s.factor < 1 && s.factor >= 0)) throw new RangeError(`${op}: factor must be in [0, 1), got ${s.factor}`);
  if (!Number.isInteger(s.patience) || s.patience < 0) throw new RangeError(`${op}: patience must be a non-negative integer, got ${s.patience}`);
  if (!Number.isInteger(s.cooldown) || s.cooldown < 0) throw new RangeError(`${op}: cooldown must be a non-negative integer, got ${s.cooldown}`);
  if (!(s.threshold >= 0)) throw new RangeError(`${op}: threshold must be ≥ 0, got ${s.threshold}`);
  if (!(s.eps >= 0)) throw new RangeError(`${op}: eps must be ≥ 0, got ${s.eps}`);
  if (s.minLrs.some((v) => !(v >= 0))) throw new RangeError(`${op}: minLr must be ≥ 0, got [${s.minLrs.join(', ')}]`);
}

/** The metric as a number: a number, or the value of a one-element tensor. */
function metricValue(metric: number | Tensor): number {
  if (typeof metric === 'number') return metric;
  if (metric instanceof Tensor) {
    if (metric.size !== 1) throw new ShapeError(`ReduceLROnPlateau.step: expected a one-element metric, got a tensor of shape [${metric.shape.join(',')}]`);
    return metric.item();
  }
  throw new TypeError(`ReduceLROnPlateau.step: expected the metric as a number or a one-element tensor, got ${typeof metric}`);
}
