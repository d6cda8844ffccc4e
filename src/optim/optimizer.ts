/**
 * The Optimizer base class: parameter groups, per-parameter state, `step`, `zeroGrad`, and a
 * state dict that lets training resume exactly.
 *
 * A subclass supplies one thing, the update rule for one parameter, as a loop over plain typed
 * arrays: the parameter's elements (written in place), its gradient, and the state buffers it keeps.
 * The state lives here, in a Map keyed by the parameter tensor, never on the tensor itself.
 *
 * The state dict follows PyTorch's layout: `state` keyed by the parameter's position across all
 * groups (0, 1, 2, … in group order), and `paramGroups` with each group's options and the
 * positions of its parameters, so a fresh optimizer built over a fresh model of the same shape
 * can load it.
 */
import { AutogradError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { currentBackend } from '../kernels/registry.js';
import type { FloatArray } from '../kernels/dtype.js';
import { isFloating } from '../kernels/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { floatValues } from './buffers.js';
import { checkOptions } from '../options.js';

/** An option value a parameter group may hold (numbers, flags, and pairs such as Adam's betas). */
export type GroupOption = number | boolean | readonly number[];

/** What every parameter group has: its parameters and a learning rate (read live by `step`). */
export interface ParamGroup {
  /** The tensors this group updates. */
  params: Tensor[];
  /** The learning rate; schedulers and users may change it between steps. */
  lr: number;
}

/** A parameter group as passed in: its tensors and any options that override the defaults. */
export type ParamGroupSpec<G extends ParamGroup> = { params: readonly Tensor[] } & Partial<Omit<G, 'params'>>;

/** The `params` argument of every optimizer: a list of tensors, or a list of groups. */
export type ParamsArg<G extends ParamGroup> = readonly Tensor[] | readonly ParamGroupSpec<G>[];

/** One parameter's saved state: step counts as numbers, buffers as tensors. */
export type SavedParamState = Record<string, Tensor | number>;

/** One group as saved: its options, and its parameters as positions across all groups. */
export type SavedParamGroup = { params: number[] } & Record<string, GroupOption>;

/** An optimizer's full state, as `stateDict()` returns and `loadStateDict()` takes it. */
export interface OptimizerStateDict {
  /** Each parameter's state, keyed by its position (parameters without state are absent). */
  state: Record<number, SavedParamState>;
  /** Each group's options and parameter positions. */
  paramGroups: SavedParamGroup[];
}

/** Base class of the optimizers: G is the group type (options included), S one parameter's state. */
export abstract class Optimizer<G extends ParamGroup, S> {
  /** The parameter groups, each with its own options; changes to them take effect at the next step. */
  readonly paramGroups: G[] = [];
  /** Each parameter's state (moment buffers, step counts), created at its first update. */
  readonly state = new Map<Tensor, S>();
  /** The options a group gets when it does not set them. */
  readonly defaults: Omit<G, 'params'>;
  /** The optimizer's name, used in error messages. */
  protected readonly name: string;

  /**
   * `defaults` holds every option with its value; `options` is the object the user passed, whose
   * keys are checked against those of `defaults` before anything else happens.
   */
  constructor(name: string, params: ParamsArg<G>, defaults: Omit<G, 'params'>, options: unknown) {
    checkOptions(name, options, Object.keys(defaults));
    this.name = name;
    this.validateOptions(defaults);
    this.defaults = defaults;
    if (params.length === 0) throw new RangeError(`${name}: got an empty parameter list`);
    if (params.every((p): p is Tensor => p instanceof Tensor)) {
      this.addParamGroup({ params } as ParamGroupSpec<G>);
    } else {
      for (const group of params) {
        if (group instanceof Tensor) throw new TypeError(`${name}: params must be all tensors or all parameter groups, not a mix`);
        this.addParamGroup(group);
      }
    }
  }

  /** Adds a group of parameters (e.g. layers unfrozen during fine-tuning), with its own options. */
  addParamGroup(spec: ParamGroupSpec<G>): void {
    const options: Record<string, GroupOption> = {};
    for (const [key, value] of Object.entries(this.defaults) as [string, GroupOption][]) options[key] = copyOption(value);
    checkOptions(`${this.name} parameter group`, spec, ['params', ...Object.keys(this.defaults)]);
    for (const [key, value] of Object.entries(spec)) {
      if (key === 'params' || value === undefined) continue;
      options[key] = copyOption(value as GroupOption);
    }
    const params = [...spec.params];
    const seen = new Set<Tensor>(this.paramGroups.flatMap((g) => g.params));
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.name}: params must be tensors`);
      if (!isFloating(p.dtype)) throw new DTypeError(`${this.name}: can only optimize float tensors, got ${p.dtype}`);
      if (!p.isLeaf) throw new AutogradError(`${this.name}: can't optimize a non-leaf tensor (made by ${p.gradFn?.name})`);
      if (seen.has(p)) throw new RangeError(`${this.name}: a parameter of shape ${fmtShape(p.shape)} appears more than once in the parameter groups`);
      seen.add(p);
    }
    const group = { ...options, params } as unknown as G;
    this.validateOptions(group);
    this.paramGroups.push(group);
  }

  /**
   * Updates every parameter that has a gradient, by the rule of the subclass. A `closure`, if
   * given, is run first with grad mode on (it should zero the grads, compute the loss and call
   * backward) and its loss is returned.
   * `opt.zeroGrad(); loss.backward(); opt.step()`
   */
  step(closure?: () => Tensor): Tensor | undefined {
    const loss = closure === undefined ? undefined : enableGrad(closure);
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          this.updateOne(p, p.grad, group);
        }
      }
    });
    return loss;
  }

  /** Sets every parameter's gradient to null (the next backward starts from nothing). */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.grad = null;
  }

  /** A snapshot of the state (tensors copied): load it into a like-built optimizer to resume. */
  stateDict(): OptimizerStateDict {
    const state: Record<number, SavedParamState> = {};
    const paramGroups: SavedParamGroup[] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const saved: Record<string, GroupOption> = {};
      for (const [key, value] of Object.entries(group) as [string, GroupOption | Tensor[]][]) {
        if (key !== 'params') saved[key] = copyOption(value as GroupOption);
      }
      const positions: number[] = [];
      for (const p of group.params) {
        const s = this.state.get(p);
        if (s !== undefined) state[index] = this.saveState(s);
        positions.push(index++);
      }
      paramGroups.push({ ...saved, params: positions });
    }
    return { state, paramGroups };
  }

  /**
   * Restores a state dict: every group's options and every parameter's state (tensors copied,
   * cast to the parameter's dtype). Everything is checked before anything changes, so a dict that
   * does not fit (other group sizes, other shapes) throws and leaves the optimizer as it was.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const op = `${this.name}.loadStateDict`;
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new ShapeError(`${op}: the state dict has ${dict.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    }
    const byPosition: Tensor[] = [];
    const newOptions: Record<string, GroupOption>[] = [];
    dict.paramGroups.forEach((saved, i) => {
      const group = this.paramGroups[i];
      if (saved.params.length !== group.params.length) {
        throw new ShapeError(`${op}: parameter group ${i} has ${saved.params.length} parameters in the state dict, ${group.params.length} in the optimizer`);
      }
      saved.params.forEach((position, j) => (byPosition[position] = group.params[j]));
      const options: Record<string, GroupOption> = {};
      checkOptions(`${op}: group ${i}`, saved, ['params', ...Object.keys(this.defaults)]);
      for (const [key, value] of Object.entries(saved)) {
        if (key === 'params') continue;
        const current: unknown = (this.defaults as Record<string, unknown>)[key];
        if (current === undefined || Array.isArray(current) !== Array.isArray(value) || typeof current !== typeof value) {
          throw new TypeError(`${op}: group ${i} has an option '${key}' that ${this.name} does not take in that form`);
        }
        options[key] = copyOption(value);
      }
      const { params: _params, ...currentOptions } = group;
      this.validateOptions({ ...currentOptions, ...options } as unknown as Omit<G, 'params'>);
      newOptions.push(options);
    });
    const newState = new Map<Tensor, S>();
    for (const [key, saved] of Object.entries(dict.state)) {
      const p = byPosition[Number(key)];
      if (p === undefined) throw new ShapeError(`${op}: the state dict has state for parameter ${key}, which no group lists`);
      newState.set(p, this.loadState(saved, p, `${op}: parameter ${key}`));
    }
    this.paramGroups.forEach((group, i) => Object.assign(group, newOptions[i]));
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
  }

  /** Runs the update rule on one parameter: hands it the elements, gradient and state as arrays. */
  private updateOne(p: Tensor, grad: Tensor, group: G): void {
    if (grad.size !== p.size) {
      throw new ShapeError(`${this.name}.step: gradient of shape ${fmtShape(grad.shape)} does not match its parameter's shape ${fmtShape(p.shape)}`);
    }
    const g = floatValues(grad.data(), `${this.name}.step: gradient`);
    let s = this.state.get(p);
    if (s === undefined) {
      s = this.initState(p, group);
      this.state.set(p, s);
    }
    const contiguous = p.isContiguous();
    // A contiguous parameter is updated where it lies; any other is copied out and written back.
    const theta = contiguous
      ? floatValues(p.storage.subarray(p.offset, p.offset + p.size), `${this.name}.step: parameter`)
      : floatValues(p.toTypedArray(), `${this.name}.step: parameter`);
    this.update(theta, g, s, group, p);
    if (!contiguous) currentBackend().stridedWrite(theta, p.storage, p.shape, p.strides, p.offset);
    p.version.value++;
  }

  /** Throws a RangeError naming the option when a value is out of its range. */
  protected abstract validateOptions(options: Omit<G, 'params'>): void;
  /** A parameter's state before its first update. */
  protected abstract initState(p: Tensor, group: G): S;
  /** One update of `theta` (the parameter's elements, changed in place) from its gradient `g`. */
  protected abstract update(theta: FloatArray, g: FloatArray, state: S, group: G, p: Tensor): void;
  /** A parameter's state as a saved record (tensors copied). */
  protected abstract saveState(state: S): SavedParamState;
  /** A saved record as state for `p`, checked (keys, shapes) and copied; `where` prefixes errors. */
  protected abstract loadState(saved: SavedParamState, p: Tensor, where: string): S;
}

/** A copy of an option value, so groups, defaults and state dicts never share an array. */
function copyOption(value: GroupOption): GroupOption {
  return Array.isArray(value) ? [...(value as readonly number[])] : value;
}
