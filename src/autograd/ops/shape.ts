/**
 * The functional forms of the shape ops. Most are views (no copy); `cat`, `stack`, `pad` and
 * `repeat` build new tensors, written as compositions of the primitive shape Functions so their
 * gradients come for free.
 */
import { ShapeError, fmtShape } from '../../errors.js';
import { allocate, checkDType, isFloating, type DType } from '../../kernels/dtype.js';
import { normalizeDim, parseShape, shapeSize } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { full } from '../../tensor/creation.js';
import { Cat, Clone, Expand, Permute, Reshape, Slice, ToFloat, sliceBounds } from '../functions/shape.js';
import { alias, reportUntrackedOp } from '../function.js';
import { checkOptions } from '../../options.js';

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

/** Tiles the tensor `times[i]` times along dim i (leading extra entries add dims). */
export function repeat(x: Tensor, ...times: ShapeLike): Tensor {
  const reps = parseShape(times, 'repeat');
  if (reps.length < x.ndim) throw new ShapeError(`repeat: got ${reps.length} repeat counts for a tensor of shape ${fmtShape(x.shape)}`);
  const shape = [...new Array<number>(reps.length - x.ndim).fill(1), ...x.shape];
  // [s0, s1] → [1, s0, 1, s1] → expand to [t0, s0, t1, s1] → [t0·s0, t1·s1]
  const interleaved = shape.flatMap((s) => [1, s]);
  const expanded = reps.flatMap((t, i) => [t, shape[i]]);
  return reshape(expand(reshape(x, interleaved), expanded), reps.map((t, i) => t * shape[i]));
}

/** Throws a ShapeError naming `op` for a 0-d tensor, which has no dim to cut (as PyTorch). */
function requireDims(x: Tensor, op: string): void {
  if (x.ndim === 0) throw new ShapeError(`${op}: cannot be applied to a 0-d tensor (shape []); it has no dim to index`);
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

/** Splits into pieces of `size` along `dim` (the last may be smaller), or into the given sizes. */
export function split(x: Tensor, sizeOrSizes: number | readonly number[], dim = 0): Tensor[] {
  requireDims(x, 'split');
  const d = normalizeDim(dim, x.ndim, 'split');
  const total = x.shape[d];
  let sizes: number[];
  if (typeof sizeOrSizes === 'number') {
    if (!Number.isInteger(sizeOrSizes) || sizeOrSizes <= 0) throw new ShapeError(`split: size must be a positive integer, got ${sizeOrSizes}`);
    sizes = [];
    for (let at = 0; at < total; at += sizeOrSizes) sizes.push(Math.min(sizeOrSizes, total - at));
    if (sizes.length === 0) sizes = [0];
  } else {
    sizes = [...sizeOrSizes];
    const sumSizes = sizes.reduce((a, b) => a + b, 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sumSizes !== total) {
      throw new ShapeError(`split: sizes ${fmtShape(sizes)} do not sum to ${total}, the size of dim ${dim} (shape ${fmtShape(x.shape)})`);
    }
  }
  const pieces: Tensor[] = [];
  let at = 0;
  for (const s of sizes) {
    pieces.push(narrow(x, d, at, s));
    at += s;
  }
  return pieces;
}

/** Splits into `chunks` pieces of ⌈size/chunks⌉ along `dim` (fewer when they run out, as PyTorch). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ShapeError(`chunk: number of chunks must be a positive integer, got ${chunks}`);
  requireDims(x, 'chunk');
  const d = normalizeDim(dim, x.ndim, 'chunk');
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

/** Padding modes of `pad`. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/**
 * Pads the last dims: `pads` = [left, right] for the last dim, then [top, bottom] for the one
 * before, and so on (PyTorch's order). Constant padding may be negative (crops).
 */
export function pad(x: Tensor, pads: readonly number[], opts: { mode?: PadMode; value?: number } = {}): Tensor {
  checkOptions('pad', opts, ['mode', 'value']);
  const mode = opts.mode ?? 'constant';
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim || pads.some((p) => !Number.isInteger(p))) {
    throw new ShapeError(`pad: padding ${fmtShape(pads)} must be integer pairs for at most ${x.ndim} dims (shape ${fmtShape(x.shape)})`);
  }
  let out = x;
  for (let pair = 0; pair < pads.length / 2; pair++) {
    const dim = x.ndim - 1 - pair;
    const before = pads[2 * pair];
    const after = pads[2 * pair + 1];
    if (before === 0 && after === 0) continue;
    out = mode === 'constant' ? padConstant(out, dim, before, after, opts.value ?? 0) : padByIndex(out, dim, before, after, mode);
  }
  // All-zero padding still returns a new tensor in the graph (a bare alias would drop the gradient).
  return out === x ? clone(x) : out;
}

function padConstant(x: Tensor, dim: number, before: number, after: number, value: number): Tensor {
  const size = x.shape[dim];
  if (size + before + after < 0) throw new ShapeError(`pad: padding (${before}, ${after}) leaves a negative size for dim ${dim} of size ${size}`);
  let core = x;
  if (before < 0 || after < 0) core = narrow(x, dim, Math.max(0, -before), size + Math.min(0, before) + Math.min(0, after));
  const parts: Tensor[] = [];
  const block = (n: number) => full(x.shape.map((s, i) => (i === dim ? n : s)), value, { dtype: x.dtype });
  if (before > 0) parts.push(block(before));
  parts.push(core);
  if (after > 0) parts.push(block(after));
  return parts.length === 1 ? core : cat(parts, dim);
}

function padByIndex(x: Tensor, dim: number, before: number, after: number, mode: Exclude<PadMode, 'constant'>): Tensor {
  const n = x.shape[dim];
  if (before < 0 || after < 0) throw new ShapeError(`pad: negative padding is only allowed in constant mode, got (${before}, ${after})`);
  if (mode === 'reflect' && (before >= n || after >= n)) {
    throw new ShapeError(`pad: reflect padding (${before}, ${after}) must be less than the size ${n} of dim ${dim} (shape ${fmtShape(x.shape)})`);
  }
  if (n === 0) throw new ShapeError(`pad: cannot ${mode}-pad an empty dim ${dim}`);
  const index = new Int32Array(n + before + after);
  for (let j = 0; j < index.length; j++) {
    const i = j - before;
    if (mode === 'reflect') index[j] = i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    else if (mode === 'replicate') index[j] = Math.min(Math.max(i, 0), n - 1);
    else index[j] = ((i % n) + n) % n;
  }
  return x.indexSelect(dim, new Tensor(index, [index.length]));
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
