/**
 * 2-d max pooling, forward and backward (PyTorch's `max_pool2d`, dilation and ceil mode
 * included: ceil mode only changes outH/outW, and windows are cut at the input's edge), and
 * max unpooling (PyTorch's `max_unpool2d`).
 *
 * Forward:  out[n, c, i, j] = max over the window of x[n, c, ·, ·]; padding never wins.
 *           argmax[n, c, i, j] = the flat index y·inW + x within the input plane of the winner
 *           (PyTorch's `return_indices` convention); the first maximum wins ties, and a NaN
 *           wins over any number (NaN propagates, as in PyTorch).
 * Backward: ∂out/∂x is 1 at the winner and 0 elsewhere, so
 *           gradX[n, c, argmax[n, c, i, j]] += gradOut[n, c, i, j]   (windows may overlap).
 * Unpool:   out[n, c, indices[n, c, k]] = x[n, c, k] on a zero plane (a later write wins).
 */
import { ShapeError } from '../errors.js';
import type { FloatArray, TypedArray } from './dtype.js';
import { checkPoolPadding, type Pool2dSpec } from './pool2d.js';

/** A max-pooling call: the pooling geometry and its dilation (absent = 1). */
export interface MaxPool2dSpec extends Pool2dSpec {
  /** Vertical spacing between window taps (default 1). */
  dilationH?: number;
  /** Horizontal spacing between window taps (default 1). */
  dilationW?: number;
}

/**
 * Writes out [batch, channels, outH, outW] = max-pool(x [batch, channels, inH, inW]) and the
 * winners' plane-flat indices into argmax (same length as out). Window (i, j) reads rows
 * i·strideH − padTop + p·dilationH and columns j·strideW − padLeft + q·dilationW. Throws a
 * ShapeError when the padding exceeds half the dilated kernel or a window holds no input element.
 */
export function maxPool2d(x: FloatArray, out: FloatArray, argmax: Int32Array, s: MaxPool2dSpec): void {
  const dH = s.dilationH ?? 1, dW = s.dilationW ?? 1;
  checkPoolPadding('maxPool2d', s, dH, dW);
  const inPlane = s.inH * s.inW;
  const outPlane = s.outH * s.outW;
  // First and one-past-last input row (column) of each window, stepping by the dilation.
  const range = (i: number, stride: number, pad: number, k: number, d: number, size: number): [number, number] => {
    let lo = i * stride - pad;
    const hi = Math.min(lo + (k - 1) * d + 1, size);
    while (lo < 0) lo += d;
    if (lo >= hi) throw new ShapeError(`maxPool2d: a pooling window at output position ${i} covers only padding (input size ${size}, kernel ${k}, dilation ${d}, padding ${pad})`);
    return [lo, hi];
  };
  for (let plane = 0; plane < s.batch * s.channels; plane++) {
    const xBase = plane * inPlane;
    for (let i = 0; i < s.outH; i++) {
      const [yLo, yHi] = range(i, s.strideH, s.padTop, s.kH, dH, s.inH);
      for (let j = 0; j < s.outW; j++) {
        const [xLo, xHi] = range(j, s.strideW, s.padLeft, s.kW, dW, s.inW);
        let best = -Infinity;
        let bestAt = yLo * s.inW + xLo;
        for (let y = yLo; y < yHi; y += dH) {
          for (let xi = xLo; xi < xHi; xi += dW) {
            const v = x[xBase + y * s.inW + xi];
            if (v > best || v !== v) {
              best = v;
              bestAt = y * s.inW + xi;
              if (v !== v) break;
            }
          }
          if (best !== best) break;
        }
        const o = plane * outPlane + i * s.outW + j;
        out[o] = best;
        argmax[o] = bestAt;
      }
    }
  }
}

/** gradX [batch, channels, inH, inW] = the backward of `maxPool2d` from its argmax (overwrites). */
export function maxPool2dBackward(gradOut: FloatArray, argmax: Int32Array, gradX: FloatArray, s: Pool2dSpec): void {
  const inPlane = s.inH * s.inW;
  const outPlane = s.outH * s.outW;
  gradX.fill(0);
  for (let plane = 0; plane < s.batch * s.channels; plane++) {
    const xBase = plane * inPlane;
    const oBase = plane * outPlane;
    for (let o = 0; o < outPlane; o++) gradX[xBase + argmax[oBase + o]] += gradOut[oBase + o];
  }
}

/**
 * out [planes, outPlane] = zeros with x [planes, inPlane] written at the positions `indices`
 * [planes, inPlane] (plane-flat, as maxPool2d's argmax). Throws a ShapeError, before writing,
 * on an index outside [0, outPlane).
 */
export function maxUnpool2d(x: TypedArray, indices: Int32Array, out: TypedArray, planes: number, inPlane: number, outPlane: number): void {
  for (let k = 0; k < indices.length; k++) {
    if (indices[k] < 0 || indices[k] >= outPlane) {
      throw new ShapeError(`maxUnpool2d: found an invalid max index ${indices[k]} (output planes hold ${outPlane} elements)`);
    }
  }
  out.fill(0);
  for (let p = 0; p < planes; p++) {
    const inBase = p * inPlane, outBase = p * outPlane;
    for (let k = 0; k < inPlane; k++) out[outBase + indices[inBase + k]] = x[inBase + k];
  }
}
