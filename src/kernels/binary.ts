/**
 * Elementwise binary maps with broadcasting: out[idx] = f(a[idx], b[idx]) over every index of the
 * broadcast shape. Inputs are strided views (`StridedArray`) whose strides were already broadcast
 * to the output shape (stride 0 along broadcast dims); out is contiguous. The work is done one
 * innermost row at a time by a per-op row loop, so there is no per-element call.
 */
import type { TypedArray } from './dtype.js';

/** A strided view: element (i0, …) is `data[offset + Σ i_k·strides[k]]`. */
export interface StridedArray {
  /** The storage. */
  data: TypedArray;
  /** Elements between neighbours along each dim (0 along a broadcast dim). */
  strides: readonly number[];
  /** Where element (0, …, 0) lives in `data`. */
  offset: number;
}

/** Computes `n` outputs from a row of a (start ai, step as) and a row of b (start bi, step bs). */
export type RowKernel = (
  a: TypedArray, ai: number, as: number,
  b: TypedArray, bi: number, bs: number,
  out: TypedArray, oi: number, n: number,
) => void;

function row(f: (x: number, y: number) => number): RowKernel {
  // Each op gets its own copy of this loop when `f` is inlined by the JIT at this call site; the
  // definitions below are written out by hand for the hot ones instead.
  return (a, ai, as, b, bi, bs, out, oi, n) => {
    for (let j = 0; j < n; j++, ai += as, bi += bs) out[oi + j] = f(a[ai], b[bi]);
  };
}

export const binaryKernels = {
  add: (a, ai, as, b, bi, bs, out, oi, n) => {
    for (let j = 0; j < n; j++, ai += as, bi += bs) out[oi + j] = a[ai] + b[bi];
  },
  sub: (a, ai, as, b, bi, bs, out, oi, n) => {
    for (let j = 0; j < n; j++, ai += as, bi += bs) out[oi + j] = a[ai] - b[bi];
  },
  mul: (a, ai, as, b, bi, bs, out, oi, n) => {
    for (let j = 0; j < n; j++, ai += as, bi += bs) out[oi + j] = a[ai] * b[bi];
  },
  div: (a, ai, as, b, bi, bs, out, oi, n) => {
    for (let j = 0; j < n; j++, ai += as, bi += bs) out[oi + j] = a[ai] / b[bi];
  },
  /**
   * aᵇ; by a scalar 2 (MSE losses) one multiply, by a scalar 1 (the square's backward) a copy:
   * both equal Math.pow(x, 2) and Math.pow(x, 1) exactly.
   */
  pow: (a, ai, as, b, bi, bs, out, oi, n) => {
    if (bs === 0 && b[bi] === 2) {
      for (let j = 0; j < n; j++, ai += as) out[oi + j] = a[ai] * a[ai];
      return;
    }
    if (bs === 0 && b[bi] === 1) {
      for (let j = 0; j < n; j++, ai += as) out[oi + j] = a[ai];
      return;
    }
    for (let j = 0; j < n; j++, ai += as, bi += bs) out[oi + j] = Math.pow(a[ai], b[bi]);
  },
  maximum: row((x, y) => (x !== x || y !== y ? NaN : x > y ? x : y)),
  minimum: row((x, y) => (x !== x || y !== y ? NaN : x < y ? x : y)),
  eq: row((x, y) => (x === y ? 1 : 0)),
  ne: row((x, y) => (x !== y ? 1 : 0)),
  lt: row((x, y) => (x < y ? 1 : 0)),
  le: row((x, y) => (x <= y ? 1 : 0)),
  gt: row((x, y) => (x > y ? 1 : 0)),
  ge: row((x, y) => (x >= y ? 1 : 0)),
  logicalAnd: row((x, y) => (x !== 0 && y !== 0 ? 1 : 0)),
  logicalOr: row((x, y) => (x !== 0 || y !== 0 ? 1 : 0)),
  // Fused backward passes, a = upstream gradient g, b = what the forward saved:
  /** g·(1 − y²) with y = tanh x. */
  tanhGrad: (a, ai, as, b, bi, bs, out, oi, n) => {
    for (let j = 0; j < n; j++, ai += as, bi += bs) out[oi + j] = a[ai] * (1 - b[bi] * b[bi]);
  },
  /** g·y(1 − y) with y = σ(x). */
  sigmoidGrad: (a, ai, as, b, bi, bs, out, oi, n) => {
    for (let j = 0; j < n; j++, ai += as, bi += bs) out[oi + j] = a[ai] * b[bi] * (1 - b[bi]);
  },
  /** g where x > 0, else 0 (NaN x gives 0). */
  reluGrad: (a, ai, as, b, bi, bs, out, oi, n) => {
    for (let j = 0; j < n; j++, ai += as, bi += bs) out[oi + j] = b[bi] > 0 ? a[ai] : 0;
  },
} satisfies Record<string, RowKernel>;

