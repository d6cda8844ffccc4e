/**
 * Module: the base of every layer and model. A module finds its parameters and sub-modules by
 * walking its own fields in declaration order — a `Parameter` field is a parameter, a `Module`
 * field (or an array of modules) is a child — and names them as PyTorch does, with dotted paths
 * (`features.0.weight`), so a PyTorch `state_dict` saved as safetensors loads with no renaming.
 * Any other container field (a plain object, Map, Set, or an array mixing modules with other
 * values or holding parameters) that holds modules or parameters is an error: it would be silently
 * left out, so the walk throws and names ModuleDict, ModuleList, ParameterList or ParameterDict.
 *
 * Buffers (state that is not trained, such as BatchNorm's running statistics) are registered
 * with `registerBuffer` and saved in the state dict unless marked non-persistent.
 *
 * Forward pre-hooks (`registerForwardPreHook`, PyTorch's `register_forward_pre_hook`) run before
 * every `forward` call. Layers call each other's `forward` directly (there is no `__call__`), so
 * the first hook puts a wrapper in the instance's own `forward` (non-enumerable, so the field walk
 * never sees it) that runs the hooks and then the class's `forward`; removing the last hook takes
 * the wrapper away. Pruning (`nn.utils.prune`) uses one to recompute a masked weight.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';
import { assertFieldRegistrable, isModuleArray } from './module-fields.js';
import { checkOptions } from '../options.js';
import { isMarkedInt64, markInt64 } from '../io/int64-marks.js';

/** Options of `Module.loadStateDict` (PyTorch's `strict` and `assign`). */
export interface LoadStateDictOptions {
  /** Keys must match exactly (true by default); missing and unexpected keys are reported either way. */
  strict?: boolean;
  /** Use the state dict's tensors themselves instead of copying into the module's own (false by default). */
  assign?: boolean;
}

/** Options of `Module.registerBuffer`. */
export interface BufferOptions {
  /** PyTorch keeps it as int64: saved as I64 by default [false]. */
  int64?: boolean;
  /** A state dict without it still loads, and it keeps its value [false]. */
  optionalOnLoad?: boolean;
}

/** A registered buffer and how it is saved and loaded. */
interface BufferEntry {
  tensor: Tensor | null;
  persistent: boolean;
  int64: boolean;
  optionalOnLoad: boolean;
}

/** One state-dict entry: its dotted key, the module that owns it and its local name there. */
interface StateSlot {
  key: string;
  module: Module;
  name: string;
  kind: 'parameter' | 'buffer';
  tensor: Tensor;
  optional: boolean;
}

/**
 * Slots grouped by the tensor they hold: one group per distinct tensor, where tied entries (the
 * same object, or the same view of the same storage) share a group. Order: first appearance.
 */
function tiedGroups(slots: readonly StateSlot[]): StateSlot[][] {
  const groups: StateSlot[][] = [];
  const byStorage = new Map<unknown, StateSlot[][]>();
  const sameView = (a: Tensor, b: Tensor) =>
    a === b || (a.offset === b.offset && a.dtype === b.dtype && a.shape.length === b.shape.length &&
      a.shape.every((d, i) => d === b.shape[i] && a.strides[i] === b.strides[i]));
  for (const slot of slots) {
    const candidates = byStorage.get(slot.tensor.storage) ?? [];
    const group = candidates.find((g) => sameView(g[0].tensor, slot.tensor));
    if (group) {
      group.push(slot);
      continue;
    }
    const fresh = [slot];
    candidates.push(fresh);
    byStorage.set(slot.tensor.storage, candidates);
    groups.push(fresh);
  }
  return groups;
}

/**
 * A function run before every `forward` of the module it is registered on, with the module and
 * the arguments `forward` was called with. Its return value is ignored.
 */
export type ForwardPreHook = (module: Module, args: readonly unknown[]) => void;

/** What `registerForwardPreHook` returns, as PyTorch's `RemovableHandle`. */
export interface RemovableHandle {
  /** Unregisters the hook (a second call does nothing). */
  remove(): void;
}

