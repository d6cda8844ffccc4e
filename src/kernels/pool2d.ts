/**
 * The geometry shared by the 2-d pooling kernels (`pool2d-max.ts`, `pool2d-avg.ts`), with
 * PyTorch's semantics: window (i, j) of plane (n, c) covers input rows
 * i·strideH − padTop … + kH − 1 and columns j·strideW − padLeft … + kW − 1 (max pooling may
 * dilate them: every dilation-th row and column); rows and columns outside the input are
 * padding. Tensors are contiguous NCHW.
 */
import { ShapeError } from '../errors.js';
import type { Window2d } from './window2d.js';

/** One pooling call: x [batch, channels, inH, inW] → out [batch, channels, outH, outW]. */
export interface Pool2dSpec extends Window2d {
  /** N, the number of images. */
  batch: number;
  /** Channels (planes per image). */
  channels: number;
}

/**
 * PyTorch's output length along one axis, for a window spanning dilation·(kernel − 1) + 1:
 *   floor mode: out = ⌊(inSize + 2·padding − span) / stride⌋ + 1
 *   ceil mode:  out = ⌈(inSize + 2·padding − span) / stride⌉ + 1, less one when the last
 *               window would start in the right padding ((out − 1)·stride ≥ inSize + padding).
 * Throws a ShapeError naming `op` when the padded input is smaller than the window.
 */
export function poolOutputSize(op: string, inSize: number, kernel: number, stride: number, padding: number, dilation = 1, ceilMode = false): number {
  const span = dilation * (kernel - 1) + 1;
  let out = Math.floor((inSize + 2 * padding - span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= inSize + padding) out--;
  if (out < 1) {
    const what = dilation === 1 ? `kernel size ${kernel}` : `dilated kernel size ${span} (kernel ${kernel}, dilation ${dilation})`;
    throw new ShapeError(`${op}: input size ${inSize} with padding ${padding} is smaller than ${what}`);
  }
  return out;
}

/**
 * PyTorch's rule that padding is at most half the (dilated) kernel, ⌊(dilation·(k − 1) + 1)/2⌋,
 * so that windows reach into the input (a max over padding alone would be −∞).
 */
export function checkPoolPadding(op: string, s: Pool2dSpec, dilationH = 1, dilationW = 1): void {
  const spanH = dilationH * (s.kH - 1) + 1, spanW = dilationW * (s.kW - 1) + 1;
  if (s.padTop > Math.floor(spanH / 2) || s.padLeft > Math.floor(spanW / 2)) {
    const kernel = dilationH === 1 && dilationW === 1 ? `kernel size [${s.kH},${s.kW}]` : `effective kernel size [${spanH},${spanW}] (kernel [${s.kH},${s.kW}], dilation [${dilationH},${dilationW}])`;
    throw new ShapeError(`${op}: padding [${s.padTop},${s.padLeft}] should be at most half of ${kernel}`);
  }
  if (s.strideH < 1 || s.strideW < 1) throw new ShapeError(`${op}: stride [${s.strideH},${s.strideW}] must be positive`);
}
