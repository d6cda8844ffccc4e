/**
 * 2-d average pooling, forward and backward (PyTorch's `avg_pool2d` with ceil_mode=False).
 *
 * Forward:  out[n, c, i, j] = (Σ over the window's real input elements of x) / d
 *           with d = kH·kW when `countIncludePad` (PyTorch's default: padding counts as zeros;
 *           with ceil_mode=False every window lies inside the padded input, so d is the full
 *           kernel), else d = the number of real input elements in the window.
 * Backward: ∂out[i, j]/∂x[y, x] = 1/d for every (y, x) in window (i, j), so
 *           gradX[y, x] = Σ over windows containing (y, x) of gradOut[i, j] / d(i, j).
 * The two walk the windows with the same loop nest, written out in each: a shared walk with a
 * callback per window made both 1.3–1.8× slower (V8 does not inline the two callbacks).
 */
import type { FloatArray } from './dtype.js';
import { checkPoolPadding, type Pool2dSpec } from './pool2d.js';

/** The divisor d(i, j) of one window clipped to rows [yLo, yHi) and columns [xLo, xHi). */
function divisor(s: Pool2dSpec, countIncludePad: boolean, yLo: number, yHi: number, xLo: number, xHi: number): number {
  return countIncludePad ? s.kH * s.kW : (yHi - yLo) * (xHi - xLo);
}

/**
 * Writes out [batch, channels, outH, outW] = avg-pool(x [batch, channels, inH, inW]).
 * Throws a ShapeError when the padding exceeds half the kernel.
 */
export function avgPool2d(x: FloatArray, out: FloatArray, s: Pool2dSpec, countIncludePad = true): void {
  checkPoolPadding('avgPool2d', s);
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
        let sum = 0;
        for (let y = yLo; y < yHi; y++) {
          const row = xBase + y * s.inW;
          for (let xi = xLo; xi < xHi; xi++) sum += x[row + xi];
        }
        out[plane * outPlane + i * s.outW + j] = sum / divisor(s, countIncludePad, yLo, yHi, xLo, xHi);
      }
    }
  }
}

/** gradX [batch, channels, inH, inW] = the backward of `avgPool2d` (overwrites). */
export function avgPool2dBackward(gradOut: FloatArray, gradX: FloatArray, s: Pool2dSpec, countIncludePad = true): void {
  checkPoolPadding('avgPool2d', s);
  const inPlane = s.inH * s.inW;
  const outPlane = s.outH * s.outW;
  gradX.fill(0);
  for (let plane = 0; plane < s.batch * s.channels; plane++) {
    const xBase = plane * inPlane;
    for (let i = 0; i < s.outH; i++) {
      const y0 = i * s.strideH - s.padTop;
      const yLo = Math.max(0, y0), yHi = Math.min(s.inH, y0 + s.kH);
      for (let j = 0; j < s.outW; j++) {
        const x0 = j * s.strideW - s.padLeft;
        const xLo = Math.max(0, x0), xHi = Math.min(s.inW, x0 + s.kW);
        const share = gradOut[plane * outPlane + i * s.outW + j] / divisor(s, countIncludePad, yLo, yHi, xLo, xHi);
        for (let y = yLo; y < yHi; y++) {
          const row = xBase + y * s.inW;
          for (let xi = xLo; xi < xHi; xi++) gradX[row + xi] += share;
        }
      }
    }
  }
}
