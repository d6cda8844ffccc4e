/**
 * im2col and col2im: the rearrangement that turns a convolution into a matrix product.
 *
 * For one image (channels c0 … c0+C−1 of sample n) the column matrix has one row per weight
 * position (c, p, q) and one column per output pixel (i, j):
 *   cols[(c·kH + p)·kW + q, i·outW + j] = x[n, c0 + c, i·sH − pT + p·dH, j·sW − pL + q·dW]   (0 outside x)
 * so out[o, :] = Σ_r w[o, r] · cols[r, :] is the convolution. col2im is the adjoint (transpose)
 * of im2col: it adds each column entry back onto the input pixel it was read from, which is
 * exactly what the input gradient needs.
 */
import type { FloatArray } from './dtype.js';
import type { Conv2dSpec } from './backend.js';

/**
 * The output columns j whose input column j·sW − pL + q·dW lies in [0, inW): [lo, hi).
 * Solving 0 ≤ j·sW + shift < inW for j with shift = q·dW − pL.
 */
function validColumns(s: Conv2dSpec, q: number): [number, number] {
  const shift = q * s.dilationW - s.padLeft;
  const lo = shift >= 0 ? 0 : Math.min(s.outW, Math.ceil(-shift / s.strideW));
  const hi = Math.min(s.outW, Math.max(lo, Math.ceil((s.inW - shift) / s.strideW)));
  return [lo, hi];
}

/**
 * Writes the [channels·kH·kW, outH·outW] column matrix of x's channels [c0, c0+channels) of
 * sample n into cols (row-major from index 0).
 *
 * Each column-matrix row segment (fixed c, p, q, i) is a zero run (left padding), a copy of
 * input pixels and another zero run. The runs are written by plain loops: they are a few
 * elements long, and a `fill`/`set` call per run costs more than the elements it writes.
 * With unit strides and outW = inW (a "same" convolution) a whole row of the column matrix is
 * one block copy instead (`sameRowBlock`).
 */
export function im2col(x: FloatArray, n: number, c0: number, channels: number, s: Conv2dSpec, cols: FloatArray): void {
  const { outH, outW, inH, inW, strideW } = s;
  const hw = outH * outW;
  const blockRows = isSameConvolution(s);
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = (n * s.inChannels + c0 + c) * inH * inW;
    for (let p = 0; p < s.kH; p++) {
      for (let q = 0; q < s.kW; q++, row++) {
        const [lo, hi] = validColumns(s, q);
        if (blockRows) {
          sameRowBlock(x, plane, p, q, lo, hi, s, cols, row * hw);
          continue;
        }
        const xShift = q * s.dilationW - s.padLeft;
        for (let i = 0; i < outH; i++) {
          const dst = row * hw + i * outW;
          const y = i * s.strideH - s.padTop + p * s.dilationH;
          if (y < 0 || y >= inH) {
            for (let j = 0; j < outW; j++) cols[dst + j] = 0;
            continue;
          }
          for (let j = 0; j < lo; j++) cols[dst + j] = 0;
          const src = plane + y * inW + xShift;
          if (strideW === 1) for (let j = lo; j < hi; j++) cols[dst + j] = x[src + j];
          else for (let j = lo; j < hi; j++) cols[dst + j] = x[src + j * strideW];
          for (let j = hi; j < outW; j++) cols[dst + j] = 0;
        }
      }
    }
  }
}

/** Unit strides and outW = inW: the column-matrix rows can be moved as single spans (`sameRowSpan`). */
function isSameConvolution(s: Conv2dSpec): boolean {
  return s.strideW === 1 && s.strideH === 1 && s.outW === s.inW;
}

/**
 * The valid output rows [i0, i1) of column-matrix row (p, q) when strides are 1 and outW = inW,
 * and where its first valid entry (row i0, column lo) reads x, relative to the channel's plane.
 * Output rows i and i + 1 then read input rows y and y + 1 at the same column shift, so the
 * entries of all valid rows sit in x back to back: from `first`, (i1 − i0 − 1)·outW + hi − lo
 * of them. Between two rows that span also covers the few pixels that wrap around the image
 * edge; those column-matrix entries are padding (j < lo or j ≥ hi).
 */
function sameRowSpan(s: Conv2dSpec, p: number, q: number, lo: number): { i0: number; i1: number; first: number } {
  const yShift = p * s.dilationH - s.padTop;
  // Valid output rows: 0 ≤ i + yShift < inH.
  const i0 = Math.min(s.outH, Math.max(0, -yShift));
  const i1 = Math.max(i0, Math.min(s.outH, s.inH - yShift));
  return { i0, i1, first: (i0 + yShift) * s.inW + q * s.dilationW - s.padLeft + lo };
}

