/**
 * Shape ops. Reshape (when the layout allows), permute, expand and slice return views that share
 * storage with their input; only the backward differs from op to op:
 *   reshape → reshape back, permute → inverse permute, expand → sum over the expanded dims,
 *   slice → place the gradient into zeros at the sliced positions, cat → slice it apart.
 * Below the classes, each op's functional form (`reshape(x, 2, -1)`) and Tensor method
 * (`x.reshape(2, -1)`), with `cat`/`stack` and the copies and casts (clone, contiguous, detach,
 * to); shape-composed.ts holds the ops written as compositions of these (repeat, split, chunk, pad).
 */
import { ShapeError, fmtShape } from '../../errors.js';
import { allocate, checkDType, isFloating, promoteTypes, type DType } from '../../kernels/dtype.js';
import { contiguousStrides, normalizeDim, parseShape, shapeSize } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { currentBackend } from '../../kernels/registry.js';
import { Function, alias, reportUntrackedOp } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { installMethods } from '../install-methods.js';
import { newTensor, requireDims, sumToShape, viewOf } from './util.js';

/**
 * Strides that let `t` be read as `shape` without copying, or null when its layout does not
 * allow it. Walking the old dims from the last, consecutive dims whose strides chain
 * (stride[d−1] = stride[d]·size[d]) form one "chunk" that behaves like a contiguous block; the
 * new dims must split each chunk exactly, and inside a chunk their strides are row-major
 * multiples of the chunk's innermost stride.
 */
