/**
 * The functional forms of the reductions. `dim` may be a number, an array, or omitted (all
 * dims); negative dims count from the end.
 */
import { ShapeError, fmtShape } from '../../errors.js';
import { isFloating } from '../../kernels/dtype.js';
import { normalizeDim, normalizeDims, shapeSize } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ExtremumAll, LogSoftmax, LogSumExp, Softmax, Sum, Var, extremumIndices } from '../functions/reduce.js';
import { requireFloat } from '../functions/util.js';
import { checkOptions, optionKeys } from '../../options.js';

/** A reduction dim argument: one dim, several, or all (undefined). */
export type Dims = number | readonly number[] | undefined;

/** Σ over `dim` (all dims when omitted). */
export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return Sum.apply(x, normalizeDims(dim, x.ndim, 'sum'), keepdim);
}

/** Mean over `dim` (all dims when omitted); int and bool inputs are averaged as float32. */
export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const dims = normalizeDims(dim, x.ndim, 'mean');
  const count = shapeSize(dims.map((d) => x.shape[d]));
  const xf = isFloating(x.dtype) ? x : x.to('float32');
  return Sum.apply(xf, dims, keepdim).div(count);
}

/** Options of var/std, as PyTorch's (`correction` overrides `unbiased`). */
export interface VarOptions {
  /** Divide by N − 1 (Bessel's correction; default true) or by N (false). */
  unbiased?: boolean;
  /** Divide by N − correction; overrides `unbiased` when given. */
  correction?: number;
  /** Keep reduced dims as size 1 (default false). */
  keepdim?: boolean;
}

/** Variance over `dim`: Σ(x − x̄)²/(N − 1) by default (unbiased), /N with `unbiased: false`. */
export function variance(x: Tensor, dim?: Dims, opts: VarOptions = {}): Tensor {
  checkOptions('var', opts, optionKeys<VarOptions>({ unbiased: true, correction: true, keepdim: true }));
  requireFloat(x, 'var');
  const correction = opts.correction ?? (opts.unbiased === false ? 0 : 1);
  return Var.apply(x, normalizeDims(dim, x.ndim, 'var'), correction, opts.keepdim ?? false);
}

/** Standard deviation over `dim`: √var. */
export function std(x: Tensor, dim?: Dims, opts: VarOptions = {}): Tensor {
  checkOptions('std', opts, optionKeys<VarOptions>({ unbiased: true, correction: true, keepdim: true }));
  requireFloat(x, 'std');
  return variance(x, dim, opts).sqrt();
}

/** log Σ exp over `dim`, computed stably (max subtracted first). */
export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  return LogSumExp.apply(x.to(isFloating(x.dtype) ? x.dtype : 'float32'), normalizeDims(dim, x.ndim, 'logsumexp'), keepdim);
}

/** Softmax along `dim` (max subtracted first, so large inputs stay finite). */
export function softmax(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'softmax');
  if (x.ndim === 0) return softmax(x.reshape([1]), 0).reshape([]); // a 0-d tensor is a line of one
  return Softmax.apply(x.to(isFloating(x.dtype) ? x.dtype : 'float32'), d);
}

/** log(softmax) along `dim`, computed as x − logsumexp(x) (no log of a rounded-to-0 probability). */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'logSoftmax');
  if (x.ndim === 0) return logSoftmax(x.reshape([1]), 0).reshape([]); // a 0-d tensor is a line of one
  return LogSoftmax.apply(x.to(isFloating(x.dtype) ? x.dtype : 'float32'), d);
}

/** Values and int32 indices of a max/min along one dim. */
export interface ValuesIndices {
  /** The extreme values along the dim. */
  values: Tensor;
  /** Their positions along the dim (int32), the first on ties. */
  indices: Tensor;
}

function extremum(op: 'max' | 'min', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor | ValuesIndices {
  if (x.size === 0) throw new ShapeError(`${op}: cannot reduce an empty tensor of shape ${fmtShape(x.shape)}`);
  if (dim === undefined) return ExtremumAll.apply(x, op === 'max');
  const d = normalizeDim(dim, x.ndim, op);
  const index = x.ndim === 0 ? extremumIndices(x.reshape([1]), 0, op === 'max').reshape([]) : extremumIndices(x, d, op === 'max');
  const gathered = x.ndim === 0 ? x.clone() : x.gather(d, index);
  return keepdim || x.ndim === 0
    ? { values: gathered, indices: index }
    : { values: gathered.squeeze(d), indices: index.squeeze(d) };
}

/** The max of all elements (0-d), or `{ values, indices }` along `dim`. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return extremum('max', x, dim, keepdim);
}

/** The min of all elements (0-d), or `{ values, indices }` along `dim`. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return extremum('min', x, dim, keepdim);
}

function argExtremum(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (x.size === 0) throw new ShapeError(`${op}: cannot reduce an empty tensor of shape ${fmtShape(x.shape)}`);
  const wantMax = op === 'argmax';
  if (dim === undefined) {
    const flat = extremumIndices(x.reshape([x.size]), 0, wantMax).reshape([]);
    return keepdim ? flat.reshape(x.shape.map(() => 1)) : flat;
  }
  const d = normalizeDim(dim, x.ndim, op);
  if (x.ndim === 0) return extremumIndices(x.reshape([1]), 0, wantMax).reshape([]);
  const index = extremumIndices(x, d, wantMax);
  return keepdim ? index : index.squeeze(d);
}

/** Index (int32) of the max along `dim`, or of the flattened tensor. The first on ties. */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtremum('argmax', x, dim, keepdim);
}

/** Index (int32) of the min along `dim`, or of the flattened tensor. The first on ties. */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtremum('argmin', x, dim, keepdim);
}