/** What `loadStateDict` reports, as PyTorch's `load_state_dict`. */
export interface LoadResult {
  /** Keys the module expects that the state dict lacks (left unchanged). */
  missingKeys: string[];
  /** Keys of the state dict that name nothing in the module (ignored). */
  unexpectedKeys: string[];
}

/** Base class of layers and models: owns parameters, buffers and sub-modules found from its fields. */
export class Module {
  /** Training mode (dropout active, batch norm uses batch statistics) or evaluation mode. */
  training = true;
  // An ES private field: not an own enumerable property, so the field walk never sees it.
  readonly #buffers = new Map<string, BufferEntry>();
  // One entry object per registration, so one function registered twice runs twice.
  readonly #forwardPreHooks = new Set<{ hook: ForwardPreHook }>();
  // Undoes the forward wrapper the first pre-hook installed (null while none is installed).
  #unwrapForward: (() => void) | null = null;

  /** The computation. Subclasses define it. */
  forward(..._args: never[]): unknown {
    throw new Error(`${this.constructor.name}.forward: a Module subclass must define forward()`);
  }

  /**
   * Registers a buffer under `name` (a state-dict key); `persistent: false` keeps it out of the
   * state dict. `opts.int64`: PyTorch stores it as int64 (saved as I64 by default, see
   * `io.saveSafetensors`); `opts.optionalOnLoad`: a state dict without it still loads, strict or
   * not, and the buffer keeps its value (as PyTorch's BatchNorm does for `num_batches_tracked`).
   *
   * @example this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'int32' }), true, { int64: true, optionalOnLoad: true })
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true, opts: BufferOptions = {}): void {
    checkOptions(`${this.constructor.name}.registerBuffer`, opts, ['int64', 'optionalOnLoad']);
    this.#buffers.set(name, { tensor, persistent, int64: opts?.int64 ?? false, optionalOnLoad: opts?.optionalOnLoad ?? false });
  }

  /** The buffer registered as `name`. */
  getBuffer(name: string): Tensor | null {
    const entry = this.#buffers.get(name);
    if (!entry) throw new Error(`${this.constructor.name}: no buffer named '${name}'`);
    return entry.tensor;
  }

  /** Replaces the buffer `name` (keeping its persistence). */
  setBuffer(name: string, tensor: Tensor | null): void {
    const entry = this.#buffers.get(name);
    if (!entry) throw new Error(`${this.constructor.name}: no buffer named '${name}'`);
    entry.tensor = tensor;
  }

  /**
   * Runs `hook(module, args)` before every `forward` call of this module, in registration order
   * (PyTorch's `register_forward_pre_hook`, without replacing the arguments). Returns a handle
   * whose `remove()` unregisters it.
   *
   * @example const handle = layer.registerForwardPreHook((m, args) => console.log(m.constructor.name, args.length)); handle.remove();
   */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError(`${this.constructor.name}.registerForwardPreHook: expected a function, got ${typeof hook}`);
    const entry = { hook };
    this.#forwardPreHooks.add(entry);
    if (this.#unwrapForward === null) this.#wrapForward();
    return {
      remove: () => {
        if (this.#forwardPreHooks.delete(entry) && this.#forwardPreHooks.size === 0) {
          this.#unwrapForward?.();
          this.#unwrapForward = null;
        }
      },
    };
  }