function viewStrides(t: Tensor, shape: readonly number[]): number[] | null {
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

class Reshape extends Function {
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

class Permute extends Function {
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

class Expand extends Function {
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
function sliceBounds(size: number, start: number | undefined, end: number | undefined): [number, number] {
  const norm = (v: number) => (v < 0 ? Math.max(v + size, 0) : Math.min(v, size));
  const s = start === undefined ? 0 : norm(start);
  const e = end === undefined ? size : norm(end);
  return [s, Math.max(e, s)];
}

class Slice extends Function {
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
class SliceScatter extends Function {
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

class Cat extends Function {
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
class ToFloat extends Function {
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
class Clone extends Function {
  static override forward(_ctx: ContextWith<object>, x: Tensor): Tensor {
    return new Tensor(x.toTypedArray(), x.shape, { dtype: x.dtype });
  }
  // d/dx of a copy is 1.
  static override backward(_ctx: ContextWith<object>, g: Tensor): Tensor {
    return g;
  }
}


// ── Functional forms ───────────────────────────────────────────────────────────────────────

/** A shape given as an array or spread numbers. */
export type ShapeLike = (number | readonly number[])[];

/** Resolves one −1 in a target shape from the element count. */
function inferShape(shape: number[], size: number, op: string, from: readonly number[]): number[] {
  const free = shape.indexOf(-1);
  if (free < 0) return shape;
  if (shape.indexOf(-1, free + 1) >= 0) throw new ShapeError(`${op}: only one dim can be -1, got ${fmtShape(shape)}`);
  const known = shapeSize(shape.filter((_, i) => i !== free));
  if (known === 0 || size % known !== 0) throw new ShapeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${size} (shape ${fmtShape(from)})`);
  const out = [...shape];
  out[free] = size / known;
  return out;
}

/** The same elements in a new shape (a view when the layout allows, else a copy); one dim may be −1. */
export function reshape(x: Tensor, ...shape: ShapeLike): Tensor {
  return Reshape.apply(x, inferShape(parseShape(shape, 'reshape', true), x.size, 'reshape', x.shape), false);
}

/** Like reshape, but always a view: throws when the layout does not allow one. */
export function view(x: Tensor, ...shape: ShapeLike): Tensor {
  return Reshape.apply(x, inferShape(parseShape(shape, 'view', true), x.size, 'view', x.shape), true);
}

/** Merges dims start..end (inclusive) into one. */
export function flatten(x: Tensor, start = 0, end = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(start, x.ndim, 'flatten');
  const e = normalizeDim(end, x.ndim, 'flatten');
  if (s > e) throw new ShapeError(`flatten: start dim ${start} comes after end dim ${end} for shape ${fmtShape(x.shape)}`);
  const merged = shapeSize(x.shape.slice(s, e + 1));
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Removes size-1 dims: all of them, or only those listed (a listed dim of another size stays). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims = dim === undefined ? null : (typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim(d, x.ndim, 'squeeze'));
  const shape = x.shape.filter((s, i) => s !== 1 || (dims !== null && !dims.includes(i)));
  return Reshape.apply(x, shape, true);
}

/** Inserts a size-1 dim at `dim` (−1 appends). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim + 1, 'unsqueeze');
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return Reshape.apply(x, shape, true);
}

/** Reorders dims: output dim i is input dim dims[i] (a view). */
export function permute(x: Tensor, ...dims: ShapeLike): Tensor {
  const order = (dims.length === 1 && Array.isArray(dims[0]) ? dims[0] : dims) as number[];
  if (order.length !== x.ndim) throw new ShapeError(`permute: got ${order.length} dims ${fmtShape(order)} for a tensor of shape ${fmtShape(x.shape)}`);
  const norm = order.map((d) => normalizeDim(d, x.ndim, 'permute'));
  if (new Set(norm).size !== norm.length) throw new ShapeError(`permute: dims ${fmtShape(order)} repeat a dim`);
  return Permute.apply(x, norm);
}

/** Swaps two dims (a view). */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  // A 0-d or 1-d tensor has nothing to swap; the result must still be a recorded view (an
  // unrecorded alias would cut the gradient off).
  if (x.ndim < 2 && dim0 === dim1) return Permute.apply(x, x.ndim === 0 ? [] : [0]);
  const a = normalizeDim(dim0, x.ndim, 'transpose');
  const b = normalizeDim(dim1, x.ndim, 'transpose');
  // A 0-d tensor takes dim 0 or −1 (as PyTorch) and has no dims to swap.
  if (x.ndim === 0) return Permute.apply(x, []);
  const order = x.shape.map((_, i) => i);
  order[a] = b;
  order[b] = a;
  return Permute.apply(x, order);
}

/** Broadcasts size-1 dims (and new leading dims) to `shape` without copying; −1 keeps a size. */
export function expand(x: Tensor, ...shape: ShapeLike): Tensor {
  return Expand.apply(x, parseShape(shape, 'expand', true));
}

/** Elements start..start+length−1 along `dim` (a view). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  requireDims(x, 'narrow');
  const d = normalizeDim(dim, x.ndim, 'narrow');
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new ShapeError(`narrow: start ${start} and length ${length} are out of range for dim ${dim} of size ${size} (shape ${fmtShape(x.shape)})`);
  }
  return Slice.apply(x, d, s, s + length, 1);
}

/** Python's x[start:end:step] along `dim` (a view): negative bounds count from the end, out-of-range bounds clamp. */
export function slice(x: Tensor, dim: number, start?: number, end?: number, step = 1): Tensor {
  requireDims(x, 'slice');
  const d = normalizeDim(dim, x.ndim, 'slice');
  if (!Number.isInteger(step) || step <= 0) throw new ShapeError(`slice: step must be a positive integer, got ${step}`);
  const [s, e] = sliceBounds(x.shape[d], start, end);
  return Slice.apply(x, d, s, e, step);
}

/**
 * Most tensors one Cat node joins. Its inputs travel as call arguments (the Function protocol),
 * and an engine's stack holds only so many (~100k overflow it), so longer lists are joined in
 * groups first and the groups then joined: a tree of depth ⌈log_1024 n⌉.
 */
const CAT_FAN_IN = 1024;

/** Joins tensors along an existing dim; all other dims must match. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ShapeError('cat: expected a non-empty list of tensors');
  const first: Tensor = tensors[0];
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i];
    if (!(t instanceof Tensor)) throw new TypeError(`cat: element ${i} of the list is not a Tensor`);
    if (t.ndim === 0) throw new ShapeError(`cat: zero-dimensional tensor (at position ${i}) cannot be concatenated; use stack() or unsqueeze it first`);
  }
  const d = normalizeDim(dim, first.ndim, 'cat');
  for (const t of tensors as readonly Tensor[]) {
    if (t.ndim !== first.ndim || t.shape.some((s, i) => i !== d && s !== first.shape[i])) {
      throw new ShapeError(`cat: shapes ${describeShapes(tensors)} differ outside dim ${dim}`);
    }
  }
  let parts: readonly Tensor[] = tensors;
  while (parts.length > CAT_FAN_IN) {
    const groups: Tensor[] = [];
    for (let at = 0; at < parts.length; at += CAT_FAN_IN) groups.push(Cat.apply(d, ...parts.slice(at, at + CAT_FAN_IN)));
    parts = groups;
  }
  return Cat.apply(d, ...parts);
}

/** The shapes of a list for messages, abbreviated past 8 (a list may hold 100k tensors). */
function describeShapes(tensors: readonly Tensor[]): string {
  const shown = tensors.slice(0, 8).map((u) => fmtShape(u.shape)).join(', ');
  return tensors.length > 8 ? `${shown}, … (${tensors.length} tensors)` : shown;
}

/** Joins equally shaped tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ShapeError('stack: expected a non-empty list of tensors');
  const first: Tensor = tensors[0];
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i];
    if (!(t instanceof Tensor)) throw new TypeError(`stack: element ${i} of the list is not a Tensor`);
    if (t.ndim !== first.ndim || t.shape.some((s, j) => s !== first.shape[j])) {
      throw new ShapeError(`stack: all tensors must have one shape, got ${describeShapes(tensors)}`);
    }
  }
  const d = normalizeDim(dim, first.ndim + 1, 'stack');
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

/** A contiguous copy that is part of the graph. */
export function clone(x: Tensor): Tensor {
  return Clone.apply(x);
}

/** x itself when already contiguous, else a contiguous copy. */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : Clone.apply(x);
}

/** A tensor sharing x's elements, cut from the graph (no gradient flows through it). */
export function detach(x: Tensor): Tensor {
  return alias(x);
}

/** A copy in another dtype (x itself if it already has it). Float ⇄ float casts carry gradients;
 * a cast to int32 or bool is a step function, so no gradient flows through it (as in PyTorch). */
export function to(x: Tensor, dtype: DType): Tensor {
  if (dtype === x.dtype) return x;
  checkDType(dtype, 'to');
  if (isFloating(dtype) && isFloating(x.dtype)) return ToFloat.apply(x, dtype as 'float32' | 'float64');
  const src = x.data();
  const out = allocate(dtype, src.length, 'to');
  if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
  else if (dtype === 'int32') for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]);
  else out.set(src);
  const cast = new Tensor(out, x.shape, { dtype });
  reportUntrackedOp('Cast', [x, dtype], cast);
  return cast;
}

// ── Tensor methods ─────────────────────────────────────────────────────────────────────────

declare module '../../tensor/tensor.js' {
  interface Tensor {
    /**
     * The same elements in a new shape, as an array or spread numbers; one dim may be −1 (inferred). A view
     * when the strides allow, else a copy. `x.reshape(2, -1)`
     */
    reshape(...shape: ShapeLike): Tensor;
    /**
     * Like `reshape`, but always a view sharing storage: throws when the strides do not allow one (call
     * `contiguous()` first). `x.view([-1, 784])`
     */
    view(...shape: ShapeLike): Tensor;
    /**
     * Merges dims `start`..`end` (inclusive; defaults 0 and −1) into one. `x.flatten(1)` turns [N, C, H, W]
     * into [N, C·H·W].
     */
    flatten(start?: number, end?: number): Tensor;
    /**
     * Removes size-1 dims: all of them, or only those in `dim` (a listed dim of another size stays).
     * `x.squeeze(1)`
     */
    squeeze(dim?: number | readonly number[]): Tensor;
    /** Inserts a size-1 dim at `dim` (−1 appends), as a view. `x.unsqueeze(0)` turns [3] into [1, 3]. */
    unsqueeze(dim: number): Tensor;
    /** Swaps dims `dim0` and `dim1`, as a view. `x.transpose(0, 1)` */
    transpose(dim0: number, dim1: number): Tensor;
    /**
     * Reorders dims: output dim i is input dim dims[i], as a view. `img.permute(0, 2, 3, 1)` turns NCHW into
     * NHWC.
     */
    permute(...dims: ShapeLike): Tensor;
    /**
     * Broadcasts size-1 dims (and new leading dims) to `shape` without copying (stride 0); −1 keeps a size.
     * `x.expand(4, -1)`
     */
    expand(...shape: ShapeLike): Tensor;
    /** Elements start..start+length−1 along `dim`, as a view. `x.narrow(1, 0, 2)` */
    narrow(dim: number, start: number, length: number): Tensor;
    /**
     * Python's x[start:end:step] along `dim`, as a view: negative bounds count from the end, out-of-range
     * bounds clamp. `x.slice(0, 1, -1)`
     */
    slice(dim: number, start?: number, end?: number, step?: number): Tensor;
    /** The transpose: dims reversed (for a matrix, rows and columns swapped). */
    readonly T: Tensor;

    /**
     * A copy in `dtype` (x itself if it already has it). Float ⇄ float casts carry gradients; casts to int32 or
     * bool are steps, so no gradient flows. `x.to('float64')`
     */
    to(dtype: DType): Tensor;
    /** `to('float32')`. */
    float(): Tensor;
    /** `to('float64')`. */
    double(): Tensor;
    /** `to('int32')` (truncates toward zero). */
    int(): Tensor;
    /** `to('bool')`: nonzero becomes true. */
    bool(): Tensor;
    /** A contiguous copy that stays in the graph (gradients flow back to x). */
    clone(): Tensor;
    /** x itself when its elements already lie in row-major order, else a contiguous copy (in the graph). */
    contiguous(): Tensor;
    /** A tensor sharing x's storage but cut from the graph: no gradient flows through it. */
    detach(): Tensor;
  }
}

installMethods({
  reshape(...shape: ShapeLike) { return reshape(this, ...shape); },
  view(...shape: ShapeLike) { return view(this, ...shape); },
  flatten(start?: number, end?: number) { return flatten(this, start, end); },
  squeeze(dim?: number | readonly number[]) { return squeeze(this, dim); },
  unsqueeze(dim: number) { return unsqueeze(this, dim); },
  transpose(dim0: number, dim1: number) { return transpose(this, dim0, dim1); },
  permute(...dims: ShapeLike) { return permute(this, ...dims); },
  expand(...shape: ShapeLike) { return expand(this, ...shape); },
  narrow(dim: number, start: number, length: number) { return narrow(this, dim, start, length); },
  slice(dim: number, start?: number, end?: number, step?: number) { return slice(this, dim, start, end, step); },

  to(dtype: DType) { return to(this, dtype); },
  float() { return to(this, 'float32'); },
  double() { return to(this, 'float64'); },
  int() { return to(this, 'int32'); },
  bool() { return to(this, 'bool'); },
  clone() { return clone(this); },
  contiguous() { return contiguous(this); },
  detach() { return detach(this); },
});

Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return permute(this, this.shape.map((_, i) => this.ndim - 1 - i));
  },
  configurable: true,
});
