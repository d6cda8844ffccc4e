/**
 * Shape arithmetic: sizes, row-major strides, dims that count from the end, and NumPy/PyTorch
 * broadcasting.
 */
import { ShapeError, fmtShape } from '../errors.js';

/** Number of elements of a shape (1 for the 0-d shape `[]`). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-contiguous) strides, in elements: the last dim has stride 1. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Turns a possibly negative `dim` into an index in [0, ndim); throws naming `op` when out of range. */
export function normalizeDim(dim: number, ndim: number, op: string): number {
  const lo = -Math.max(ndim, 1);
  const hi = Math.max(ndim, 1) - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new ShapeError(`${op}: dim ${dim} is out of range for a tensor of ${ndim} dims (expected ${lo}..${hi})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Normalises a list of dims (or all dims when `dims` is undefined), sorted and without repeats. */
export function normalizeDims(dims: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(d, ndim, op));
  // A 0-d tensor accepts dim 0 / −1 (as PyTorch) and has no dim to reduce: the reduction is over nothing.
  if (ndim === 0) return [];
  if (new Set(out).size !== out.length) throw new ShapeError(`${op}: dim ${fmtShape(list)} repeats a dim`);
  return out.sort((a, b) => a - b);
}

/**
 * The broadcast shape of `a` and `b`: align at the right; each pair of sizes must be equal or
 * one of them 1, and the result takes the larger.
 */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  // BEGIN SOLUTION m0 — broadcastShapes: align the shapes at the right; each pair of sizes must be equal or one of them 1 (else a ShapeError naming op, both shapes and the dim); the result takes the larger
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast (dim ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
  // END SOLUTION
}

/**
 * Strides that read a tensor of (`shape`, `strides`) as if it had the larger `target` shape:
 * new leading dims and size-1 dims that grow get stride 0.
 */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  // BEGIN SOLUTION m0 — broadcastStrides: strides that read (shape, strides) as the larger target shape — 0 for new leading dims and for size-1 dims that grow
  const lead = target.length - shape.length;
  return target.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : strides[i - lead]));
  // END SOLUTION
}

/** True when both shapes have the same dims. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Reads a shape given as an array or as spread numbers (`reshape([4, 6])` or `reshape(4, 6)`),
 * checking that every entry is a non-negative integer (−1 allowed where `allowInfer`).
 */
export function parseShape(args: readonly (number | readonly number[])[], op: string, allowInfer = false): number[] {
  const shape = args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || (d < 0 && !(allowInfer && d === -1))) {
      throw new ShapeError(`${op}: invalid shape ${fmtShape(shape)} (sizes must be non-negative integers)`);
    }
  }
  return [...shape];
}