  /** Puts a `forward` that runs the pre-hooks first in this instance's own (non-enumerable) property. */
  #wrapForward(): void {
    const own = Object.getOwnPropertyDescriptor(this, 'forward');
    const inner = this.forward;
    const hooks = this.#forwardPreHooks;
    const wrapped = (...args: never[]): unknown => {
      for (const { hook } of [...hooks]) hook(this, args);
      return inner.apply(this, args);
    };
    Object.defineProperty(this, 'forward', { value: wrapped, enumerable: false, writable: true, configurable: true });
    this.#unwrapForward = () => {
      if (own) Object.defineProperty(this, 'forward', own);
      else Reflect.deleteProperty(this, 'forward');
    };
  }

  /**
   * Unregisters the buffer `name` (PyTorch's `del module._buffers[name]`): it leaves the state
   * dict and `namedBuffers()`, and `getBuffer(name)` throws afterwards.
   */
  deleteBuffer(name: string): void {
    if (!this.#buffers.delete(name)) throw new Error(`${this.constructor.name}: no buffer named '${name}'`);
  }

  /** Adds a parameter under a name chosen at run time (e.g. `weight_ih_l1`); it is walked like a field. */
  registerParameter(name: string, param: Parameter | null): void {
    Object.defineProperty(this, name, { value: param, enumerable: true, writable: true, configurable: true });
  }

  /** Direct sub-modules with their names, in declaration order. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) out.push([key, value]);
      else if (isModuleArray(value, Module)) value.forEach((v, i) => out.push([`${key}.${i}`, v]));
    }
    return out;
  }

  /** Direct sub-modules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module's own parameters (not its children's), with their field names. */
  protected ownParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [key, value] of Object.entries(this)) if (value instanceof Parameter) out.push([key, value]);
    return out;
  }

  /** This module and all below it, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    for (const [key, value] of Object.entries(this)) assertFieldRegistrable(this, key, value, Module);
    const out: [string, Module][] = [[prefix, this]];
    // Appended one by one: spreading a large subtree into push() would overflow the stack.
    for (const [name, child] of this.namedChildren()) for (const entry of child.namedModules(prefix ? `${prefix}.${name}` : name)) out.push(entry);
    return out;
  }

  /** Every parameter below this module with its dotted name; a parameter shared by two modules appears once. */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    for (const [path, m] of this.namedModules()) {
      for (const [name, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([path ? `${path}.${name}` : name, p]);
      }
    }
    return out;
  }

  /** Every parameter below this module. `new optim.Adam(model.parameters())` */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer below this module with its dotted name (persistent or not). */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [path, m] of this.namedModules()) {
      for (const [name, entry] of m.#buffers) if (entry.tensor) out.push([path ? `${path}.${name}` : name, entry.tensor]);
    }
    return out;
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Sets training mode on this module and every module below it. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (same as `train(false)`). `model.eval()` */
  eval(): this {
    return this.train(false);
  }

  /** Sets every parameter's gradient to null. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Parameters and persistent buffers by dotted name (sharing their elements).
   * `io.saveSafetensors(model.stateDict())`
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [path, m] of this.namedModules()) {
      const key = (name: string) => (path ? `${path}.${name}` : name);
      for (const [name, p] of m.ownParameters()) out[key(name)] = p.detach();
      for (const [name, entry] of m.#buffers) {
        if (!entry.tensor || !entry.persistent) continue;
        const value = entry.tensor.detach();
        if (entry.int64) markInt64(value);
        out[key(name)] = value;
      }
    }
    return out;
  }

  /**
   * Copies values from `stateDict` into this module's parameters and persistent buffers, as
   * PyTorch's `load_state_dict`. With `strict` (the default) the keys must match exactly;
   * `assign: true` makes the module use the given tensors themselves (a parameter keeps its
   * `requiresGrad`) instead of copying into its own. Every check runs before any value is written,
   * so a load that throws changes nothing.
   *
   * Tied weights: entries that are one tensor (a parameter shared by two modules, e.g. an
   * embedding and an output layer) form one group, loaded from whichever of its names the state
   * dict has — PyTorch's `safetensors.torch.save_model` keeps only one of them, and `load_model`
   * does the same — so the other names are not missing. A buffer registered `optionalOnLoad`
   * (BatchNorm's `num_batches_tracked`) keeps its value when absent, strict or not.
   *
   * @example model.loadStateDict(io.loadSafetensors(bytes))
   */
  loadStateDict(stateDict: Record<string, Tensor>, opts: LoadStateDictOptions = {}): LoadResult {
    const op = 'loadStateDict';
    checkOptions(`${this.constructor.name}.${op}`, opts, ['strict', 'assign']);
    if (typeof stateDict !== 'object' || stateDict === null) throw new TypeError(`${op}: expected a state dict (an object of tensors), got ${String(stateDict)}`);
    if (typeof (stateDict as { then?: unknown }).then === 'function') {
      throw new TypeError(`${op}: got a Promise, not a state dict: await it first (io.loadSafetensors returns a Promise for a Response or Blob)`);
    }
    const strict = opts?.strict ?? true;
    const assign = opts?.assign ?? false;
    const has = (key: string) => Object.hasOwn(stateDict, key);
    const groups = tiedGroups(this.stateSlots());
    const ownKeys = new Set(groups.flatMap((g) => g.map((slot) => slot.key)));
    const missingKeys: string[] = [];
    for (const group of groups) {
      if (!group.some((slot) => has(slot.key))) missingKeys.push(...group.filter((slot) => !slot.optional).map((slot) => slot.key));
    }
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !ownKeys.has(k));
    const where = `error loading state_dict for ${this.constructor.name}`;
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts = [];
      if (missingKeys.length) parts.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}.`);
      if (unexpectedKeys.length) parts.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}.`);
      throw new ShapeError(`${op}: error(s) loading state_dict for ${this.constructor.name}: ${parts.join(' ')}`);
    }
    for (const slot of groups.flat()) {
      if (!has(slot.key)) continue;
      const src: unknown = stateDict[slot.key];
      if (!(src instanceof Tensor)) throw new TypeError(`${op}: ${where}: the value of "${slot.key}" is ${src === null ? 'null' : typeof src}, not a Tensor`);
      const target = slot.tensor;
      if (src.shape.length !== target.shape.length || src.shape.some((d, i) => d !== target.shape[i])) {
        throw new ShapeError(`${op}: ${where}: size mismatch for ${slot.key}: copying a param with shape ${fmtShape(src.shape)}, the shape in the current model is ${fmtShape(target.shape)}`);
      }
    }
    for (const group of groups) {
      const present = group.filter((slot) => has(slot.key));
      if (present.length === 0) continue;
      if (assign) {
        // One new tensor for the whole group, so tied entries stay tied.
        const src = stateDict[present[present.length - 1].key];
        const param = group.some((slot) => slot.kind === 'parameter') ? new Parameter(src, group[0].tensor.requiresGrad) : null;
        for (const slot of group) slot.module.assignSlot(slot, param ?? src);
      } else {
        noGrad(() => {
          for (const slot of present) slot.tensor.copy_(stateDict[slot.key]);
        });
      }
      // An int32 buffer loaded from an int64 entry stays int64 when saved again.
      for (const slot of group) if (slot.kind === 'buffer' && present.some((p) => isMarkedInt64(stateDict[p.key]))) slot.module.#buffers.get(slot.name)!.int64 = true;
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Every state-dict entry with the module and local name it belongs to (the slots `loadStateDict` fills). */
  private stateSlots(): StateSlot[] {
    const out: StateSlot[] = [];
    for (const [path, m] of this.namedModules()) {
      const key = (name: string) => (path ? `${path}.${name}` : name);
      for (const [name, p] of m.ownParameters()) out.push({ key: key(name), module: m, name, kind: 'parameter', tensor: p, optional: false });
      for (const [name, entry] of m.#buffers) {
        if (entry.tensor && entry.persistent) out.push({ key: key(name), module: m, name, kind: 'buffer', tensor: entry.tensor, optional: entry.optionalOnLoad });
      }
    }
    return out;
  }

  /** Puts `value` in this module's slot (for `loadStateDict` with `assign`). */
  private assignSlot(slot: StateSlot, value: Tensor): void {
    if (slot.kind === 'buffer') this.setBuffer(slot.name, value);
    else if (value instanceof Parameter) this.setParameter(slot.name, value);
  }

  /**
   * Replaces this module's own parameter `name` (a field, or an entry of a parameter container).
   * `loadStateDict` with `assign` uses it; containers that keep parameters elsewhere override it.
   */
  protected setParameter(name: string, param: Parameter): void {
    if (!(Reflect.get(this, name) instanceof Parameter)) throw new Error(`${this.constructor.name}: no parameter named '${name}'`);
    Reflect.set(this, name, param);
  }

  /** Extra text inside this module's parentheses when printed (e.g. `inFeatures=4, outFeatures=2`). */
  extraRepr(): string {
    return '';
  }

  /** The module tree, printed as PyTorch prints it. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([name, m]) => `  (${name}): ${m.toString().split('\n').join('\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }
}
