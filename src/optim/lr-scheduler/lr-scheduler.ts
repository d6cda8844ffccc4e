/**
 * The base of the learning-rate schedulers, as PyTorch's `LRScheduler`: made over an optimizer,
 * it takes an initial step (epoch 0) at once; each `step()` advances the epoch counter and writes
 * the new learning rate into every parameter group.
 *
 * Most schedules are written, as in PyTorch, recursively: the new rate is computed from the
 * group's current `lr`, so schedulers can be chained and a rate the user changes by hand carries on.
 */
import { ShapeError } from '../../errors.js';
import type { Optimizer, ParamGroup } from '../optimizer.js';

/** Any optimizer, seen as its parameter groups. */
export type AnyOptimizer = Optimizer<ParamGroup, unknown>;

/** A scheduler's state, as `stateDict()` returns and `loadStateDict()` takes it. */
export interface SchedulerStateDict {
  /** Steps taken: 0 after construction. */
  lastEpoch: number;
  /** Each group's starting learning rate. */
  baseLrs: number[];
  /** Each group's learning rate after the last step. */
  lastLr: number[];
}

/** Base class of the schedulers; a subclass computes each group's rate for `lastEpoch`. */
export abstract class LRScheduler {
  /** The optimizer whose learning rates this scheduler sets. */
  readonly optimizer: AnyOptimizer;
  /** Each group's learning rate when the scheduler was made. */
  baseLrs: number[];
  /** The epoch (step count) the current rates belong to; −1 before the initial step. */
  lastEpoch = -1;
  private lastLr: number[] = [];

  constructor(optimizer: AnyOptimizer) {
    this.optimizer = optimizer;
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * Advances one epoch (or batch, for per-batch schedules) and sets each group's learning rate. `sched.step()`
   */
  step(): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.baseLrs.length) {
      throw new ShapeError(`${this.constructor.name}.step: the optimizer has ${groups.length} parameter groups, the scheduler was made for ${this.baseLrs.length}`);
    }
    this.lastEpoch++;
    const lrs = this.computeLrs(groups);
    groups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs;
  }

  /** The learning rate of each parameter group after the last step. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state (its options are the constructor's arguments and are not included). */
  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  /** Restores a state from `stateDict()` into a scheduler made with the same options. */
  loadStateDict(state: SchedulerStateDict): void {
    if (state.baseLrs.length !== this.baseLrs.length || state.lastLr.length !== this.baseLrs.length) {
      throw new ShapeError(`${this.constructor.name}.loadStateDict: the state is for ${state.baseLrs.length} parameter groups, the scheduler has ${this.baseLrs.length}`);
    }
    this.lastEpoch = state.lastEpoch;
    this.baseLrs = [...state.baseLrs];
    this.lastLr = [...state.lastLr];
  }

  /** Subclasses call this at the end of their constructor: PyTorch's initial step to epoch 0. */
  protected initialStep(): void {
    this.step();
  }

  /** Each group's learning rate for epoch `lastEpoch` (already advanced). */
  protected abstract computeLrs(groups: readonly ParamGroup[]): number[];
}
