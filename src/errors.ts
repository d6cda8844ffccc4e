/**
 * The library's error classes. Every message names the op and the shapes or dtypes involved,
 * e.g. `matmul: shapes [2,3] and [4,5] are not aligned (3 != 4)`.
 */

/** A shape, dim or index is wrong for the op (also split sizes that do not add up). */
export class ShapeError extends Error {
  /** Always 'ShapeError', so `err.name` tells the kind without `instanceof`. */
  override name = 'ShapeError';
}

/** A dtype is wrong for the op (e.g. a gradient asked of an int32 tensor). */
export class DTypeError extends Error {
  /** Always 'DTypeError'. */
  override name = 'DTypeError';
}

/** The autograd graph was misused: a freed graph, backward without grad, an in-place conflict. */
export class AutogradError extends Error {
  /** Always 'AutogradError'. */
  override name = 'AutogradError';
}

/** A file (safetensors) is malformed; the message names the check that failed. */
export class FormatError extends Error {
  /** Always 'FormatError'. */
  override name = 'FormatError';
}

/**
 * A body left for a student to write: the exercise kit's student edition (`npm run exercises`)
 * replaces each marked solution with `throw new NotImplementedError('m1: …')`, naming the task
 * and what to implement. The library itself never throws it.
 * `throw new NotImplementedError('m1: Mul.backward — return [g·b, g·a]')`
 */
export class NotImplementedError extends Error {
  /** Always 'NotImplementedError'. */
  override name = 'NotImplementedError';
}

/** Formats a shape the way messages print it: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
