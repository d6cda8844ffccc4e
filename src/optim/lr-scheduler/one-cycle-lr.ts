/**
 * OneCycleLR (Smith & Topin, "super-convergence") — PyTorch's `lr_scheduler.OneCycleLR`, stepped
 * once per batch. The rate climbs from maxLr/divFactor to maxLr over the first pctStart of the
 * steps, then anneals down to (maxLr/divFactor)/finalDivFactor; the momentum (SGD's `momentum`,
 * or β1 of Adam's `betas`) moves the opposite way, between maxMomentum and baseMomentum.
 *
 * With threePhase the descent is split: back down to the initial rate by step 2·pctStart·total,
 * then to the minimum. Each phase interpolates from its start value to its end value by a cosine
 * (default) or linearly, in closed form from the step number.
 */
import type { ParamGroup } from '../optimizer.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';
import { checkOptions, optionKeys } from '../../options.js';

/** OneCycleLR's options (PyTorch's defaults). */
export interface OneCycleLROptions {
  /** Peak learning rate: one for all groups, or one per group. */
  maxLr: number | readonly number[];
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** Epochs (with `stepsPerEpoch`) when `totalSteps` is not given. */
  epochs?: number;
  /** Steps per epoch (with `epochs`) when `totalSteps` is not given. */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent raising the rate (default 0.3). */
  pctStart?: number;
  /** Interpolation within a phase: 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum inversely to the rate (default true). */
  cycleMomentum?: boolean;
  /** Lowest momentum, reached at the peak rate (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** Highest momentum, at the start and end (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** The initial rate is maxLr / divFactor (default 25). */
  divFactor?: number;
  /** The final rate is the initial rate / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Use three phases (up, back down to the initial rate, then to the minimum) instead of two. */
  threePhase?: boolean;
}

/** One phase of the cycle: it ends at `endStep` (a fractional step index, as in PyTorch). */
interface Phase {
  endStep: number;
  startLr: 'initial' | 'max' | 'min';
  endLr: 'initial' | 'max' | 'min';
  startMomentum: 'max' | 'base';
  endMomentum: 'max' | 'base';
}

/** Whether a group holds momentum as SGD/RMSprop do, as β1 of `betas` as Adam does, or not at all. */
type MomentumKind = 'momentum' | 'betas';

