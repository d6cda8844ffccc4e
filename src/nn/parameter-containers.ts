/**
 * nn.ParameterList and nn.ParameterDict: parameters held in a list or under string keys, as
 * PyTorch's containers. Their parameters are named '0', '1', … or by key, so a ParameterList
 * field `scales` gives the state-dict keys `scales.0`, `scales.1`, … A plain Tensor that is not a
 * Parameter is wrapped as one (requiring grad), as PyTorch does.
 */
import { Tensor } from '../tensor/tensor.js';
import { checkKey } from './container-keys.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** A Tensor as a Parameter: itself when it already is one, else a Parameter sharing its elements. */
function asParameter(op: string, what: string, value: unknown): Parameter {
  if (value instanceof Parameter) return value;
  if (value instanceof Tensor) return new Parameter(value.detach());
  throw new TypeError(`${op}: ${what} must be a Tensor or Parameter, got ${value === null ? 'null' : typeof value}`);
}

/** A list of parameters, named '0', '1', … @example new nn.ParameterList([new nn.Parameter(zeros([3]))]) */
export class ParameterList extends Module {
  readonly #items: Parameter[] = [];

  constructor(params: Iterable<Tensor> = []) {
    super();
    this.extend(params);
  }

  /** The parameters named '0', '1', … (their state-dict keys under this list). */
  protected override ownParameters(): [string, Parameter][] {
    return this.#items.map((p, i) => [String(i), p]);
  }

  /** Replaces the parameter at index `name` (for `loadStateDict` with `assign`). */
  protected override setParameter(name: string, param: Parameter): void {
    const i = Number(name);
    if (!Number.isInteger(i) || i < 0 || i >= this.#items.length) throw new Error(`ParameterList: no parameter at index '${name}'`);
    this.#items[i] = param;
  }

  /** Number of parameters. */
  get length(): number {
    return this.#items.length;
  }

  /** The parameter at position i (negative counts from the end). */
  at(i: number): Parameter | undefined {
    return this.#items.at(i);
  }

  /** Adds a parameter at the end (a plain Tensor becomes a Parameter). */
  append(param: Tensor): this {
    this.#items.push(asParameter('ParameterList.append', 'the value', param));
    return this;
  }

  /** Adds several parameters at the end; nothing is added when one of them is not a Tensor. */
  extend(params: Iterable<Tensor>): this {
    const checked = [...params].map((p, i) => asParameter('ParameterList', `item ${i}`, p));
    this.#items.push(...checked);
    return this;
  }

  /** Iterates over the parameters in order. */
  [Symbol.iterator](): Iterator<Parameter> {
    return this.#items[Symbol.iterator]();
  }

  /** One `(i): Parameter containing: [dtype of size …]` per parameter, as PyTorch prints them. */
  override extraRepr(): string {
    return this.#items.map((p, i) => `(${i}): Parameter containing: [${p.dtype} of size ${p.shape.join('x') || '()'}]`).join(', ');
  }
}

/** Parameters under string keys, in insertion order. @example new nn.ParameterDict({ scale: new nn.Parameter(ones([4])) }) */
export class ParameterDict extends Module {
  readonly #items = new Map<string, Parameter>();

  constructor(params: Record<string, Tensor> | Iterable<readonly [string, Tensor]> = {}) {
    super();
    this.update(params);
  }

  /** The parameters under their keys, in insertion order. */
  protected override ownParameters(): [string, Parameter][] {
    return [...this.#items];
  }

  /** Replaces the parameter under key `name` (for `loadStateDict` with `assign`). */
  protected override setParameter(name: string, param: Parameter): void {
    if (!this.#items.has(name)) throw new Error(`ParameterDict: no parameter under key '${name}'`);
    this.#items.set(name, param);
  }

  /** Number of parameters. */
  get size(): number {
    return this.#items.size;
  }

  /** The parameter under `key`, or undefined. */
  get(key: string): Parameter | undefined {
    return this.#items.get(key);
  }

  /** True when a parameter is stored under `key`. */
  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** Stores `param` under `key` (a plain Tensor becomes a Parameter; a new key goes last). */
  set(key: string, param: Tensor): this {
    checkKey('ParameterDict', key);
    this.#items.set(key, asParameter('ParameterDict', `the value for key '${key}'`, param));
    return this;
  }

  /** Removes and returns the parameter under `key` (PyTorch's `pop`). */
  pop(key: string): Parameter {
    const p = this.#items.get(key);
    if (!p) throw new Error(`ParameterDict: no parameter under key '${key}' (keys: ${[...this.#items.keys()].join(', ') || 'none'})`);
    this.#items.delete(key);
    return p;
  }

  /** Removes every parameter. */
  clear(): void {
    this.#items.clear();
  }

  /** Adds or replaces parameters from a record or [key, tensor] pairs; nothing changes when one is invalid. */
  update(params: Record<string, Tensor> | Iterable<readonly [string, Tensor]>): this {
    const pairs = typeof (params as Iterable<unknown>)[Symbol.iterator] === 'function'
      ? [...(params as Iterable<readonly [string, Tensor]>)]
      : Object.entries(params as Record<string, Tensor>);
    const checked = pairs.map(([k, p]): [string, Parameter] => {
      checkKey('ParameterDict', k);
      return [k, asParameter('ParameterDict', `the value for key '${k}'`, p)];
    });
    for (const [k, p] of checked) this.#items.set(k, p);
    return this;
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return [...this.#items.keys()];
  }

  /** The parameters, in insertion order. */
  values(): Parameter[] {
    return [...this.#items.values()];
  }

  /** [key, parameter] pairs, in insertion order. */
  entries(): [string, Parameter][] {
    return [...this.#items];
  }

  /** Iterates over the keys, as PyTorch's ParameterDict does. */
  [Symbol.iterator](): Iterator<string> {
    return this.#items.keys();
  }
}
