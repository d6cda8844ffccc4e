/**
 * 2-d max pooling, forward and backward (PyTorch's `max_pool2d` with ceil_mode=False).
 *
 * Forward:  out[n, c, i, j] = max over the window of x[n, c, ·, ·]; padding never wins.
 *           argmax[n, c, i, j] = the flat index y·inW + x within the input plane of the winner
 *           (PyTorch's `return_indices` convention); the first maximum wins ties, and a NaN
 *           wins over any number (NaN propagates, as in PyTorch).
 * Backward: ∂out/∂x is 1 at the winner and 0 elsewhere, so
 *           gradX[n, c, argmax[n, c, i, j]] += gradOut[n, c, i, j]   (windows may overlap).
 */
import type { FloatArray } from '../tensor/dtype.js';
import { checkPoolPadding, type Pool2dSpec } from './pool2d.js';

/**
 * Writes out [batch, channels, outH, outW] = max-pool(x [batch, channels, inH, inW]) and the
 * winners' plane-flat indices into argmax (same length as out). Throws a ShapeError when the
 * padding exceeds half the kernel.
 */
export function maxPool2d(x: FloatArray, out: FloatArray, argmax: Int32Array, s: Pool2dSpec): void {
  checkPoolPadding('maxPool2d', s);
  const inPlane = s.inH * s.inW;
  const outPlane = s.outH * s.outW;
  for (let plane = 0; plane < s.batch * s.channels; plane++) {
    const xBase = plane * inPlane;
    for (let i = 0; i < s.outH; i++) {
      const y0 = i * s.strideH - s.padTop;
      const yLo = Math.max(0, y0), yHi = Math.min(s.inH, y0 + s.kH);
      for (let j = 0; j < s.outW; j++) {
        const x0 = j * s.strideW - s.padLeft;
        const xLo = Math.max(0, x0), xHi = Math.min(s.inW, x0 + s.kW);
        let best = -Infinity;
        let bestAt = yLo * s.inW + xLo;
        for (let y = yLo; y < yHi; y++) {
          for (let xi = xLo; xi < xHi; xi++) {
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
