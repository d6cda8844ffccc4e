/**
 * The geometry shared by the 2-d pooling kernels (`pool2d-max.ts`, `pool2d-avg.ts`), with
 * PyTorch's semantics for `ceil_mode=False`: window (i, j) of plane (n, c) covers input rows
 * i·strideH − padTop … + kH − 1 and columns j·strideW − padLeft … + kW − 1; rows and columns
 * outside the input are padding. Tensors are contiguous NCHW.
 */
import { ShapeError } from '../errors.js';

/** One pooling call: x [batch, channels, inH, inW] → out [batch, channels, outH, outW]. */
export interface Pool2dSpec {
  batch: number;
  channels: number;
  inH: number;
  inW: number;
  kH: number;
  kW: number;
  outH: number;
  outW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/**
 * PyTorch's output length along one axis with ceil_mode=False:
 *   out = ⌊(inSize + 2·padding − kernel) / stride⌋ + 1.
 * Throws a ShapeError naming `op` when the padded input is smaller than the kernel.
 */
export function poolOutputSize(op: string, inSize: number, kernel: number, stride: number, padding: number): number {
  const out = Math.floor((inSize + 2 * padding - kernel) / stride) + 1;
  if (out < 1) {
    throw new ShapeError(`${op}: input size ${inSize} with padding ${padding} is smaller than kernel size ${kernel}`);
  }
  return out;
}

/**
 * PyTorch's rule that padding is at most half the kernel, so that every window holds at least
 * one real input element (a max over padding alone would be −∞).
 */
export function checkPoolPadding(op: string, s: Pool2dSpec): void {
  if (2 * s.padTop > s.kH || 2 * s.padLeft > s.kW) {
    throw new ShapeError(
      `${op}: padding [${s.padTop},${s.padLeft}] should be at most half of kernel size [${s.kH},${s.kW}]`,
    );
  }
  if (s.strideH < 1 || s.strideW < 1) throw new ShapeError(`${op}: stride [${s.strideH},${s.strideW}] must be positive`);
}
