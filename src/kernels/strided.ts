/**
 * Walking strided (possibly non-contiguous, possibly broadcast) arrays. A tensor's element at
 * multi-index (i0, …, i_{d−1}) lives at `offset + Σ i_k · strides[k]` in its storage; these helpers
 * visit every index of a shape in row-major order, one innermost row at a time, so the work per
 * element stays a plain indexed load/store.
 */
import type { TypedArray } from './dtype.js';

/** Copies the strided view (shape, strides, offset) of `src` into `dst` (contiguous, from 0). */
export function stridedCopy(
  src: TypedArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  dst: TypedArray,
): void {
  const nd = shape.length;
  if (nd === 0) {
    dst[0] = src[offset];
    return;
  }
  const total = dst.length;
  if (total === 0) return;
  const rowLen = shape[nd - 1];
  const rowStride = strides[nd - 1];
  const index = new Array<number>(nd).fill(0);
  let srcRow = offset;
  for (let d = 0; d < total; d += rowLen) {
    if (rowStride === 1) {
      for (let j = 0; j < rowLen; j++) dst[d + j] = src[srcRow + j];
    } else {
      for (let j = 0, s = srcRow; j < rowLen; j++, s += rowStride) dst[d + j] = src[s];
    }
    srcRow = advance(index, shape, strides, srcRow, nd - 2);
  }
}

/** Writes contiguous `src` into the strided view (shape, strides, offset) of `dst`. */
export function stridedWrite(
  src: TypedArray,
  dst: TypedArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): void {
  const nd = shape.length;
  if (nd === 0) {
    dst[offset] = src[0];
    return;
  }
  const total = src.length;
  if (total === 0) return;
  const rowLen = shape[nd - 1];
  const rowStride = strides[nd - 1];
  const index = new Array<number>(nd).fill(0);
  let dstRow = offset;
  for (let s = 0; s < total; s += rowLen) {
    for (let j = 0, d = dstRow; j < rowLen; j++, d += rowStride) dst[d] = src[s + j];
    dstRow = advance(index, shape, strides, dstRow, nd - 2);
  }
}

/**
 * Steps the multi-index `index` (dims 0..fromDim) to the next row, like an odometer, and returns
 * the storage position of that row's first element.
 */
export function advance(
  index: number[],
  shape: readonly number[],
  strides: readonly number[],
  position: number,
  fromDim: number,
): number {
  // BEGIN SOLUTION m0 — advance: step the multi-index like an odometer from dim fromDim down to 0, keeping position = offset + Σ index[k]·strides[k], and return the new position
  for (let k = fromDim; k >= 0; k--) {
    index[k]++;
    position += strides[k];
    if (index[k] < shape[k]) return position;
    position -= index[k] * strides[k];
    index[k] = 0;
  }
  return position;
  // END SOLUTION
}
