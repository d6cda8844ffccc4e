/**
 * Containers: Sequential chains its modules' forwards; ModuleList only holds modules (its owner
 * decides how to call them). Both name their children '0', '1', … as PyTorch does, so a
 * Sequential's parameters are `0.weight`, `0.bias`, `2.weight`, …
 */
import { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Calls `m.forward(input)` on a module of unknown signature. */
function callForward(m: Module, input: unknown): unknown {
  return (m.forward as (input: unknown) => unknown).call(m, input);
}

/** Modules applied in order: forward(x) = mₙ(…m₂(m₁(x))). */
export class Sequential extends Module {
  private readonly layers: Module[];

  constructor(...modules: Module[]) {
    super();
    this.layers = modules;
  }

  override namedChildren(): [string, Module][] {
    return this.layers.map((m, i) => [String(i), m]);
  }

  /** Number of modules. */
  get length(): number {
    return this.layers.length;
  }

  /** The module at position i (negative counts from the end). */
  at(i: number): Module | undefined {
    return this.layers.at(i);
  }

  /** Adds a module at the end. */
  append(m: Module): this {
    this.layers.push(m);
    return this;
  }

  /** The layers in order: `for (const layer of seq)`. */
  [Symbol.iterator](): Iterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  /** Feeds x through every module in order; each must return a Tensor. */
  override forward(x: Tensor): Tensor {
    let out: unknown = x;
    this.layers.forEach((m, i) => {
      out = callForward(m, out);
      if (!(out instanceof Tensor)) {
        throw new TypeError(`Sequential: module ${i} (${m.constructor.name}) returned a non-Tensor; Sequential chains Tensor → Tensor modules`);
      }
    });
    return out as Tensor;
  }
}

/** A list of modules, registered as children '0', '1', … (no forward of its own). */
export class ModuleList extends Module {
  private readonly items: Module[];

  constructor(modules: Iterable<Module> = []) {
    super();
    this.items = [...modules];
  }

  override namedChildren(): [string, Module][] {
    return this.items.map((m, i) => [String(i), m]);
  }

  /** Number of modules. */
  get length(): number {
    return this.items.length;
  }

  /** The module at position i (negative counts from the end). */
  at(i: number): Module | undefined {
    return this.items.at(i);
  }

  /** Adds a module at the end. */
  append(m: Module): this {
    this.items.push(m);
    return this;
  }

  /** Adds several modules at the end. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.items.push(m);
    return this;
  }

  /** The modules in order: `for (const m of list)`. */
  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }
}
