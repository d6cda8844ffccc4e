/**
 * Reductions: sum, var, logsumexp, softmax, logSoftmax and the all-element max/min. Each forward
 * moves the reduced dims last (a permuted view, copied contiguous when needed) so the kernel
 * reduces consecutive blocks; each backward broadcasts the gradient back over those dims. Below
 * the classes, each reduction's functional form (`sum(x, 1)`, also mean, std, max, argmax, …,
 * composed from them) and Tensor method (`x.sum(1)`). `dim` may be a number, an array, or
 * omitted (all dims); negative dims count from the end.
 */
import { currentBackend } from '../../kernels/registry.js';
import type { DType, FloatArray } from '../../kernels/dtype.js';
import { ShapeError, fmtShape } from '../../errors.js';
import { isFloating } from '../../kernels/dtype.js';
import { normalizeDim, normalizeDims, shapeSize } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { checkOptions, optionKeys } from '../../options.js';
import { installMethods } from '../install-methods.js';
import { floatDtypeOf, newTensor, requireFloat } from './util.js';

/** x's elements with `dims` moved last, as `outer` blocks of `inner`; plus the result shapes. */
function blocksOf(x: Tensor, dims: readonly number[]) {
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const moved = x.permute([...kept, ...dims]);
  const inner = shapeSize(dims.map((d) => x.shape[d]));
  return {
    data: moved.data(),
    outer: shapeSize(kept.map((d) => x.shape[d])),
    inner,
    keptShape: kept.map((d) => x.shape[d]),
    keepdimShape: x.shape.map((s, i) => (dims.includes(i) ? 1 : s)),
  };
}

/** Reshapes a reduction's gradient to keepdim form and expands it to the input's shape. */
function expandBack(g: Tensor, inputShape: readonly number[], dims: readonly number[]): Tensor {
  // BEGIN SOLUTION m2 — expandBack: give g back the reduced dims as size 1 (keepdim form), then expand it to the input shape — every summed element receives the gradient
  const keepdimShape = inputShape.map((s, i) => (dims.includes(i) ? 1 : s));
  return g.reshape(keepdimShape).expand([...inputShape]);
  // END SOLUTION
}

type ReduceCtx = ContextWith<{ inputShape: readonly number[]; dims: number[] }>;

class Sum extends Function {
  static override forward(ctx: ReduceCtx, x: Tensor, dims: number[], keepdim: boolean): Tensor {
    ctx.inputShape = x.shape;
    ctx.dims = dims;
    const b = blocksOf(x, dims);
    const dtype: DType = x.dtype === 'bool' ? 'int32' : x.dtype;
    const out = newTensor(keepdim ? b.keepdimShape : b.keptShape, dtype);
    currentBackend().sum(b.data, out.storage, b.outer, b.inner);
    return out;
  }
  // ∂(Σ x)/∂x_i = 1: every summed element receives the output's gradient
  static override backward(ctx: ReduceCtx, g: Tensor): (Tensor | null)[] {
    return [expandBack(g, ctx.inputShape, ctx.dims), null, null];
  }
}

type VarCtx = ContextWith<{ dims: number[]; correction: number }>;

class Var extends Function {
  static override forward(ctx: VarCtx, x: Tensor, dims: number[], correction: number, keepdim: boolean): Tensor {
    ctx.saveForBackward(x);
    ctx.dims = dims;
    ctx.correction = correction;
    const b = blocksOf(x, dims);
    const out = newTensor(keepdim ? b.keepdimShape : b.keptShape, floatDtypeOf(x));
    currentBackend().variance(b.data, out.storage as FloatArray, b.outer, b.inner, correction);
    return out;
  }
  // var = Σ (x_i − x̄)² / (N − c)  ⇒  ∂var/∂x_i = 2 (x_i − x̄) / (N − c)  (the Σ(x_i − x̄) = 0 term drops)
  static override backward(ctx: VarCtx, g: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    const n = shapeSize(ctx.dims.map((d) => x.shape[d]));
    const centred = x.sub(x.mean(ctx.dims, true));
    return [expandBack(g, x.shape, ctx.dims).mul(centred).mul(2 / (n - ctx.correction)), null, null, null];
  }
}

type LseCtx = ContextWith<{ dims: number[] }>;

