/**
 * Shape ops. Reshape (when the layout allows), permute, expand and slice return views that share
 * storage with their input; only the backward differs from op to op:
 *   reshape → reshape back, permute → inverse permute, expand → sum over the expanded dims,
 *   slice → place the gradient into zeros at the sliced positions, cat → slice it apart.
 */
import { ShapeError, fmtShape } from '../../errors.js';
import { allocate, promoteTypes } from '../../kernels/dtype.js';
import { contiguousStrides, shapeSize } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { currentBackend } from '../../kernels/registry.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { newTensor, sumToShape } from './util.js';

/** A view of `t` with new shape/strides/offset over the same storage. */
export function viewOf(t: Tensor, shape: readonly number[], strides: readonly number[], offset = t.offset): Tensor {
  return new Tensor(t.storage, shape, { strides, offset, dtype: t.dtype, version: t.version });
}

/**
 * Strides that let `t` be read as `shape` without copying, or null when its layout does not
 * allow it. Walking the old dims from the last, consecutive dims whose strides chain
 * (stride[d−1] = stride[d]·size[d]) form one "chunk" that behaves like a contiguous block; the
 * new dims must split each chunk exactly, and inside a chunk their strides are row-major
 * multiples of the chunk's innermost stride.
 */
export function viewStrides(t: Tensor, shape: readonly number[]): number[] | null {
  if (t.isContiguous() || t.size === 0) return contiguousStrides(shape);
  const oldShape = t.shape;
  const oldStrides = t.strides;
  const strides = new Array<number>(shape.length);
  let newDim = shape.length - 1;
  let chunkStride = oldStrides[oldStrides.length - 1];
  let chunkSize = 1;
  let covered = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    chunkSize *= oldShape[d];
    const chunkEnds = d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== chunkSize * chunkStride);
    if (!chunkEnds) continue;
    while (newDim >= 0 && (covered < chunkSize || shape[newDim] === 1)) {
      strides[newDim] = covered * chunkStride;
      covered *= shape[newDim];
      newDim--;
    }
    if (covered !== chunkSize) return null;
    if (d > 0) {
      chunkStride = oldStrides[d - 1];
      chunkSize = 1;
      covered = 1;
    }
  }
  return newDim === -1 ? strides : null;
}

type ReshapeCtx = ContextWith<{ inputShape: readonly number[] }>;

export class Reshape extends Function {
  static override forward(ctx: ReshapeCtx, x: Tensor, shape: number[], viewOnly: boolean): Tensor {
    ctx.inputShape = x.shape;
    if (shapeSize(shape) !== x.size) {
      throw new ShapeError(`${viewOnly ? 'view' : 'reshape'}: shape ${fmtShape(shape)} is invalid for input of size ${x.size} (shape ${fmtShape(x.shape)})`);
    }
    const strides = viewStrides(x, shape);
    if (strides) return viewOf(x, shape, strides);
    if (viewOnly) {
      throw new ShapeError(`view: a tensor of shape ${fmtShape(x.shape)} and strides ${fmtShape(x.strides)} cannot be viewed as ${fmtShape(shape)}; use reshape() (which copies)`);
    }
    return new Tensor(x.toTypedArray(), shape, { dtype: x.dtype });
  }
  // A reshape moves no values: the gradient is reshaped back.
  static override backward(ctx: ReshapeCtx, g: Tensor): (Tensor | null)[] {
    return [g.reshape([...ctx.inputShape]), null, null];
  }
}

type PermuteCtx = ContextWith<{ dims: number[] }>;

export class Permute extends Function {
  static override forward(ctx: PermuteCtx, x: Tensor, dims: number[]): Tensor {
    ctx.dims = dims;
    return viewOf(x, dims.map((d) => x.shape[d]), dims.map((d) => x.strides[d]));
  }
  // out dim i is input dim dims[i], so the gradient goes back through the inverse permutation.
  static override backward(ctx: PermuteCtx, g: Tensor): (Tensor | null)[] {
    const inverse = new Array<number>(ctx.dims.length);
    ctx.dims.forEach((d, i) => (inverse[d] = i));
    return [g.permute(inverse), null];
  }
}

type ExpandCtx = ContextWith<{ inputShape: readonly number[] }>;

export class Expand extends Function {
  static override forward(ctx: ExpandCtx, x: Tensor, shape: number[]): Tensor {
    ctx.inputShape = x.shape;
    const lead = shape.length - x.ndim;
    if (lead < 0) throw new ShapeError(`expand: cannot expand shape ${fmtShape(x.shape)} to fewer dims ${fmtShape(shape)}`);
    const target = shape.map((s, i) => (s === -1 && i >= lead ? x.shape[i - lead] : s));
    const strides = target.map((s, i) => {
      if (i < lead) {
        if (s < 0) throw new ShapeError(`expand: -1 is not allowed for new leading dim ${i} (target ${fmtShape(shape)})`);
        return 0;
      }
      const own = x.shape[i - lead];
      if (own === s) return x.strides[i - lead];
      if (own === 1) return 0;
      throw new ShapeError(`expand: the size of dim ${i - lead} (${own}) must match ${s} or be 1 (from ${fmtShape(x.shape)} to ${fmtShape(shape)})`);
    });
    return viewOf(x, target, strides);
  }
  // Every copy of an element passes its gradient back to it: sum over the expanded dims.
  static override backward(ctx: ExpandCtx, g: Tensor): (Tensor | null)[] {
    return [sumToShape(g, ctx.inputShape), null];
  }
}

