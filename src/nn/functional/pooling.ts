/**
 * Pooling as functions: maxPool2d (dilation, ceil mode and returned indices as PyTorch's),
 * its inverse maxUnpool2d, avgPool2d (PyTorch's floor-mode output size, padding at most half
 * the kernel, stride defaulting to the kernel) and adaptiveAvgPool2d. Inputs are (N, C, H, W)
 * or unbatched (C, H, W).
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { AvgPool2d, MaxPool2d, MaxUnpool2d } from '../../autograd/functions/pool.js';
import { poolOutputSize } from '../../kernels/pool2d.js';
import type { MaxPool2dSpec } from '../../kernels/pool2d-max.js';
import { isFloating } from '../../kernels/dtype.js';
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

/** Options of maxPool2d (PyTorch's defaults: stride = kernel, padding 0, dilation 1, floor mode, no indices). */
export interface MaxPoolOptions extends PoolOptions {
  /** Spacing of the window's elements (default 1). */
  dilation?: IntOrPair;
  /** Round the output size up, so windows may run past the input's end (default false). */
  ceilMode?: boolean;
  /** Also return the winners' plane-flat indices, for maxUnpool2d (default false). */
  returnIndices?: boolean;
}

/** Options of maxUnpool2d (PyTorch's defaults: stride = kernel, padding 0, the default output size). */
export interface MaxUnpoolOptions extends PoolOptions {
  /** The output's spatial size [H, W] (or a full [N, C, H, W]); default (in − 1)·stride − 2·padding + kernel. */
  outputSize?: readonly number[] | null;
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
export function poolSpec(op: string, x: Tensor, kernelSize: IntOrPair, opts: MaxPoolOptions): MaxPool2dSpec {
  const [kH, kW] = tupleOf(op, 'kernelSize', kernelSize, 2, 1);
  const [strideH, strideW] = tupleOf(op, 'stride', opts.stride ?? [kH, kW], 2, 1);
  const [padTop, padLeft] = tupleOf(op, 'padding', opts.padding ?? 0, 2, 0);
  const [dilationH, dilationW] = tupleOf(op, 'dilation', opts.dilation ?? 1, 2, 1);
  const [spanH, spanW] = [dilationH * (kH - 1) + 1, dilationW * (kW - 1) + 1];
  if (padTop > Math.floor(spanH / 2) || padLeft > Math.floor(spanW / 2)) {
    const kernel = dilationH === 1 && dilationW === 1
      ? `kernel size [${kH},${kW}]`
      : `dilated kernel size [${spanH},${spanW}] (kernel [${kH},${kW}], dilation [${dilationH},${dilationW}])`;
    throw new ShapeError(`${op}: padding [${padTop},${padLeft}] should be at most half of ${kernel}`);
  }
  const [batch, channels, inH, inW] = x.shape;
  const ceilMode = opts.ceilMode ?? false;
  const outH = poolOutputSize(op, inH, kH, strideH, padTop, dilationH, ceilMode);
  const outW = poolOutputSize(op, inW, kW, strideW, padLeft, dilationW, ceilMode);
  return { batch, channels, inH, inW, kH, kW, outH, outW, strideH, strideW, padTop, padLeft, dilationH, dilationW };
}

/**
 * Max over each kH×kW window (dilated by `dilation`): (N, C, H, W) → (N, C, H', W'), with
 * H' = ⌊(H + 2·padding − dilation·(kH − 1) − 1)/stride⌋ + 1 (⌈·⌉ in ceil mode, as PyTorch).
 * With returnIndices, returns [out, indices]: each winner's index h·W + w within its input
 * plane (int32, PyTorch's convention), as maxUnpool2d takes them.
 * @example const [y, idx] = maxPool2d(x, 2, { returnIndices: true })
 */
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, opts: MaxPoolOptions & { returnIndices: true }, op?: string): [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, opts?: MaxPoolOptions & { returnIndices?: false }, op?: string): Tensor;
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, opts?: MaxPoolOptions, op?: string): Tensor | [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, opts: MaxPoolOptions = {}, op = 'maxPool2d'): Tensor | [Tensor, Tensor] {
  checkOptions(op, opts, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']);
  const xb = batchedImages(op, x);
  const winners: { indices?: Tensor } = {};
  const out = MaxPool2d.apply(xb, poolSpec(op, xb, kernelSize, opts), (t) => { winners.indices = t; });
  const unbatch = (t: Tensor) => (x.ndim === 3 ? t.squeeze(0) : t);
  return opts.returnIndices ? [unbatch(out), unbatch(winners.indices as Tensor)] : unbatch(out);
}

/**
 * The partial inverse of maxPool2d: x (N, C, H, W) or (C, H, W) and its indices (int32, same
 * shape, plane-flat as maxPool2d returns them) → a zero tensor (N, C, H', W') holding each value
 * at its index. H' = (H − 1)·stride − 2·padding + kH unless outputSize picks one of the sizes
 * a max pooling with these options maps to H (strictly within stride of the default). Where
 * overlapping windows repeat an index, the last value written stays and the backward gathers
 * the gradient to each of them, as in PyTorch.
 * @example maxUnpool2d(y, idx, 2)   // after [y, idx] = maxPool2d(x, 2, { returnIndices: true })
 */
export function maxUnpool2d(x: Tensor, indices: Tensor, kernelSize: IntOrPair, opts: MaxUnpoolOptions = {}, op = 'maxUnpool2d'): Tensor {
  checkOptions(op, opts, ['stride', 'padding', 'outputSize']);
  const xb = batchedImages(op, x);
  if (indices.dtype !== 'int32') throw new DTypeError(`${op}: expected int32 indices, got ${indices.dtype}`);
  if (indices.ndim !== x.ndim || indices.shape.some((s, i) => s !== x.shape[i])) {
    throw new ShapeError(`${op}: expected indices of the input's shape ${fmtShape(x.shape)}, got ${fmtShape(indices.shape)}`);
  }
  const kernel = tupleOf(op, 'kernelSize', kernelSize, 2, 1);
  const stride = tupleOf(op, 'stride', opts.stride ?? kernel, 2, 1);
  const padding = tupleOf(op, 'padding', opts.padding ?? 0, 2, 0);
  const defaults = [0, 1].map((d) => (xb.shape[d + 2] - 1) * stride[d] - 2 * padding[d] + kernel[d]);
  let size = defaults;
  if (opts.outputSize !== undefined && opts.outputSize !== null) {
    const given = [...opts.outputSize];
    if (given.length !== 2 && given.length !== 4) throw new ShapeError(`${op}: outputSize must have 2 or 4 entries, got ${fmtShape(given)}`);
    size = given.slice(-2);
    size.forEach((s, d) => {
      if (!Number.isInteger(s) || !(s > defaults[d] - stride[d] && s < defaults[d] + stride[d])) {
        throw new ShapeError(`${op}: invalid outputSize ${fmtShape(given)}: dim ${d} must be between ${defaults[d] - stride[d] + 1} and ${defaults[d] + stride[d] - 1}`);
      }
    });
  }
  if (size.some((s) => s < 1)) throw new ShapeError(`${op}: input of shape ${fmtShape(x.shape)} gives a non-positive output size ${fmtShape(size)}`);
  const ib = (x.ndim === 4 ? indices : indices.unsqueeze(0)).contiguous();
  const out = MaxUnpool2d.apply(xb, ib, size[0], size[1]);
  return x.ndim === 3 ? out.squeeze(0) : out;
}

/**
 * Mean over each kH×kW window: (N, C, H, W) → (N, C, H', W'). `F.avgPool2d(img, 3, { stride: 1, padding: 1 })`
 */
export function avgPool2d(x: Tensor, kernelSize: IntOrPair, opts: AvgPoolOptions = {}, op = 'avgPool2d'): Tensor {
  checkOptions(op, opts, optionKeys<AvgPoolOptions>({ stride: true, padding: true, countIncludePad: true }));
  const xb = batchedImages(op, x);
  // Only stride and padding: the average kernel has no dilation or ceil mode.
  const spec = poolSpec(op, xb, kernelSize, { stride: opts.stride, padding: opts.padding });
  const out = AvgPool2d.apply(xb, spec, opts.countIncludePad ?? true);
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
