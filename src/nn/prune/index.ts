/**
 * `nn.utils.prune`: magnitude pruning with PyTorch's `torch.nn.utils.prune` semantics.
 *
 * Pruning parameter `name` of a module replaces it with:
 * - the parameter `${name}_orig` (the same Parameter object, so optimizers keep updating it),
 * - the buffer `${name}_mask` (1 kept, 0 pruned; the parameter's dtype and shape),
 * - a plain tensor `module[name] = ${name}_orig · ${name}_mask`, recomputed by a forward pre-hook
 *   before every `forward`, so the layer computes with the masked weight and gradients reach
 *   `${name}_orig` multiplied by the mask (zero at pruned entries).
 *
 * The state dict then holds `${name}_orig` and `${name}_mask`, PyTorch's keys, so a pruned
 * model's file loads in PyTorch into a model pruned the same way, and back. To load such a file
 * here, prune the fresh model first (any amount, e.g. `{ amount: 0 }`) so it has those keys.
 * Pruning a pruned parameter again combines the masks (see masks.ts); `remove` bakes the mask
 * into the parameter and restores the plain layout.
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { onesLike, tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions, optionKeys } from '../../options.js';
import { Module, type RemovableHandle } from '../module.js';
import { Parameter } from '../parameter.js';
import { checkAmount, l1UnstructuredMask, lnStructuredMask } from './masks.js';

/** Options of `l1Unstructured`. */
export interface L1UnstructuredOptions {
  /**
   * How much to prune: a fraction in (0, 1) of the entries still unpruned (rounded half to even,
   * as Python's `round`), or an integer count of them (`1` is one entry; `0` prunes nothing).
   */
  amount: number;
}

/** Options of `lnStructured`. */
export interface LnStructuredOptions {
  /** How much to prune: a fraction in (0, 1) of the slices still unpruned, or an integer count. */
  amount: number;
  /** The norm that ranks slices: any n > 0 (1, 2, …) or Infinity (the largest magnitude). */
  n: number;
  /** The dim whose slices are pruned (negative counts from the end): 0 prunes output channels of Linear/Conv weights. */
  dim: number;
}

/** The hook of each pruned parameter, by module and parameter name. */
const pruneHooks = new WeakMap<Module, Map<string, RemovableHandle>>();

function hooksOf(module: Module): Map<string, RemovableHandle> {
  let hooks = pruneHooks.get(module);
  if (!hooks) pruneHooks.set(module, (hooks = new Map()));
  return hooks;
}

/** `${name}_orig · ${name}_mask`, recorded in the graph when grad mode is on. */
function maskedWeight(module: Module, name: string): Tensor {
  const orig = Reflect.get(module, `${name}_orig`) as Parameter;
  return orig.mul(module.getBuffer(`${name}_mask`) as Tensor);
}

/** The parameter to prune and its current mask (all ones the first time); throws before any change. */
function target(op: string, module: unknown, name: unknown): { orig: Parameter; mask: Tensor; pruned: boolean } {
  if (!(module instanceof Module)) throw new TypeError(`${op}: expected a Module, got ${module === null ? 'null' : typeof module}`);
  if (typeof name !== 'string') throw new TypeError(`${op}: the parameter name must be a string, got ${typeof name}`);
  if (hooksOf(module).has(name)) {
    return { orig: Reflect.get(module, `${name}_orig`) as Parameter, mask: module.getBuffer(`${name}_mask`) as Tensor, pruned: true };
  }
  const value: unknown = Reflect.get(module, name);
  if (!Object.hasOwn(module, name) || !(value instanceof Parameter)) {
    const own = Object.entries(module).filter(([, v]) => v instanceof Parameter).map(([k]) => k);
    throw new Error(`${op}: ${module.constructor.name} has no parameter '${name}' (its parameters: ${own.join(', ') || 'none'})`);
  }
  if (!value.dtype.startsWith('float')) throw new TypeError(`${op}: parameter '${name}' is ${value.dtype}; only float parameters can be pruned`);
  return { orig: value, mask: onesLike(value), pruned: false };
}

/** Installs (first time) or updates (again) the pruning of `name` with `newMask`. */
function commit(module: Module, name: string, orig: Parameter, newMask: Float64Array, pruned: boolean): void {
  const mask = tensor(newMask, { dtype: 'float64', shape: orig.shape }).to(orig.dtype);
  if (!pruned) {
    Reflect.deleteProperty(module, name);
    module.registerParameter(`${name}_orig`, orig);
    hooksOf(module).set(name, module.registerForwardPreHook((m) => Reflect.set(m, name, maskedWeight(m, name))));
  }
  module.registerBuffer(`${name}_mask`, mask);
  Reflect.set(module, name, maskedWeight(module, name));
}