type SliceCtx = ContextWith<{ inputShape: readonly number[]; dim: number; start: number; end: number; step: number }>;

/** Clamps Python-style slice bounds for a dim of `size` (step > 0). */
export function sliceBounds(size: number, start: number | undefined, end: number | undefined): [number, number] {
  const norm = (v: number) => (v < 0 ? Math.max(v + size, 0) : Math.min(v, size));
  const s = start === undefined ? 0 : norm(start);
  const e = end === undefined ? size : norm(end);
  return [s, Math.max(e, s)];
}

export class Slice extends Function {
  static override forward(ctx: SliceCtx, x: Tensor, dim: number, start: number, end: number, step: number): Tensor {
    Object.assign(ctx, { inputShape: x.shape, dim, start, end, step });
    const length = Math.max(0, Math.ceil((end - start) / step));
    const shape = x.shape.map((s, i) => (i === dim ? length : s));
    const strides = x.strides.map((s, i) => (i === dim ? s * step : s));
    return viewOf(x, shape, strides, x.offset + start * x.strides[dim]);
  }
  // The slice picks elements; their gradients go back to where they were picked, zeros elsewhere.
  static override backward(ctx: SliceCtx, g: Tensor): (Tensor | null)[] {
    return [SliceScatter.apply(g, ctx.inputShape, ctx.dim, ctx.start, ctx.end, ctx.step), null, null, null, null];
  }
}

/** zeros(shape) with `src` written into the slice (dim, start:end:step): the adjoint of Slice. */
export class SliceScatter extends Function {
  static override forward(ctx: SliceCtx, src: Tensor, shape: readonly number[], dim: number, start: number, end: number, step: number): Tensor {
    Object.assign(ctx, { inputShape: shape, dim, start, end, step });
    const out = newTensor(shape, src.dtype);
    const target = Slice.apply(out, dim, start, end, step);
    currentBackend().stridedWrite(src.data(), out.storage, target.shape, target.strides, target.offset);
    return out;
  }
  // Linear in src; its adjoint is the slice again.
  static override backward(ctx: SliceCtx, g: Tensor): (Tensor | null)[] {
    return [Slice.apply(g, ctx.dim, ctx.start, ctx.end, ctx.step), null, null, null, null, null];
  }
}

type CatCtx = ContextWith<{ dim: number; sizes: number[] }>;

export class Cat extends Function {
  static override forward(ctx: CatCtx, dim: number, ...tensors: Tensor[]): Tensor {
    ctx.dim = dim;
    ctx.sizes = tensors.map((t) => t.shape[dim]);
    const first = tensors[0];
    const shape = first.shape.map((s, i) => (i === dim ? ctx.sizes.reduce((a, b) => a + b, 0) : s));
    const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
    const out = new Tensor(allocate(dtype, shapeSize(shape)), shape, { dtype });
    let at = 0;
    for (const t of tensors) {
      const size = t.shape[dim];
      const target = Slice.apply(out, dim, at, at + size, 1);
      currentBackend().stridedWrite(t.dtype === dtype ? t.data() : t.to(dtype).data(), out.storage, target.shape, target.strides, target.offset);
      at += size;
    }
    return out;
  }
  // Each input receives the slice of the gradient where it was placed.
  static override backward(ctx: CatCtx, g: Tensor): (Tensor | null)[] {
    const grads: (Tensor | null)[] = [null];
    let at = 0;
    ctx.sizes.forEach((size, i) => {
      grads.push(ctx.needsInputGrad[i + 1] ? g.narrow(ctx.dim, at, size) : null);
      at += size;
    });
    return grads;
  }
}

type CastCtx = ContextWith<{ inputDtype: Tensor['dtype'] }>;

/** A copy in another float dtype (float32 ⇄ float64); the gradient is cast back. */
export class ToFloat extends Function {
  static override forward(ctx: CastCtx, x: Tensor, dtype: 'float32' | 'float64'): Tensor {
    ctx.inputDtype = x.dtype;
    const out = allocate(dtype, x.size);
    out.set(x.data());
    return newTensor(x.shape, dtype, out);
  }
  // d/dx of a cast is 1, in the input's dtype.
  static override backward(ctx: CastCtx, g: Tensor): (Tensor | null)[] {
    return [g.to(ctx.inputDtype), null];
  }
}

/** A contiguous copy (clone/contiguous). */
export class Clone extends Function {
  static override forward(_ctx: ContextWith<object>, x: Tensor): Tensor {
    return new Tensor(x.toTypedArray(), x.shape, { dtype: x.dtype });
  }
  // d/dx of a copy is 1.
  static override backward(_ctx: ContextWith<object>, g: Tensor): Tensor {
    return g;
  }
}

