/**
 * nn.ModuleDict: sub-modules under string keys, as PyTorch's ModuleDict. Each module is a child
 * named by its key (kept in insertion order), so its parameters are `key.weight`, … in the state
 * dict. It has no forward of its own: its owner decides which modules to call.
 */
import { checkKey } from './container-keys.js';
import { Module } from './module.js';

/** Modules by name, registered as children under their keys. @example new nn.ModuleDict({ enc: new nn.Linear(4, 8) }) */
export class ModuleDict extends Module {
  readonly #items = new Map<string, Module>();

  constructor(modules: Record<string, Module> | Iterable<readonly [string, Module]> = {}) {
    super();
    this.update(modules);
  }

  /** The modules under their keys, in insertion order (the children the state dict walks). */
  override namedChildren(): [string, Module][] {
    return [...this.#items];
  }

  /** Number of modules. */
  get size(): number {
    return this.#items.size;
  }

  /** The module under `key`, or undefined. */
  get(key: string): Module | undefined {
    return this.#items.get(key);
  }

  /** True when a module is stored under `key`. */
  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** Stores `module` under `key` (replacing any module there; a new key goes last). */
  set(key: string, module: Module): this {
    checkKey('ModuleDict', key);
    if (!(module instanceof Module)) throw new TypeError(`ModuleDict: the value for key '${key}' must be a Module, got ${describe(module)}`);
    this.#items.set(key, module);
    return this;
  }

  /** Removes and returns the module under `key` (PyTorch's `pop`). */
  pop(key: string): Module {
    const m = this.#items.get(key);
    if (!m) throw new Error(`ModuleDict: no module under key '${key}' (keys: ${[...this.#items.keys()].join(', ') || 'none'})`);
    this.#items.delete(key);
    return m;
  }

  /** Removes every module. */
  clear(): void {
    this.#items.clear();
  }

  /** Adds or replaces modules from a record or [key, module] pairs, in order. */
  update(modules: Record<string, Module> | Iterable<readonly [string, Module]>): this {
    const pairs = isIterable(modules) ? [...modules] : Object.entries(modules);
    // Check everything first, so a bad entry leaves the dict as it was.
    pairs.forEach(([k, m]) => {
      checkKey('ModuleDict', k);
      if (!(m instanceof Module)) throw new TypeError(`ModuleDict: the value for key '${k}' must be a Module, got ${describe(m)}`);
    });
    for (const [k, m] of pairs) this.#items.set(k, m);
    return this;
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return [...this.#items.keys()];
  }

  /** The modules, in insertion order. */
  values(): Module[] {
    return [...this.#items.values()];
  }

  /** [key, module] pairs, in insertion order. */
  entries(): [string, Module][] {
    return [...this.#items];
  }

  /** Iterates over the keys, as PyTorch's ModuleDict does. */
  [Symbol.iterator](): Iterator<string> {
    return this.#items.keys();
  }
}

function isIterable<T>(v: unknown): v is Iterable<T> {
  return typeof v === 'object' && v !== null && typeof (v as Iterable<T>)[Symbol.iterator] === 'function';
}

function describe(v: unknown): string {
  return v === null ? 'null' : typeof v === 'object' ? (v as object).constructor?.name ?? 'object' : typeof v;
}
