/**
 * Indexing ops along one dim: gather / scatterAdd and indexSelect / indexAdd. Each pair is
 * adjoint: the backward of a gather is a scatter-add of the gradient to the gathered positions,
 * and the backward of a scatter-add (with respect to its source) is a gather. Below the classes,
 * each op's functional form (`gather(x, 1, index)`, and maskedFill, a `where`) and Tensor method
 * (`x.gather(1, index)`).
 */
import { ShapeError, DTypeError, fmtShape } from '../../errors.js';
import { currentBackend } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { checkMask, dataAs, newTensor, viewOf } from './util.js';
import { normalizeDim, sameShape } from '../../tensor/shape.js';
import { installMethods } from '../install-methods.js';
import { where } from './binary.js';
import { reshape, unsqueeze } from './shape.js';
import { pad } from './shape-composed.js';

/** The index tensor's elements as Int32Array, checking its dtype. */
function indexData(op: string, index: Tensor): Int32Array {
  if (index.dtype !== 'int32') throw new DTypeError(`${op}: index must be an int32 tensor, got ${index.dtype}`);
  return index.data() as Int32Array;
}

/** The error for the index at position `at` of `index` (kernels report positions, not values). */
function outOfRange(op: string, index: Int32Array, at: number, dim: number, size: number): ShapeError {
  return new ShapeError(`${op}: index ${index[at]} is out of bounds for dim ${dim} with size ${size}`);
}

/** gather/scatter need index no larger than the other tensor in every dim but `dim`. */
function checkGatherShapes(op: string, x: Tensor, index: Tensor, dim: number): void {
  if (index.ndim !== x.ndim || index.shape.some((s, d) => d !== dim && s > x.shape[d])) {
    throw new ShapeError(`${op}: index of shape ${fmtShape(index.shape)} does not fit input of shape ${fmtShape(x.shape)} along dims other than ${dim}`);
  }
}

type DimIndexCtx = ContextWith<{ dim: number; inputShape: readonly number[] }>;

class Gather extends Function {
  static override forward(ctx: DimIndexCtx, x: Tensor, dim: number, index: Tensor): Tensor {
    checkGatherShapes('gather', x, index, dim);
    ctx.dim = dim;
    ctx.inputShape = x.shape;
    ctx.saveForBackward(index);
    const out = newTensor(index.shape, x.dtype);
    const idx = indexData('gather', index);
    const bad = currentBackend().gather(x.data(), x.shape, idx, index.shape, dim, out.storage);
    if (bad !== -1) throw outOfRange('gather', idx, bad, dim, x.shape[dim]);
    return out;
  }
  // Each output element is one input element: its gradient is added back to that position.
  static override backward(ctx: DimIndexCtx, g: Tensor): (Tensor | null)[] {
    const [index] = ctx.savedTensors;
    const zeros = newTensor(ctx.inputShape, g.dtype);
    return [ScatterAdd.apply(zeros, ctx.dim, index, g), null, null];
  }
}

type ScatterCtx = DimIndexCtx & { srcShape: readonly number[] };