/**
 * Prunes the entries of parameter `name` with the smallest |w| (PyTorch's `prune.l1_unstructured`):
 * `amount` of the still-unpruned entries, ties to the lower flat index. Returns the module.
 *
 * @example nn.utils.prune.l1Unstructured(layer, 'weight', { amount: 0.5 }) // half of layer.weight is now 0
 */
export function l1Unstructured<M extends Module>(module: M, name: string, options: L1UnstructuredOptions): M {
  const op = 'nn.utils.prune.l1Unstructured';
  checkOptions(op, options, optionKeys<L1UnstructuredOptions>({ amount: true }));
  checkAmount(op, options?.amount);
  const { orig, mask, pruned } = target(op, module, name);
  const newMask = l1UnstructuredMask(op, orig.data(), mask.data(), options.amount);
  commit(module, name, orig, newMask, pruned);
  return module;
}

/**
 * Prunes whole slices of parameter `name` along `dim` with the smallest Lₙ norm (PyTorch's
 * `prune.ln_structured`): `amount` of the slices that still hold an unpruned entry, ties to the
 * lower index. Returns the module.
 *
 * @example nn.utils.prune.lnStructured(conv, 'weight', { amount: 0.25, n: 2, dim: 0 }) // a quarter of the output channels
 */
export function lnStructured<M extends Module>(module: M, name: string, options: LnStructuredOptions): M {
  const op = 'nn.utils.prune.lnStructured';
  checkOptions(op, options, optionKeys<LnStructuredOptions>({ amount: true, n: true, dim: true }));
  checkAmount(op, options?.amount);
  const { n, dim } = options;
  if (typeof n !== 'number' || !(n > 0)) throw new RangeError(`${op}: n must be a number > 0 or Infinity, got ${String(n)}`);
  const { orig, mask, pruned } = target(op, module, name);
  const ndim = orig.ndim;
  if (ndim < 2) throw new RangeError(`${op}: structured pruning needs a parameter with 2 or more dims; '${name}' has shape [${orig.shape.join(', ')}]`);
  if (!Number.isInteger(dim) || dim < -ndim || dim >= ndim) {
    throw new RangeError(`${op}: dim must be an integer in [${-ndim}, ${ndim - 1}] for '${name}' of shape [${orig.shape.join(', ')}], got ${String(dim)}`);
  }
  const newMask = lnStructuredMask(op, orig.data(), mask.data(), orig.shape, dim < 0 ? dim + ndim : dim, n, options.amount);
  commit(module, name, orig, newMask, pruned);
  return module;
}

/**
 * Makes the pruning of `name` permanent (PyTorch's `prune.remove`): the parameter's values become
 * `orig · mask` in place, it is `module[name]` again (the same Parameter object), and
 * `${name}_orig`, `${name}_mask` and the hook are gone. Returns the module.
 *
 * @example nn.utils.prune.remove(layer, 'weight') // layer.weight is a plain Parameter with zeros where pruned
 */
export function remove<M extends Module>(module: M, name: string): M {
  const op = 'nn.utils.prune.remove';
  if (!(module instanceof Module)) throw new TypeError(`${op}: expected a Module, got ${module === null ? 'null' : typeof module}`);
  const hook = pruneHooks.get(module)?.get(name);
  if (!hook) throw new Error(`${op}: parameter '${name}' of ${module.constructor.name} has to be pruned before its pruning can be removed`);
  const orig = Reflect.get(module, `${name}_orig`) as Parameter;
  const mask = module.getBuffer(`${name}_mask`) as Tensor;
  noGrad(() => orig.mul_(mask));
  hook.remove();
  pruneHooks.get(module)?.delete(name);
  Reflect.deleteProperty(module, `${name}_orig`);
  module.deleteBuffer(`${name}_mask`);
  Reflect.set(module, name, orig);
  return module;
}

/**
 * True when any parameter of `module` or of a module below it is pruned (PyTorch's `prune.is_pruned`).
 *
 * @example nn.utils.prune.isPruned(model) // false before pruning
 */
export function isPruned(module: Module): boolean {
  return module.namedModules().some(([, m]) => (pruneHooks.get(m)?.size ?? 0) > 0);
}
