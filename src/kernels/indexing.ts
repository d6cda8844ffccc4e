/**
 * Gather/scatter along one dim of contiguous arrays. Shapes are split around `dim` into
 * (outer, size along dim, inner) so a flat position p = (o·size + i)·inner + r.
 */
import type { TypedArray } from './dtype.js';

/** Products of the dims before and after `dim`. */
export function splitAround(shape: readonly number[], dim: number): { outer: number; size: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, size: shape[dim] ?? 1, inner };
}

/**
 * out[…, j, …] = src[…, index[…, j, …], …] along `dim` (PyTorch's gather): `index` and `out` have
 * `indexShape`; src's other dims must be at least as large. Returns the position in `index` of
 * the first out-of-range index (or −1 when all are in range), before writing anything. (The
 * position, not the value: a value of −1 is itself out of range and must not read as "none".)
 */
export function gatherKernel(
  src: TypedArray, srcShape: readonly number[], index: Int32Array, indexShape: readonly number[], dim: number, out: TypedArray,
): number {
  const srcStrides = rowMajor(srcShape);
  const size = srcShape[dim];
  for (let p = 0; p < index.length; p++) if (index[p] < 0 || index[p] >= size) return p;
  forEachIndex(indexShape, (p, coords) => {
    let at = 0;
    for (let d = 0; d < coords.length; d++) at += (d === dim ? index[p] : coords[d]) * srcStrides[d];
    out[p] = src[at];
  });
  return -1;
}

/** target[…, index[…, j, …], …] += src[…, j, …] along `dim` (PyTorch's scatter_add_). Returns as gatherKernel. */
export function scatterAddKernel(
  target: TypedArray, targetShape: readonly number[], index: Int32Array, indexShape: readonly number[], dim: number, src: TypedArray,
): number {
  const strides = rowMajor(targetShape);
  const size = targetShape[dim];
  for (let p = 0; p < index.length; p++) if (index[p] < 0 || index[p] >= size) return p;
  forEachIndex(indexShape, (p, coords) => {
    let at = 0;
    for (let d = 0; d < coords.length; d++) at += (d === dim ? index[p] : coords[d]) * strides[d];
    target[at] += src[p];
  });
  return -1;
}

/** out[o, j, r] = src[o, index[j], r]: whole slices along `dim` (index_select). Returns as gatherKernel. */
export function indexSelectKernel(src: TypedArray, srcShape: readonly number[], dim: number, index: Int32Array, out: TypedArray): number {
  const { outer, size, inner } = splitAround(srcShape, dim);
  for (let j = 0; j < index.length; j++) if (index[j] < 0 || index[j] >= size) return j;
  const n = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const from = (o * size + index[j]) * inner;
      const to = (o * n + j) * inner;
      for (let r = 0; r < inner; r++) out[to + r] = src[from + r];
    }
  }
  return -1;
}

/** target[o, index[j], r] += src[o, j, r] (index_add_). Returns as gatherKernel. */
export function indexAddKernel(target: TypedArray, targetShape: readonly number[], dim: number, index: Int32Array, src: TypedArray): number {
  const { outer, size, inner } = splitAround(targetShape, dim);
  for (let j = 0; j < index.length; j++) if (index[j] < 0 || index[j] >= size) return j;
  const n = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const to = (o * size + index[j]) * inner;
      const from = (o * n + j) * inner;
      for (let r = 0; r < inner; r++) target[to + r] += src[from + r];
    }
  }
  return -1;
}

function rowMajor(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Calls visit(flatPosition, coordinates) for every index of `shape` in row-major order. */
function forEachIndex(shape: readonly number[], visit: (p: number, coords: number[]) => void): void {
  const coords = new Array<number>(shape.length).fill(0);
  let total = 1;
  for (const s of shape) total *= s;
  for (let p = 0; p < total; p++) {
    visit(p, coords);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++coords[d] < shape[d]) break;
      coords[d] = 0;
    }
  }
}
