/**
 * Argument handling shared by the convolutions: `number | [h, w]` pairs, PyTorch's padding
 * strings ('valid' = none; 'same' = output as large as the input, total dilation·(k − 1) with
 * the odd extra on the bottom/right) and the output-size formula.
 */
import { ShapeError, fmtShape } from '../../errors.js';

/** A per-dim value given once for all dims or once per dim. */
export type IntOrPair = number | readonly [number, number];

/** Padding: a number or per-dim pair, or 'same' / 'valid'. */
export type ConvPadding = IntOrPair | 'same' | 'valid';

/** How padded positions are filled: zeros (default) or PyTorch's other padding modes. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** `v` as an n-tuple of integers ≥ `min`, naming the op and argument in the error. */
export function tupleOf(op: string, name: string, v: number | readonly number[], n: number, min: number): number[] {
  const out = typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
  if (out.length !== n || out.some((x) => !Number.isInteger(x) || x < min)) {
    throw new ShapeError(`${op}: ${name} must be an integer ≥ ${min} or a list of ${n} of them, got ${typeof v === 'number' ? v : fmtShape(v)}`);
  }
  return out;
}

/** Before/after padding per spatial dim. */
export interface ResolvedPadding {
  before: number[];
  after: number[];
}

/** Resolves `padding` for kernel sizes `kernel` (per dim) and dilations `dilation`. */
export function resolvePadding(op: string, padding: ConvPadding, kernel: readonly number[], dilation: readonly number[], stride: readonly number[]): ResolvedPadding {
  const n = kernel.length;
  if (padding === 'valid') return { before: new Array<number>(n).fill(0), after: new Array<number>(n).fill(0) };
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new ShapeError(`${op}: padding='same' is not supported for strided convolutions (stride ${fmtShape(stride)})`);
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    const before = total.map((t) => Math.floor(t / 2));
    return { before, after: total.map((t, i) => t - before[i]) };
  }
  const p = tupleOf(op, 'padding', padding, n, 0);
  return { before: p, after: p };
}

/** L_out = ⌊(L_in + before + after − dilation·(k − 1) − 1)/stride⌋ + 1. */
export function convOutputSize(inSize: number, kernel: number, stride: number, before: number, after: number, dilation: number): number {
  return Math.floor((inSize + before + after - dilation * (kernel - 1) - 1) / stride) + 1;
}