/**
 * The one-cycle policy: rate up then down over `totalSteps` batches, momentum the other way.
 * `new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 1000 })`
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the cycle. */
  readonly totalSteps: number;
  /** Per group: the rate at step 0 (maxLr / divFactor). */
  readonly initialLrs: readonly number[];
  /** Per group: the peak rate. */
  readonly maxLrs: readonly number[];
  /** Per group: the final rate (initial / finalDivFactor). */
  readonly minLrs: readonly number[];
  /** Per group: the momentum at the peak rate, when cycling momentum. */
  readonly baseMomentums: readonly number[];
  /** Per group: the momentum at the start and end, when cycling momentum. */
  readonly maxMomentums: readonly number[];
  /** Whether momentum is cycled. */
  readonly cycleMomentum: boolean;
  private readonly phases: readonly Phase[];
  private readonly anneal: (start: number, end: number, pct: number) => number;
  private readonly momentumKind: MomentumKind | null;

  constructor(optimizer: AnyOptimizer, options: OneCycleLROptions) {
    checkOptions('OneCycleLR', options, optionKeys<OneCycleLROptions>({
      maxLr: true, totalSteps: true, epochs: true, stepsPerEpoch: true, pctStart: true, annealStrategy: true, cycleMomentum: true, baseMomentum: true, maxMomentum: true, divFactor: true, finalDivFactor: true, threePhase: true,
    }));
    super(optimizer);
    const groups = optimizer.paramGroups;
    const totalSteps = resolveTotalSteps(options);
    const pctStart = options.pctStart ?? 0.3;
    if (!(pctStart >= 0 && pctStart <= 1)) throw new RangeError(`OneCycleLR: pctStart must be in [0, 1], got ${pctStart}`);
    const strategy = options.annealStrategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear') throw new RangeError(`OneCycleLR: annealStrategy must be 'cos' or 'linear', got ${String(strategy)}`);
    const divFactor = options.divFactor ?? 25;
    const finalDivFactor = options.finalDivFactor ?? 1e4;
    this.totalSteps = totalSteps;
    this.maxLrs = perGroup(options.maxLr, groups.length, 'maxLr');
    this.initialLrs = this.maxLrs.map((m) => m / divFactor);
    this.minLrs = this.initialLrs.map((m) => m / finalDivFactor);
    this.baseMomentums = perGroup(options.baseMomentum ?? 0.85, groups.length, 'baseMomentum');
    this.maxMomentums = perGroup(options.maxMomentum ?? 0.95, groups.length, 'maxMomentum');
    this.cycleMomentum = options.cycleMomentum ?? true;
    this.anneal = strategy === 'cos' ? annealCos : annealLinear;
    this.phases = options.threePhase
      ? [
          { endStep: pctStart * totalSteps - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: 2 * pctStart * totalSteps - 2, startLr: 'max', endLr: 'initial', startMomentum: 'base', endMomentum: 'max' },
          { endStep: totalSteps - 1, startLr: 'initial', endLr: 'min', startMomentum: 'max', endMomentum: 'max' },
        ]
      : [
          { endStep: pctStart * totalSteps - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: totalSteps - 1, startLr: 'max', endLr: 'min', startMomentum: 'base', endMomentum: 'max' },
        ];
    this.momentumKind = this.cycleMomentum ? momentumKindOf(groups) : null;
    this.baseLrs = [...this.initialLrs];
    groups.forEach((g, i) => {
      g.lr = this.initialLrs[i];
      if (this.momentumKind !== null) setMomentum(g, this.momentumKind, this.maxMomentums[i]);
    });
    this.initialStep();
  }

  // pct = how far through its phase step e lies; rate and momentum interpolate by it.
  protected override computeLrs(groups: readonly ParamGroup[]): number[] {
    const e = this.lastEpoch;
    if (e > this.totalSteps) {
      throw new RangeError(`OneCycleLR: tried to step ${e} times; the cycle has ${this.totalSteps} steps`);
    }
    // The phase holding step e: the first whose end is not before e (the last one takes the rest).
    let k = 0;
    let startStep = 0;
    while (k < this.phases.length - 1 && e > this.phases[k].endStep) startStep = this.phases[k++].endStep;
    const phase = this.phases[k];
    const pct = (e - startStep) / (phase.endStep - startStep);
    return groups.map((g, i) => {
      if (this.momentumKind !== null) {
        const momentums = { base: this.baseMomentums[i], max: this.maxMomentums[i] };
        setMomentum(g, this.momentumKind, this.anneal(momentums[phase.startMomentum], momentums[phase.endMomentum], pct));
      }
      const lrs = { initial: this.initialLrs[i], max: this.maxLrs[i], min: this.minLrs[i] };
      return this.anneal(lrs[phase.startLr], lrs[phase.endLr], pct);
    });
  }
}

/** Cosine interpolation: start at pct 0, end at pct 1, following (1 + cos(π·pct))/2. */
function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/** Linear interpolation from start (pct 0) to end (pct 1). */
function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

function resolveTotalSteps(options: OneCycleLROptions): number {
  if (options.totalSteps !== undefined) {
    if (!Number.isInteger(options.totalSteps) || options.totalSteps <= 0) {
      throw new RangeError(`OneCycleLR: totalSteps must be a positive integer, got ${options.totalSteps}`);
    }
    return options.totalSteps;
  }
  const { epochs, stepsPerEpoch } = options;
  if (epochs === undefined || stepsPerEpoch === undefined) {
    throw new RangeError('OneCycleLR: give totalSteps, or both epochs and stepsPerEpoch');
  }
  if (!Number.isInteger(epochs) || epochs <= 0) throw new RangeError(`OneCycleLR: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch <= 0) {
    throw new RangeError(`OneCycleLR: stepsPerEpoch must be a positive integer, got ${stepsPerEpoch}`);
  }
  return epochs * stepsPerEpoch;
}

/** A per-group list from one value or a list with one value per group. */
function perGroup(value: number | readonly number[], groups: number, name: string): number[] {
  if (typeof value === 'number') return new Array<number>(groups).fill(value);
  if (value.length !== groups) throw new RangeError(`OneCycleLR: ${name} has ${value.length} values for ${groups} parameter groups`);
  return [...value];
}

function momentumKindOf(groups: readonly ParamGroup[]): MomentumKind {
  const g = groups[0];
  if ('betas' in g && isPair(g.betas)) return 'betas';
  if ('momentum' in g && typeof g.momentum === 'number') return 'momentum';
  throw new RangeError('OneCycleLR: the optimizer has neither momentum nor betas; pass cycleMomentum: false');
}

function isPair(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

/** Sets a group's momentum, or β1 of its betas (keeping β2). */
function setMomentum(g: ParamGroup, kind: MomentumKind, value: number): void {
  if (kind === 'betas' && 'betas' in g && isPair(g.betas)) g.betas = [value, g.betas[1]];
  else if (kind === 'momentum' && 'momentum' in g) g.momentum = value;
}
