/**
 * Reductions: sum, var, logsumexp, softmax, logSoftmax and the all-element max/min. Each forward
 * moves the reduced dims last (a permuted view, copied contiguous when needed) so the kernel
 * reduces consecutive blocks; each backward broadcasts the gradient back over those dims.
 */
import { currentBackend } from '../../kernels/registry.js';
import type { DType, FloatArray } from '../../kernels/dtype.js';
import { shapeSize } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { floatDtypeOf, newTensor } from './util.js';

/** x's elements with `dims` moved last, as `outer` blocks of `inner`; plus the result shapes. */
export function blocksOf(x: Tensor, dims: readonly number[]) {
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
export function expandBack(g: Tensor, inputShape: readonly number[], dims: readonly number[]): Tensor {
  const keepdimShape = inputShape.map((s, i) => (dims.includes(i) ? 1 : s));
  return g.reshape(keepdimShape).expand([...inputShape]);
}

type ReduceCtx = ContextWith<{ inputShape: readonly number[]; dims: number[] }>;

export class Sum extends Function {
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

export class Var extends Function {
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

export class LogSumExp extends Function {
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

export class Softmax extends Function {
  static override forward(ctx: SoftmaxCtx, x: Tensor, dim: number): Tensor {
    ctx.dim = dim;
    const y = softmaxAlong(x, dim, false);
    ctx.saveForBackward(y);
    return y;
  }
  // ∂y_i/∂x_j = y_i(δ_ij − y_j)  ⇒  grad_x = y ⊙ (g − Σ_j g_j y_j)
  static override backward(ctx: SoftmaxCtx, g: Tensor): (Tensor | null)[] {
    const [y] = ctx.savedTensors;
    return [y.mul(g.sub(g.mul(y).sum(ctx.dim, true))), null];
  }
}

export class LogSoftmax extends Function {
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
export class ExtremumAll extends Function {
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
export function extremumIndices(x: Tensor, dim: number, wantMax: boolean): Tensor {
  const b = blocksOf(x, [dim]);
  const values = newTensor([b.outer], x.dtype);
  const indices = new Int32Array(b.outer);
  currentBackend().extremum(b.data, values.storage, indices, b.outer, b.inner, wantMax);
  return newTensor(b.keepdimShape, 'int32', indices);
}