/** Zeroes the padding entries (j < lo, j ≥ hi) of column-matrix rows i0 … i1−1 starting at dst. */
function zeroRowEdges(cols: FloatArray, dst: number, outW: number, i0: number, i1: number, lo: number, hi: number): void {
  for (let i = i0; i < i1; i++) {
    const rowStart = dst + i * outW;
    for (let j = 0; j < lo; j++) cols[rowStart + j] = 0;
    for (let j = hi; j < outW; j++) cols[rowStart + j] = 0;
  }
}

/**
 * One row (p, q) of the column matrix, at cols[dst…], for a "same" convolution: one block copy
 * of the span `sameRowSpan` finds, then the wrapped padding entries and the rows above and below
 * the image are zeroed.
 */
function sameRowBlock(
  x: FloatArray, plane: number, p: number, q: number, lo: number, hi: number,
  s: Conv2dSpec, cols: FloatArray, dst: number,
): void {
  const { outH, outW } = s;
  const { i0, i1, first } = sameRowSpan(s, p, q, lo);
  if (lo >= hi || i0 >= i1) {
    cols.fill(0, dst, dst + outH * outW);
    return;
  }
  cols.fill(0, dst, dst + i0 * outW);
  cols.fill(0, dst + i1 * outW, dst + outH * outW);
  const from = plane + first;
  cols.set(x.subarray(from, from + (i1 - i0 - 1) * outW + (hi - lo)), dst + i0 * outW + lo);
  zeroRowEdges(cols, dst, outW, i0, i1, lo, hi);
}

/**
 * The adjoint of `sameRowBlock`: adds row (p, q) of the column matrix (at cols[src…]) onto the
 * pixels it was read from, as one run over the span. The wrapped padding entries are zeroed
 * first, so the pixels they overlap receive nothing from them.
 */
function sameRowBlockAdd(
  cols: FloatArray, src: number, p: number, q: number, lo: number, hi: number,
  s: Conv2dSpec, gradX: FloatArray, plane: number, addSpan: AddSpan,
): void {
  const { outW } = s;
  const { i0, i1, first } = sameRowSpan(s, p, q, lo);
  if (lo >= hi || i0 >= i1) return;
  zeroRowEdges(cols, src, outW, i0, i1, lo, hi);
  const from = src + i0 * outW + lo, to = plane + first;
  const length = (i1 - i0 - 1) * outW + (hi - lo);
  addSpan(gradX, to, cols, from, length);
}

/**
 * dst[to + t] += src[from + t] for t < n: the span add of `col2imAdd` ("same" convolutions); a
 * backend may pass a faster one (the WebAssembly backend's f32x4 loop, about 3× this one).
 */
export type AddSpan = (dst: FloatArray, to: number, src: FloatArray, from: number, n: number) => void;

/** The plain span add. */
export function addSpan(dst: FloatArray, to: number, src: FloatArray, from: number, n: number): void {
  for (let t = 0; t < n; t++) dst[to + t] += src[from + t];
}

/**
 * The adjoint of `im2col`: adds every entry of the column matrix onto the pixel of gradX's
 * channels [c0, c0+channels) of sample n that im2col read it from (padding entries are dropped).
 * `cols` is scratch to it: for a "same" convolution its padding entries are zeroed on the way.
 */
export function col2imAdd(cols: FloatArray, n: number, c0: number, channels: number, s: Conv2dSpec, gradX: FloatArray, spanAdd: AddSpan = addSpan): void {
  const hw = s.outH * s.outW;
  const blockRows = isSameConvolution(s);
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = (n * s.inChannels + c0 + c) * s.inH * s.inW;
    for (let p = 0; p < s.kH; p++) {
      for (let q = 0; q < s.kW; q++, row++) {
        const [lo, hi] = validColumns(s, q);
        if (blockRows) {
          sameRowBlockAdd(cols, row * hw, p, q, lo, hi, s, gradX, plane, spanAdd);
          continue;
        }
        const xShift = q * s.dilationW - s.padLeft;
        for (let i = 0; i < s.outH; i++) {
          const y = i * s.strideH - s.padTop + p * s.dilationH;
          if (y < 0 || y >= s.inH) continue;
          const srcRow = row * hw + i * s.outW;
          const dst = plane + y * s.inW + xShift;
          if (s.strideW === 1) for (let j = lo; j < hi; j++) gradX[dst + j] += cols[srcRow + j];
          else for (let j = lo; j < hi; j++) gradX[dst + j * s.strideW] += cols[srcRow + j];
        }
      }
    }
  }
}