export type BinaryOpName = keyof typeof binaryKernels;

/**
 * out[i] = op(a[ai + i], b[bi + i·bStep]) for i < n, with bStep 1 (a tensor of the same shape)
 * or 0 (a scalar): the flat common case.
 */
export function binaryFlat(op: BinaryOpName, a: TypedArray, ai: number, b: TypedArray, bi: number, bStep: number, out: TypedArray, n: number): void {
  binaryKernels[op](a, ai, 1, b, bi, bStep, out, 0, n);
}

/** out (contiguous, of `shape`) = kernel(a, b), with a and b already broadcast to `shape`. */
export function binaryMap(kernel: RowKernel, a: StridedArray, b: StridedArray, out: TypedArray, shape: readonly number[]): void {
  const nd = shape.length;
  if (out.length === 0) return;
  if (nd === 0) {
    kernel(a.data, a.offset, 0, b.data, b.offset, 0, out, 0, 1);
    return;
  }
  const rowLen = shape[nd - 1];
  const asr = a.strides[nd - 1];
  const bsr = b.strides[nd - 1];
  const aStep = flatStep(shape, a.strides);
  const bStep = flatStep(shape, b.strides);
  if (aStep >= 0 && bStep >= 0) {
    kernel(a.data, a.offset, aStep, b.data, b.offset, bStep, out, 0, out.length);
    return;
  }
  const index = new Array<number>(nd).fill(0);
  let ai = a.offset;
  let bi = b.offset;
  for (let oi = 0; oi < out.length; oi += rowLen) {
    kernel(a.data, ai, asr, b.data, bi, bsr, out, oi, rowLen);
    for (let k = nd - 2; k >= 0; k--) {
      index[k]++;
      ai += a.strides[k];
      bi += b.strides[k];
      if (index[k] < shape[k]) break;
      ai -= index[k] * a.strides[k];
      bi -= index[k] * b.strides[k];
      index[k] = 0;
    }
  }
}

/**
 * 1 when the view reads its elements in plain row-major order, 0 when it reads them all from one
 * place (a broadcast scalar), −1 otherwise.
 */
function flatStep(shape: readonly number[], strides: readonly number[]): number {
  let allZero = true;
  let expected = 1;
  let contiguous = true;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 1) continue;
    if (strides[i] !== 0) allZero = false;
    if (strides[i] !== expected) contiguous = false;
    expected *= shape[i];
  }
  return allZero ? 0 : contiguous ? 1 : -1;
}

/** out = cond ? a : b elementwise, all three already broadcast to `shape`. */
export function whereMap(cond: StridedArray, a: StridedArray, b: StridedArray, out: TypedArray, shape: readonly number[]): void {
  const nd = shape.length;
  // A condition that is one value broadcast (maskedFill by a scalar mask, as pow's backward does)
  // picks the same operand everywhere: when that operand reads in order (or is a scalar), one
  // plain copy loop instead of the index walk, with the same assignments.
  if (out.length > 0 && flatStep(shape, cond.strides) === 0) {
    const src = cond.data[cond.offset] !== 0 ? a : b;
    const step = flatStep(shape, src.strides);
    if (step >= 0) {
      const data = src.data;
      for (let i = 0, j = src.offset; i < out.length; i++, j += step) out[i] = data[j];
      return;
    }
  }
  const index = new Array<number>(nd).fill(0);
  let ci = cond.offset;
  let ai = a.offset;
  let bi = b.offset;
  for (let oi = 0; oi < out.length; oi++) {
    out[oi] = cond.data[ci] !== 0 ? a.data[ai] : b.data[bi];
    for (let k = nd - 1; k >= 0; k--) {
      index[k]++;
      ci += cond.strides[k];
      ai += a.strides[k];
      bi += b.strides[k];
      if (index[k] < shape[k]) break;
      ci -= index[k] * cond.strides[k];
      ai -= index[k] * a.strides[k];
      bi -= index[k] * b.strides[k];
      index[k] = 0;
    }
  }
}
