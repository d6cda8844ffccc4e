/**
 * Pooling as functions: maxPool2d, avgPool2d (PyTorch's floor-mode output size, padding at most
 * half the kernel, stride defaulting to the kernel) and adaptiveAvgPool2d. Inputs are
 * (N, C, H, W) or unbatched (C, H, W).
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { AvgPool2d, MaxPool2d } from '../../autograd/functions/pool.js';
import { poolOutputSize, type Pool2dSpec } from '../../kernels/pool2d.js';
import { isFloating } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { tupleOf, type IntOrPair } from './conv-args.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of maxPool2d/avgPool2d. */
export interface PoolOptions {
  /** Default: the kernel size. */
  stride?: IntOrPair | null;
  /**
   * Implicit padding on each side, one number or [h, w], at most half the kernel (−∞ for max pooling, 0 for
   * average). Default 0.
   */
  padding?: IntOrPair;
}

/** Options of avgPool2d. */
export interface AvgPoolOptions extends PoolOptions {
  /** Count padding zeros in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
}

/** Checks a 3-d or 4-d float input; returns it batched and contiguous. */
function batchedImages(op: string, x: Tensor): Tensor {
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`${op}: expected a 3-d (unbatched) or 4-d (batched) input, got shape ${fmtShape(x.shape)}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a float input, got ${x.dtype}`);
  return (x.ndim === 4 ? x : x.unsqueeze(0)).contiguous();
}

/** The kernel spec for x [N, C, H, W], checking sizes and padding with errors that name `op`. */
export function poolSpec(op: string, x: Tensor, kernelSize: IntOrPair, opts: PoolOptions): Pool2dSpec {
  const [kH, kW] = tupleOf(op, 'kernelSize', kernelSize, 2, 1);
  const [strideH, strideW] = tupleOf(op, 'stride', opts.stride ?? [kH, kW], 2, 1);
  const [padTop, padLeft] = tupleOf(op, 'padding', opts.padding ?? 0, 2, 0);
  if (2 * padTop > kH || 2 * padLeft > kW) {
    throw new ShapeError(`${op}: padding [${padTop},${padLeft}] should be at most half of kernel size [${kH},${kW}]`);
  }
  const [batch, channels, inH, inW] = x.shape;
  const outH = poolOutputSize(op, inH, kH, strideH, padTop);
  const outW = poolOutputSize(op, inW, kW, strideW, padLeft);
  return { batch, channels, inH, inW, kH, kW, outH, outW, strideH, strideW, padTop, padLeft };
}

/** Max over each kH×kW window: (N, C, H, W) → (N, C, H', W'). `F.maxPool2d(img, 2)` */
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, opts: PoolOptions = {}, op = 'maxPool2d'): Tensor {
  checkOptions(op, opts, optionKeys<PoolOptions>({ stride: true, padding: true }));
  const xb = batchedImages(op, x);
  const out = MaxPool2d.apply(xb, poolSpec(op, xb, kernelSize, opts));
  return x.ndim === 3 ? out.squeeze(0) : out;
}

/**
 * Mean over each kH×kW window: (N, C, H, W) → (N, C, H', W'). `F.avgPool2d(img, 3, { stride: 1, padding: 1 })`
 */
export function avgPool2d(x: Tensor, kernelSize: IntOrPair, opts: AvgPoolOptions = {}, op = 'avgPool2d'): Tensor {
  checkOptions(op, opts, optionKeys<AvgPoolOptions>({ stride: true, padding: true, countIncludePad: true }));
  const xb = batchedImages(op, x);
  const out = AvgPool2d.apply(xb, poolSpec(op, xb, kernelSize, opts), opts.countIncludePad ?? true);
  return x.ndim === 3 ? out.squeeze(0) : out;
}

/**
 * The averaging matrix of adaptive pooling along one axis: bin i covers
 * [⌊i·n/m⌋, ⌈(i+1)·n/m⌉) (PyTorch's bins, which may overlap), with weight 1/(bin length).
 */
function adaptiveBins(n: number, m: number, x: Tensor): Tensor {
  const a = new Tensor(new Float64Array(m * n), [m, n], { dtype: 'float64' });
  for (let i = 0; i < m; i++) {
    const start = Math.floor((i * n) / m);
    const end = Math.ceil(((i + 1) * n) / m);
    for (let j = start; j < end; j++) a.storage[i * n + j] = 1 / (end - start);
  }
  return a.to(x.dtype);
}

/**
 * Average pooling to a fixed output size (oH, oW) (null keeps that input size). The bins are
 * rectangles, so the pooling is separable: out = A_H · x · A_Wᵀ with the averaging matrices of
 * each axis, two matrix products whose gradients autograd already knows.
 * `F.adaptiveAvgPool2d(img, 1)`
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null], op = 'adaptiveAvgPool2d'): Tensor {
  const xb = batchedImages(op, x);
  const [inH, inW] = [xb.shape[2], xb.shape[3]];
  const sizes = typeof outputSize === 'number' ? [outputSize, outputSize] : [outputSize[0] ?? inH, outputSize[1] ?? inW];
  const [oH, oW] = tupleOf(op, 'outputSize', sizes, 2, 1);
  if (inH === 0 || inW === 0) throw new ShapeError(`${op}: expected a non-empty input, got shape ${fmtShape(x.shape)}`);
  const rows = oH === inH ? xb : adaptiveBins(inH, oH, xb).matmul(xb);
  const out = oW === inW ? rows : rows.matmul(adaptiveBins(inW, oW, xb).T);
  return x.ndim === 3 ? out.squeeze(0) : out;
}
