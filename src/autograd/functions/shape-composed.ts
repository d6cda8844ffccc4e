/**
 * Shape ops written as compositions of the primitive ones in shape.ts (views, cat) and
 * indexSelect, so their gradients come for free and they need no Function of their own:
 * repeat, split, chunk and pad. Below, their Tensor methods (`x.repeat(2, 1)`, `x.split(2)`,
 * `x.chunk(3)`).
 */
import { ShapeError, fmtShape } from '../../errors.js';
import { normalizeDim, parseShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { full } from '../../tensor/creation.js';
import { checkOptions } from '../../options.js';
import { installMethods } from '../install-methods.js';
import { cat, clone, expand, narrow, reshape, type ShapeLike } from './shape.js';
import { requireDims } from './util.js';

// ── Functional forms ───────────────────────────────────────────────────────────────────────

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


// ── Tensor methods ─────────────────────────────────────────────────────────────────────────

declare module '../../tensor/tensor.js' {
  interface Tensor {
    /**
     * Tiles the tensor times[i] times along dim i (extra leading entries add dims); a copy. `x.repeat(2, 1)`
     */
    repeat(...times: ShapeLike): Tensor;
    /**
     * Splits along `dim` (default 0) into pieces of `size` (the last may be smaller) or of the listed sizes;
     * views. `x.split([2, 3], 1)`
     */
    split(sizeOrSizes: number | readonly number[], dim?: number): Tensor[];
    /**
     * Splits along `dim` (default 0) into `chunks` pieces of ⌈size/chunks⌉ (fewer when they run out, as
     * PyTorch); views. `const [q, k, v] = qkv.chunk(3, -1)`
     */
    chunk(chunks: number, dim?: number): Tensor[];
  }
}

installMethods({
  repeat(...times: ShapeLike) { return repeat(this, ...times); },
  split(sizeOrSizes: number | readonly number[], dim?: number) { return split(this, sizeOrSizes, dim); },
  chunk(chunks: number, dim?: number) { return chunk(this, chunks, dim); },
});
