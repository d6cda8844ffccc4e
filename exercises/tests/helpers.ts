/**
 * What the exercise tests share: seeded random inputs and plain-JavaScript references, so a
 * task's tests read only the code of that task and of its prerequisites. The library's internal
 * functions a test calls directly are re-exported here, in one place.
 */
import { expect } from 'vitest';
import { tensor, type Tensor } from 'tsgrad';
import binaryFunctions from '../../src/autograd/functions/binary.js';

export { sumToShape } from '../../src/autograd/functions/util.js';
export { lstmSequenceComposed } from '../../src/nn/recurrent/lstm-sequence.js';
export { attend } from '../../src/nn/functional/attention.js';

/** The Function Mul (private to its file: its default export lists the file's Functions). */
export const Mul = binaryFunctions.Mul;

/** A small seeded generator (mulberry32): the same numbers on every run and platform. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Row-major numbers of `shape`, uniform in [−1, 1). */
export function randomValues(shape: readonly number[], random: () => number): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => random() * 2 - 1);
}

/** A float64 leaf tensor of `shape` with seeded values. */
export function randomTensor(shape: readonly number[], random: () => number, requiresGrad = false): Tensor {
  return tensor(randomValues(shape, random), { dtype: 'float64' }).reshape([...shape]).requiresGrad_(requiresGrad);
}

/** The tensor's elements in row-major order, as plain numbers. */
export function values(t: Tensor): number[] {
  return Array.from(t.toTypedArray(), Number);
}

/** Elementwise |a − b| ≤ atol + rtol·|b|, with the first mismatch in the message. */
export function expectClose(actual: readonly number[], expected: readonly number[], what: string, atol = 1e-9, rtol = 1e-7): void {
  expect(actual.length, `${what}: number of elements`).toBe(expected.length);
  const bad = actual.findIndex((a, i) => !(Math.abs(a - expected[i]) <= atol + rtol * Math.abs(expected[i])));
  if (bad >= 0) expect.fail(`${what}: element ${bad} is ${actual[bad]}, expected ${expected[bad]}`);
}

/** The multi-index of flat position `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return index;
}

/** The flat position in `shape` of a multi-index of the broadcast shape `target` (size-1 dims read index 0). */
export function broadcastPosition(index: readonly number[], shape: readonly number[]): number {
  const lead = index.length - shape.length;
  let pos = 0;
  for (let d = 0; d < shape.length; d++) pos = pos * shape[d] + (shape[d] === 1 ? 0 : index[d + lead]);
  return pos;
}