class LogSumExp extends Function {
  static override forward(ctx: LseCtx, x: Tensor, dims: number[], keepdim: boolean): Tensor {
    ctx.dims = dims;
    const b = blocksOf(x, dims);
    const out = newTensor(keepdim ? b.keepdimShape : b.keptShape, floatDtypeOf(x));
    currentBackend().logsumexp(b.data as FloatArray, out.storage as FloatArray, b.outer, b.inner);
    ctx.saveForBackward(x, out);
    return out;
  }
  // ∂/∂x_i log Σ_j e^(x_j) = e^(x_i − lse): the softmax
  static override backward(ctx: LseCtx, g: Tensor): (Tensor | null)[] {
    const [x, lse] = ctx.savedTensors;
    const lseFull = expandBack(lse, x.shape, ctx.dims);
    return [expandBack(g, x.shape, ctx.dims).mul(x.sub(lseFull).exp()), null, null];
  }
}

type SoftmaxCtx = ContextWith<{ dim: number }>;

/** Softmax or log-softmax along `dim`, computed with the dim moved last and the result moved back. */
function softmaxAlong(x: Tensor, dim: number, log: boolean): Tensor {
  const b = blocksOf(x, [dim]);
  const movedShape = [...b.keptShape, x.shape[dim]];
  const out = newTensor(movedShape, floatDtypeOf(x));
  currentBackend().softmax(b.data as FloatArray, out.storage as FloatArray, b.outer, b.inner, log);
  if (dim === x.ndim - 1) return out;
  // `out` holds dims in the order (kept…, dim); move dim back to its place (a view).
  const order = movedShape.map((_, i) => i);
  order.splice(dim, 0, order.pop() as number);
  return out.permute(order);
}

class Softmax extends Function {
  static override forward(ctx: SoftmaxCtx, x: Tensor, dim: number): Tensor {
    ctx.dim = dim;
    const y = softmaxAlong(x, dim, false);
    ctx.saveForBackward(y);
    return y;
  }
  // ∂y_i/∂x_j = y_i(δ_ij − y_j)  ⇒  grad_x = y ⊙ (g − Σ_j g_j y_j)
  static override backward(ctx: SoftmaxCtx, g: Tensor): (Tensor | null)[] {
    // BEGIN SOLUTION m2 — Softmax.backward: with y = softmax(x) saved, grad_x = y ⊙ (g − Σ_j g_j·y_j) along ctx.dim; return [grad_x, null]
    const [y] = ctx.savedTensors;
    return [y.mul(g.sub(g.mul(y).sum(ctx.dim, true))), null];
    // END SOLUTION
  }
}

class LogSoftmax extends Function {
  static override forward(ctx: SoftmaxCtx, x: Tensor, dim: number): Tensor {
    ctx.dim = dim;
    const y = softmaxAlong(x, dim, true);
    ctx.saveForBackward(y);
    return y;
  }
  // y_i = x_i − lse(x)  ⇒  grad_x = g − softmax(x) Σ_j g_j,  softmax = e^y
  static override backward(ctx: SoftmaxCtx, g: Tensor): (Tensor | null)[] {
    const [y] = ctx.savedTensors;
    return [g.sub(y.exp().mul(g.sum(ctx.dim, true))), null];
  }
}

type ExtremumCtx = ContextWith<{ wantMax: boolean }>;

/** max() / min() over all elements, a 0-d tensor. */
class ExtremumAll extends Function {
  static override forward(ctx: ExtremumCtx, x: Tensor, wantMax: boolean): Tensor {
    ctx.wantMax = wantMax;
    const data = x.data();
    const out = newTensor([], x.dtype);
    currentBackend().extremum(data, out.storage, null, 1, data.length, wantMax);
    ctx.saveForBackward(x, out);
    return out;
  }
  // The gradient goes to the elements equal to the result, shared evenly among ties.
  static override backward(ctx: ExtremumCtx, g: Tensor): (Tensor | null)[] {
    const [x, out] = ctx.savedTensors;
    const winners = x.eq(out).to(g.dtype);
    return [winners.div(winners.sum()).mul(g), null];
  }
}

