/**
 * Module: the base of every layer and model. A module finds its parameters and sub-modules by
 * walking its own fields in declaration order — a `Parameter` field is a parameter, a `Module`
 * field (or an array of modules) is a child — and names them as PyTorch does, with dotted paths
 * (`features.0.weight`), so a PyTorch `state_dict` saved as safetensors loads with no renaming.
 *
 * Buffers (state that is not trained, such as BatchNorm's running statistics) are registered
 * with `registerBuffer` and saved in the state dict unless marked non-persistent.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';

/** What `loadStateDict` reports, as PyTorch's `load_state_dict`. */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Base class of layers and models: owns parameters, buffers and sub-modules found from its fields. */
export class Module {
  /** Training mode (dropout active, batch norm uses batch statistics) or evaluation mode. */
  training = true;
  private readonly bufferStore = new Map<string, { tensor: Tensor | null; persistent: boolean }>();

  /** The computation. Subclasses define it. */
  forward(..._args: never[]): unknown {
    throw new Error(`${this.constructor.name}.forward: a Module subclass must define forward()`);
  }

  /** Registers a buffer under `name` (a state-dict key); `persistent: false` keeps it out of the state dict. */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    this.bufferStore.set(name, { tensor, persistent });
  }

  /** The buffer registered as `name`. */
  getBuffer(name: string): Tensor | null {
    const entry = this.bufferStore.get(name);
    if (!entry) throw new Error(`${this.constructor.name}: no buffer named '${name}'`);
    return entry.tensor;
  }

  /** Replaces the buffer `name` (keeping its persistence). */
  setBuffer(name: string, tensor: Tensor | null): void {
    const entry = this.bufferStore.get(name);
    if (!entry) throw new Error(`${this.constructor.name}: no buffer named '${name}'`);
    entry.tensor = tensor;
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
      else if (Array.isArray(value)) value.forEach((v, i) => v instanceof Module && out.push([`${key}.${i}`, v]));
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

  /** Every parameter below this module. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer below this module with its dotted name (persistent or not). */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [path, m] of this.namedModules()) {
      for (const [name, entry] of m.bufferStore) if (entry.tensor) out.push([path ? `${path}.${name}` : name, entry.tensor]);
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

  /** Sets evaluation mode (same as `train(false)`). */
  eval(): this {
    return this.train(false);
  }

  /** Sets every parameter's gradient to null. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Parameters and persistent buffers by dotted name (sharing their elements). */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [path, m] of this.namedModules()) {
      const key = (name: string) => (path ? `${path}.${name}` : name);
      for (const [name, p] of m.ownParameters()) out[key(name)] = p.detach();
      for (const [name, entry] of m.bufferStore) if (entry.tensor && entry.persistent) out[key(name)] = entry.tensor.detach();
    }
    return out;
  }

  /**
   * Copies values from `stateDict` into this module's parameters and persistent buffers. With
   * `strict` (the default) the keys must match exactly. Every check runs before any value is
   * copied, so a load that throws changes nothing.
   */
  loadStateDict(stateDict: Record<string, Tensor>, opts: { strict?: boolean } = {}): LoadResult {
    const strict = opts.strict ?? true;
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts = [];
      if (missingKeys.length) parts.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}.`);
      if (unexpectedKeys.length) parts.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}.`);
      throw new ShapeError(`loadStateDict: error(s) loading state_dict for ${this.constructor.name}: ${parts.join(' ')}`);
    }
    // Every entry is checked before any is written, so a failed load leaves the module unchanged.
    for (const [key, target] of Object.entries(own)) {
      if (!(key in stateDict)) continue;
      const src: unknown = stateDict[key];
      if (!(src instanceof Tensor)) {
        throw new TypeError(`loadStateDict: error loading state_dict for ${this.constructor.name}: the value of "${key}" is ${src === null ? 'null' : typeof src}, not a Tensor`);
      }
      if (src.shape.length !== target.shape.length || src.shape.some((s, i) => s !== target.shape[i])) {
        throw new ShapeError(`loadStateDict: error loading state_dict for ${this.constructor.name}: size mismatch for ${key}: copying a param with shape ${fmtShape(src.shape)}, the shape in the current model is ${fmtShape(target.shape)}`);
      }
    }
    noGrad(() => {
      for (const [key, target] of Object.entries(own)) if (key in stateDict) target.copy_(stateDict[key]);
    });
    return { missingKeys, unexpectedKeys };
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
