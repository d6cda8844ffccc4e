/**
 * 2-d average pooling, forward and backward (PyTorch's `avg_pool2d` with ceil_mode=False).
 *
 * Forward:  out[n, c, i, j] = (Σ over the window's real input elements of x) / d
 *           with d = kH·kW when `countIncludePad` (PyTorch's default: padding counts as zeros;
 *           with ceil_mode=False every window lies inside the padded input, so d is the full
 *           kernel), else d = the number of real input elements in the window.
 * Backward: ∂out[i, j]/∂x[y, x] = 1/d for every (y, x) in window (i, j), so
 *           gradX[y, x] = Σ over windows containing (y, x) of gradOut[i, j] / d(i, j).
 */
import type { FloatArray } from './dtype.js';
import { checkPoolPadding, type Pool2dSpec } from './pool2d.js';

/** The divisor d(i, j) of one window clipped to rows [yLo, yHi) and columns [xLo, xHi). */
function divisor(s: Pool2dSpec, countIncludePad: boolean, yLo: number, yHi: number, xLo: number, xHi: number): number {
  return countIncludePad ? s.kH * s.kW : (yHi - yLo) * (xHi - xLo);
}

/**
 * Calls `visit(o, yLo, yHi, xLo, xHi, xBase, d)` for every window: o its flat position in out,
 * [yLo, yHi) × [xLo, xHi) the rows and columns of x it covers (clipped to the input), xBase the
 * offset of its plane in x and d its divisor.
 */
function eachWindow(
  s: Pool2dSpec,
  countIncludePad: boolean,
  visit: (o: number, yLo: number, yHi: number, xLo: number, xHi: number, xBase: number, d: number) => void,
): void {
  const inPlane = s.inH * s.inW;
  const outPlane = s.outH * s.outW;
  for (let plane = 0; plane < s.batch * s.channels; plane++) {
    for (let i = 0; i < s.outH; i++) {
      const y0 = i * s.strideH - s.padTop;
      const yLo = Math.max(0, y0), yHi = Math.min(s.inH, y0 + s.kH);
      for (let j = 0; j < s.outW; j++) {
        const x0 = j * s.strideW - s.padLeft;
        const xLo = Math.max(0, x0), xHi = Math.min(s.inW, x0 + s.kW);
        visit(plane * outPlane + i * s.outW + j, yLo, yHi, xLo, xHi, plane * inPlane, divisor(s, countIncludePad, yLo, yHi, xLo, xHi));
      }
    }
  }
}

/**
 * Writes out [batch, channels, outH, outW] = avg-pool(x [batch, channels, inH, inW]).
 * Throws a ShapeError when the padding exceeds half the kernel.
 */
export function avgPool2d(x: FloatArray, out: FloatArray, s: Pool2dSpec, countIncludePad = true): void {
  checkPoolPadding('avgPool2d', s);
  eachWindow(s, countIncludePad, (o, yLo, yHi, xLo, xHi, xBase, d) => {
    let sum = 0;
    for (let y = yLo; y < yHi; y++) {
      const row = xBase + y * s.inW;
      for (let xi = xLo; xi < xHi; xi++) sum += x[row + xi];
    }
    out[o] = sum / d;
  });
}

/** gradX [batch, channels, inH, inW] = the backward of `avgPool2d` (overwrites). */
export function avgPool2dBackward(gradOut: FloatArray, gradX: FloatArray, s: Pool2dSpec, countIncludePad = true): void {
  checkPoolPadding('avgPool2d', s);
  gradX.fill(0);
  eachWindow(s, countIncludePad, (o, yLo, yHi, xLo, xHi, xBase, d) => {
    const share = gradOut[o] / d;
    for (let y = yLo; y < yHi; y++) {
      const row = xBase + y * s.inW;
      for (let xi = xLo; xi < xHi; xi++) gradX[row + xi] += share;
    }
  });
}