class ScatterAdd extends Function {
  static override forward(ctx: ScatterCtx, x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
    checkGatherShapes('scatterAdd', x, index, dim);
    if (src.ndim !== index.ndim || index.shape.some((s, d) => s > src.shape[d])) {
      throw new ShapeError(`scatterAdd: index of shape ${fmtShape(index.shape)} must be no larger than src of shape ${fmtShape(src.shape)} in every dim`);
    }
    ctx.dim = dim;
    ctx.srcShape = src.shape;
    ctx.saveForBackward(index);
    const out = newTensor(x.shape, x.dtype, dataAs(x, x.dtype).slice());
    const idx = indexData('scatterAdd', index);
    // Only src's leading block of index's shape takes part (a view of it, read contiguously).
    const used = sameShape(src.shape, index.shape) ? src : viewOf(src, index.shape, src.strides);
    const bad = currentBackend().scatterAdd(out.storage, x.shape, idx, index.shape, dim, dataAs(used, x.dtype));
    if (bad !== -1) throw outOfRange('scatterAdd', idx, bad, dim, x.shape[dim]);
    return out;
  }
  // ∂/∂x = 1 (x is copied through);  ∂/∂src = the gradient gathered at the scattered positions,
  // zero in the part of src that index does not cover.
  static override backward(ctx: ScatterCtx, g: Tensor): (Tensor | null)[] {
    const [index] = ctx.savedTensors;
    let gSrc: Tensor | null = null;
    if (ctx.needsInputGrad[3]) {
      gSrc = g.gather(ctx.dim, index);
      if (!sameShape(gSrc.shape, ctx.srcShape)) {
        // pad takes [before, after] pairs from the last dim backwards.
        const pads = [...ctx.srcShape].reverse().flatMap((s, i) => [0, s - index.shape[index.ndim - 1 - i]]);
        gSrc = pad(gSrc, pads);
      }
    }
    return [g, null, null, gSrc];
  }
}

class IndexSelect extends Function {
  static override forward(ctx: DimIndexCtx, x: Tensor, dim: number, index: Tensor): Tensor {
    if (index.ndim > 1) throw new ShapeError(`indexSelect: index must be 1-d, got shape ${fmtShape(index.shape)}`);
    ctx.dim = dim;
    ctx.inputShape = x.shape;
    ctx.saveForBackward(index);
    const shape = x.shape.map((s, d) => (d === dim ? index.size : s));
    const out = newTensor(shape, x.dtype);
    const idx = indexData('indexSelect', index);
    const bad = currentBackend().indexSelect(x.data(), x.shape, dim, idx, out.storage);
    if (bad !== -1) throw outOfRange('indexSelect', idx, bad, dim, x.shape[dim]);
    return out;
  }
  // Each selected slice's gradient is added back to the slice it came from.
  static override backward(ctx: DimIndexCtx, g: Tensor): (Tensor | null)[] {
    const [index] = ctx.savedTensors;
    return [IndexAdd.apply(newTensor(ctx.inputShape, g.dtype), ctx.dim, index, g), null, null];
  }
}

class IndexAdd extends Function {
  static override forward(ctx: DimIndexCtx, x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
    const expected = x.shape.map((s, d) => (d === dim ? index.size : s));
    if (index.ndim > 1 || src.shape.length !== expected.length || src.shape.some((s, d) => s !== expected[d])) {
      throw new ShapeError(`indexAdd: src of shape ${fmtShape(src.shape)} must be ${fmtShape(expected)} for input ${fmtShape(x.shape)} and ${index.size} indices along dim ${dim}`);
    }
    ctx.dim = dim;
    ctx.saveForBackward(index);
    const out = newTensor(x.shape, x.dtype, dataAs(x, x.dtype).slice());
    const idx = indexData('indexAdd', index);
    const bad = currentBackend().indexAdd(out.storage, x.shape, dim, idx, dataAs(src, x.dtype));
    if (bad !== -1) throw outOfRange('indexAdd', idx, bad, dim, x.shape[dim]);
    return out;
  }
  // ∂/∂x = 1;  ∂/∂src = the gradient's slices at the indices
  static override backward(ctx: DimIndexCtx, g: Tensor): (Tensor | null)[] {
    const [index] = ctx.savedTensors;
    return [g, null, null, ctx.needsInputGrad[3] ? g.indexSelect(ctx.dim, index) : null];
  }
}

// ── Functional forms ───────────────────────────────────────────────────────────────────────

/** A 0-d tensor as 1-d of size 1 (PyTorch indexes a 0-d tensor as one of size 1 along dim 0). */
function atLeast1d(t: Tensor): Tensor {
  return t.ndim === 0 ? unsqueeze(t, 0) : t;
}

