/**
 * Helpers for the sequence-model tests: float64 copies of modules, seeded random state dicts
 * (passed through a safetensors file, as a PyTorch checkpoint would be), and nested-array access.
 */
import { expect } from 'vitest';
import { Module, Parameter, Tensor, io, randn, type NestedArray } from '../../src/index.js';

/** Replaces every parameter of `m` (and below) by a float64 copy, so gradcheck can run on it. */
export function toFloat64<M extends Module>(m: M): M {
  for (const [, mod] of m.namedModules()) {
    for (const [key, value] of Object.entries(mod)) {
      if (value instanceof Parameter) Reflect.set(mod, key, new Parameter(value.double()));
    }
  }
  return m;
}

/**
 * A state dict with the keys and shapes of `m` and fresh N(0, scale²) values in float64,
 * written to safetensors bytes and read back, then loaded into `m` (strict).
 */
export function loadRandomStateDict(m: Module, scale = 0.5): Record<string, Tensor> {
  const sd: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(m.stateDict())) sd[k] = randn([...t.shape], { dtype: 'float64' }).mul(scale);
  const loaded = io.loadSafetensors(io.saveSafetensors(sd));
  expect(Object.keys(loaded).sort()).toEqual(Object.keys(sd).sort());
  const result = m.loadStateDict(loaded);
  expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
  return loaded;
}

/** The keys and shapes of a state dict, for comparing with PyTorch's. */
export function keyShapes(m: Module): [string, number[]][] {
  return Object.entries(m.stateDict()).map(([k, t]) => [k, [...t.shape]]);
}

/** A tensor's elements as a flat array of numbers. */
export function flat(t: Tensor): number[] {
  return Array.from(t.toTypedArray(), Number);
}

/** Row-major matrix [rows][cols] of a 2-d tensor (or a vector of a 1-d one). */
export function mat(t: Tensor): number[][] {
  return t.toArray() as number[][];
}

/** Vector of a 1-d tensor. */
export function vec(t: Tensor): number[] {
  return t.toArray() as number[];
}

/** The numbers of a nested array in row-major order. */
export function flatten(v: NestedArray): number[] {
  if (!Array.isArray(v)) return [Number(v)];
  const out: number[] = [];
  for (const x of v) out.push(...flatten(x));
  return out;
}

/** Asserts two nested arrays of numbers agree elementwise within `tol`. */
export function expectClose(actual: NestedArray, expected: NestedArray, tol = 1e-10): void {
  const a = flatten(actual);
  const e = flatten(expected);
  expect(a.length).toBe(e.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

/** y = W·x + b for a matrix W [out][in] (b optional). */
export function affine(W: number[][], x: number[], b?: number[]): number[] {
  return W.map((row, o) => row.reduce((s, w, i) => s + w * x[i], b ? b[o] : 0));
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
