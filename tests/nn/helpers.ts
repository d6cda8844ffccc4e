/**
 * Shared helpers for the nn tests: float64 copies of modules (for gradcheck), a gradcheck over a
 * module's input and parameters, and small statistics.
 */
import { expect } from 'vitest';
import { Module, Parameter, Tensor, gradcheck } from '../../src/index.js';

/**
 * Replaces every parameter and buffer of `m` (and below) with a float64 copy, so finite
 * differences are accurate. Parameters are fields, so the field is reassigned.
 */
export function toFloat64<M extends Module>(m: M): M {
  for (const [, mod] of m.namedModules()) {
    const fields = mod as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(mod)) {
      if (value instanceof Parameter) fields[key] = new Parameter(value.double(), value.requiresGrad);
    }
    for (const [name, buf] of mod.namedBuffers()) {
      if (!name.includes('.') && (buf.dtype === 'float32')) mod.setBuffer(name, buf.double());
    }
  }
  return m;
}

/** gradcheck of `forward` with respect to x (when it requires grad) and every parameter of m. */
export function gradcheckModule(m: Module, inputs: Tensor[], forward: (...xs: Tensor[]) => Tensor): void {
  const params = m.parameters();
  const all = [...inputs, ...params];
  expect(gradcheck((...xs: Tensor[]) => forward(...xs.slice(0, inputs.length)), all)).toBe(true);
}

/** Keys and shapes of a state dict, as [key, shape] pairs in order. */
export function stateDictShapes(m: Module): [string, number[]][] {
  return Object.entries(m.stateDict()).map(([k, t]) => [k, [...t.shape]]);
}

/** Mean and (biased) standard deviation of a tensor's elements. */
export function moments(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const d = t.data();
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    s += d[i];
    s2 += d[i] * d[i];
    min = Math.min(min, d[i]);
    max = Math.max(max, d[i]);
  }
  const mean = s / d.length;
  return { mean, std: Math.sqrt(s2 / d.length - mean * mean), min, max };
}

/** Largest |a − b| over elements (same shapes). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect([...a.shape]).toEqual([...b.shape]);
  const x = a.data(), y = b.data();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}
