/**
 * Which fields of a Module the field walk registers, and the error for those it cannot.
 *
 * A `Module` field is a child, a `Parameter` field a parameter, an array made only of modules a
 * list of children (`layers.0`, `layers.1`, …). A module or parameter held anywhere else — in a
 * plain object, a Map or Set, an array of parameters, or an array mixing modules with other
 * values — would be invisible to `parameters()`, `stateDict()` and `train()`, and its keys would
 * later show up as "unexpected" when loading a PyTorch file. The walk throws instead, naming the
 * field and the container that registers it (ModuleDict, ModuleList, ParameterList, ParameterDict).
 */
import { Tensor } from '../tensor/tensor.js';
// module.ts imports this file and hands in the Module class (a run-time import back would close a loop).
import type { Module } from './module.js';
import { Parameter } from './parameter.js';

/** True for a non-empty array whose every element is a Module (registered as `key.i`). */
export function isModuleArray(value: unknown, moduleClass: typeof Module): value is Module[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof moduleClass);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Where, inside `value`, the first module or parameter sits (a path like `.a` or `[2]`), or null. */
function findHeld(value: unknown, moduleClass: typeof Module, path: string, seen: Set<unknown>, depth: number): { path: string; kind: 'module' | 'parameter' } | null {
  if (value instanceof Parameter) return { path, kind: 'parameter' };
  if (value instanceof moduleClass) return { path, kind: 'module' };
  if (depth > 8 || typeof value !== 'object' || value === null || seen.has(value)) return null;
  seen.add(value);
  let entries: [string, unknown][];
  if (Array.isArray(value)) entries = value.map((v, i) => [`[${i}]`, v]);
  else if (value instanceof Map) entries = [...value].map(([k, v]) => [`.get(${JSON.stringify(String(k))})`, v]);
  else if (value instanceof Set) entries = [...value].map((v, i) => [`<item ${i}>`, v]);
  else if (isPlainObject(value)) entries = Object.entries(value).map(([k, v]) => [`.${k}`, v]);
  else return null; // class instances (tensors, options objects of a class) are not walked
  for (const [step, v] of entries) {
    const found = findHeld(v, moduleClass, path + step, seen, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Throws a TypeError when field `key` of `owner` holds modules or parameters in a container the
 * walk does not register. Modules, parameters, arrays of modules and values holding neither pass.
 */
export function assertFieldRegistrable(owner: Module, key: string, value: unknown, moduleClass: typeof Module): void {
  if (value instanceof Parameter || value instanceof moduleClass || isModuleArray(value, moduleClass)) return;
  if (typeof value !== 'object' || value === null || value instanceof Tensor) return;
  const found = findHeld(value, moduleClass, key, new Set(), 0);
  if (!found) return;
  const what = Array.isArray(value) ? 'an array' : value instanceof Map ? 'a Map' : value instanceof Set ? 'a Set' : 'a plain object';
  const fix = found.kind === 'parameter'
    ? (Array.isArray(value) ? 'nn.ParameterList' : 'nn.ParameterDict')
    : (Array.isArray(value) || value instanceof Set ? 'nn.ModuleList' : 'nn.ModuleDict');
  throw new TypeError(
    `${owner.constructor.name}: field '${key}' is ${what} holding a ${found.kind} (at ${found.path}), which a Module does not register: ` +
      `its parameters would be missing from parameters() and stateDict(). Use ${fix} ` +
      '(nn.ModuleDict / nn.ModuleList for modules, nn.ParameterDict / nn.ParameterList for parameters)',
  );
}
