/**
 * Separable 2-d resampling of contiguous planes, forward and backward: the kernels under
 * nearest and (bi)linear interpolation. Each axis has its taps, computed by the caller with the
 * mode's index formulas: output position i reads input positions index0[i] and index1[i] with
 * weights weight0[i] and weight1[i] (nearest: one position, weight 1). Per plane
 *   out[i, j] = Σ_a Σ_b wH_a[i]·wW_b[j]·x[idxH_a[i], idxW_b[j]]      (a, b ∈ {0, 1})
 * evaluated as wH_0·(wW_0·x00 + wW_1·x01) + wH_1·(wW_0·x10 + wW_1·x11), PyTorch's order.
 * A tap of weight 0 is skipped, so nearest copies values exactly (0·∞ would be NaN).
 * The backward is the adjoint: gradX[idxH_a[i], idxW_b[j]] += wH_a[i]·wW_b[j]·g[i, j].
 */
import type { TypedArray } from './dtype.js';

/** The taps of one axis: input size, and per output position two indices and their weights. */
export interface AxisTaps {
  /** Input length along the axis. */
  inSize: number;
  /** Per output position, the first input position it reads. */
  index0: Int32Array;
  /** Per output position, the second input position it reads. */
  index1: Int32Array;
  /** Per output position, the weight of `index0`. */
  weight0: Float64Array;
  /** Per output position, the weight of `index1` (0: the tap is skipped). */
  weight1: Float64Array;
}

/** Σ over the taps along W of one input row: wW_0·row[idx0] (+ wW_1·row[idx1] when that weight is nonzero). */
function rowValue(x: TypedArray, rowBase: number, w: AxisTaps, j: number): number {
  const first = w.weight0[j] * x[rowBase + w.index0[j]];
  return w.weight1[j] === 0 ? first : first + w.weight1[j] * x[rowBase + w.index1[j]];
}

/** out [planes, outH, outW] = resample(x [planes, inH, inW]) by the taps of each axis. */
export function interpolate2d(x: TypedArray, out: TypedArray, planes: number, h: AxisTaps, w: AxisTaps): void {
  const inPlane = h.inSize * w.inSize;
  const outH = h.index0.length, outW = w.index0.length;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let i = 0; i < outH; i++) {
      const row0 = base + h.index0[i] * w.inSize, row1 = base + h.index1[i] * w.inSize;
      const wh0 = h.weight0[i], wh1 = h.weight1[i];
      for (let j = 0; j < outW; j++) {
        const top = wh0 * rowValue(x, row0, w, j);
        out[o++] = wh1 === 0 ? top : top + wh1 * rowValue(x, row1, w, j);
      }
    }
  }
}

/** gradX [planes, inH, inW] = the adjoint of `interpolate2d` applied to g [planes, outH, outW] (overwrites). */
export function interpolate2dBackward(g: TypedArray, gradX: TypedArray, planes: number, h: AxisTaps, w: AxisTaps): void {
  const inPlane = h.inSize * w.inSize;
  const outH = h.index0.length, outW = w.index0.length;
  gradX.fill(0);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        const gv = g[o++];
        for (let a = 0; a < 2; a++) {
          const wh = a === 0 ? h.weight0[i] : h.weight1[i];
          if (wh === 0) continue;
          const row = base + (a === 0 ? h.index0[i] : h.index1[i]) * w.inSize;
          if (w.weight0[j] !== 0) gradX[row + w.index0[j]] += wh * w.weight0[j] * gv;
          if (w.weight1[j] !== 0) gradX[row + w.index1[j]] += wh * w.weight1[j] * gv;
        }
      }
    }
  }
}
