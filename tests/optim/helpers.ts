/**
 * Shared helpers for the optimizer tests: a small quadratic objective whose gradient the library
 * computes by autograd and the references compute by hand, and trajectory runners for both.
 */
import { expect } from 'vitest';
import { Parameter, tensor, type DType, type Tensor } from '../../src/index.js';
import type { RefStep, Vec } from './reference.js';

/** L(θ) = Σ ½·aᵢθᵢ² + cᵢθᵢ, whose gradient is a⊙θ + c. */
export interface Quadratic {
  theta0: Vec;
  a: Vec;
  c: Vec;
}

/** Runs `backward` of the quadratic on p (grads accumulate, as in training). */
export function backwardQuadratic(p: Tensor, q: Quadratic): void {
  const a = tensor(q.a, { dtype: p.dtype }).reshape(p.shape);
  const c = tensor(q.c, { dtype: p.dtype }).reshape(p.shape);
  p.mul(p).mul(a).mul(0.5).add(p.mul(c)).sum().backward();
}

/** The gradient a⊙θ + c by hand. */
export function quadraticGrad(theta: Vec, q: Quadratic): Vec {
  return theta.map((x, i) => q.a[i] * x + q.c[i]);
}

/** θ after each of `steps` optimizer steps on the quadratic, run by the library. */
export function libraryTrajectory(
  q: Quadratic,
  steps: number,
  makeOptimizer: (p: Parameter) => { step(): unknown; zeroGrad(): void },
  dtype: DType = 'float64',
  shape: number[] = [q.theta0.length],
): Vec[] {
  const p = new Parameter(tensor(q.theta0, { dtype }).reshape(shape));
  const opt = makeOptimizer(p);
  const out: Vec[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    backwardQuadratic(p, q);
    opt.step();
    out.push(Array.from(p.toTypedArray()));
  }
  return out;
}

/** θ after each of `steps` reference steps on the quadratic. */
export function referenceTrajectory(q: Quadratic, steps: number, ref: RefStep): Vec[] {
  let theta = q.theta0;
  const out: Vec[] = [];
  for (let s = 0; s < steps; s++) {
    theta = ref(theta, quadraticGrad(theta, q));
    out.push(theta);
  }
  return out;
}

/** Element-wise |x − y| ≤ atol + rtol·|y| over whole trajectories, with the step and index on failure. */
export function expectTrajectoriesClose(actual: Vec[], expected: Vec[], rtol: number, atol = rtol): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, s) =>
    row.forEach((x, i) => {
      const y = expected[s][i];
      if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
        expect.fail(`step ${s + 1}, element ${i}: library ${x}, reference ${y}`);
      }
    }),
  );
}