/**
 * out[…i…] = x[…index[…i…]…] along `dim`; index is int32 with x's number of dims, no larger
 * than x in the other dims (PyTorch's rule). A 0-d x or index counts as 1-d of size 1.
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim, 'gather');
  if (x.ndim > 0 && index.ndim > 0) return Gather.apply(x, d, index);
  return reshape(Gather.apply(atLeast1d(x), d, atLeast1d(index)), [...index.shape]);
}

/**
 * A copy of x with src added at the positions index names along `dim`. index is no larger than
 * src in any dim and no larger than x outside `dim`; only src's leading block of index's shape
 * is added (PyTorch's rule). A 0-d tensor counts as 1-d of size 1.
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim, 'scatterAdd');
  if (x.ndim > 0 && index.ndim > 0 && src.ndim > 0) return ScatterAdd.apply(x, d, index, src);
  return reshape(ScatterAdd.apply(atLeast1d(x), d, atLeast1d(index), atLeast1d(src)), [...x.shape]);
}

/** The slices of x at the (1-d, int32) indices along `dim`; a 0-d x takes one index, 0. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim, 'indexSelect');
  if (x.ndim > 0) return IndexSelect.apply(x, d, index);
  if (index.size !== 1) throw new ShapeError(`indexSelect: a 0-d input takes exactly one index, got ${index.size} (index shape ${fmtShape(index.shape)})`);
  return reshape(IndexSelect.apply(atLeast1d(x), d, reshape(index, [1])), []);
}

/** A copy of x with slice j of src added to slice index[j] along `dim`; a 0-d x takes one index, 0. */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim, 'indexAdd');
  if (x.ndim > 0) return IndexAdd.apply(x, d, index, src);
  if (index.size !== 1 || src.size !== 1) {
    throw new ShapeError(`indexAdd: a 0-d input takes one index and one source value, got index ${fmtShape(index.shape)} and src ${fmtShape(src.shape)}`);
  }
  return reshape(IndexAdd.apply(atLeast1d(x), d, reshape(index, [1]), reshape(src, [1])), []);
}

/** x with `value` where mask is true (mask is bool and broadcasts to x's shape). */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkMask(mask, 'maskedFill');
  const out = where(mask, value, x);
  if (out.ndim !== x.ndim || out.shape.some((s, i) => s !== x.shape[i])) {
    throw new ShapeError(`maskedFill: mask of shape ${fmtShape(mask.shape)} does not broadcast to the input shape ${fmtShape(x.shape)}`);
  }
  return out.dtype === x.dtype ? out : out.to(x.dtype);
}


// ── Tensor methods ─────────────────────────────────────────────────────────────────────────

declare module '../../tensor/tensor.js' {
  interface Tensor {
    /**
     * out[…i…] = x[…index[…i…]…] along `dim`: picks, for each position of the int32 `index` (same number of
     * dims as x), one element of x. `logp.gather(1, target.unsqueeze(1))`
     */
    gather(dim: number, index: Tensor): Tensor;
    /**
     * A copy of x with each element of `src` added at the position `index` names along `dim` (the adjoint of
     * `gather`).
     */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /** The slices of x at the positions of the 1-d int32 `index` along `dim`. `weight.indexSelect(0, ids)` */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** A copy of x with slice j of `src` added to slice index[j] along `dim` (repeated indices accumulate). */
    indexAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /**
     * x with `value` where `mask` is true (the mask broadcasts to x's shape).
     * `scores.maskedFill(pad, -Infinity)`
     */
    maskedFill(mask: Tensor, value: number): Tensor;
  }
}

installMethods({
  gather(dim: number, index: Tensor) { return gather(this, dim, index); },
  scatterAdd(dim: number, index: Tensor, src: Tensor) { return scatterAdd(this, dim, index, src); },
  indexSelect(dim: number, index: Tensor) { return indexSelect(this, dim, index); },
  indexAdd(dim: number, index: Tensor, src: Tensor) { return indexAdd(this, dim, index, src); },
  maskedFill(mask: Tensor, value: number) { return maskedFill(this, mask, value); },
});