/** Indices (int32, keepdim shape) of the max/min along `dim`; the first one on ties. */
function extremumIndices(x: Tensor, dim: number, wantMax: boolean): Tensor {
  const b = blocksOf(x, [dim]);
  const values = newTensor([b.outer], x.dtype);
  const indices = new Int32Array(b.outer);
  currentBackend().extremum(b.data, values.storage, indices, b.outer, b.inner, wantMax);
  return newTensor(b.keepdimShape, 'int32', indices);
}

// ── Functional forms ───────────────────────────────────────────────────────────────────────

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

export { variance as var };

// ── Tensor methods ─────────────────────────────────────────────────────────────────────────

declare module '../../tensor/tensor.js' {
  interface Tensor {
    /**
     * Σ over `dim` (one dim, several, or all when omitted); `keepdim` keeps reduced dims as size 1. `x.sum()`,
     * `x.sum(1, true)`
     */
    sum(dim?: Dims, keepdim?: boolean): Tensor;
    /**
     * The mean over `dim` (all dims when omitted); int and bool inputs are averaged as float32.
     * `x.mean([0, 2])`
     */
    mean(dim?: Dims, keepdim?: boolean): Tensor;
    /**
     * The variance over `dim` (all when omitted): Σ(x − x̄)²/(N − correction), correction 1 by default
     * (`{ unbiased: false }` or `{ correction: 0 }` divides by N). `x.var(0, { unbiased: false })`
     */
    var(dim?: Dims, opts?: VarOptions): Tensor;
    /** The standard deviation √var over `dim`, with the options of `var`. `x.std(1, { keepdim: true })` */
    std(dim?: Dims, opts?: VarOptions): Tensor;
    /** The largest element, as a 0-d tensor. `x.max().item()` */
    max(): Tensor;
    /**
     * The largest elements along `dim` and their int32 indices, as `{ values, indices }` (the first index on
     * ties). `const { values, indices } = x.max(1)`
     */
    max(dim: number, keepdim?: boolean): ValuesIndices;
    /** The smallest element, as a 0-d tensor. */
    min(): Tensor;
    /**
     * The smallest elements along `dim` and their int32 indices, as `{ values, indices }` (the first index on
     * ties).
     */
    min(dim: number, keepdim?: boolean): ValuesIndices;
    /**
     * The index (int32) of the largest element along `dim`, or in the flattened tensor when omitted; the first
     * on ties. `logits.argmax(1)`
     */
    argmax(dim?: number, keepdim?: boolean): Tensor;
    /**
     * The index (int32) of the smallest element along `dim`, or in the flattened tensor when omitted; the first
     * on ties.
     */
    argmin(dim?: number, keepdim?: boolean): Tensor;
    /** log Σ exp(x) over `dim`, computed stably (the max is subtracted first). */
    logsumexp(dim: number | readonly number[], keepdim?: boolean): Tensor;
    /**
     * eˣ / Σ eˣ along `dim` (the max is subtracted first, so large inputs stay finite). `logits.softmax(-1)`
     */
    softmax(dim: number): Tensor;
    /**
     * log(softmax(x)) along `dim`, computed as x − logsumexp(x) so no log of a probability rounded to 0.
     * `logits.logSoftmax(1)`
     */
    logSoftmax(dim: number): Tensor;
  }
}

installMethods({
  sum(dim?: Dims, keepdim?: boolean) { return sum(this, dim, keepdim); },
  mean(dim?: Dims, keepdim?: boolean) { return mean(this, dim, keepdim); },
  var(dim?: Dims, opts?: VarOptions) { return variance(this, dim, opts); },
  std(dim?: Dims, opts?: VarOptions) { return std(this, dim, opts); },
  max(dim?: number, keepdim?: boolean) { return dim === undefined ? max(this) : max(this, dim, keepdim); },
  min(dim?: number, keepdim?: boolean) { return dim === undefined ? min(this) : min(this, dim, keepdim); },
  argmax(dim?: number, keepdim?: boolean) { return argmax(this, dim, keepdim); },
  argmin(dim?: number, keepdim?: boolean) { return argmin(this, dim, keepdim); },
  logsumexp(dim: number | readonly number[], keepdim?: boolean) { return logsumexp(this, dim, keepdim); },
  softmax(dim: number) { return softmax(this, dim); },
  logSoftmax(dim: number) { return logSoftmax(this, dim); },
});
