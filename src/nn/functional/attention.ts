/**
 * Scaled dot-product attention, the core of every attention layer:
 *
 *   weights = softmax(q·kᵀ · scale + mask)      scale = 1/√E by default
 *   out     = dropout(weights) · v
 *
 * for q [..., L, E], k [..., S, E], v [..., S, Ev] → out [..., L, Ev]; leading dims broadcast.
 * A masked-out score becomes −∞, so its weight is exactly 0 (a row with every key masked has no
 * defined softmax and comes out NaN, as in PyTorch).
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { isFloating } from '../../kernels/dtype.js';
import { broadcastShapes } from '../../tensor/shape.js';
import { full } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropout } from './dropout.js';
import { checkOptions, optionKeys } from '../../options.js';

/** A mask in the form the core takes: bool `blocked` (true = may not attend) or float scores to add. */
export type ScoreMask = { blocked: Tensor } | { added: Tensor };

/** `mask` as a ScoreMask: a float mask is added; bool (or int, nonzero = true) blocks where true. */
export function scoreMask(mask: Tensor): ScoreMask {
  if (isFloating(mask.dtype)) return { added: mask };
  return { blocked: mask.dtype === 'bool' ? mask : mask.ne(0) };
}

/** Throws unless `mask` broadcasts to the scores' shape. */
export function checkMaskShape(op: string, what: string, mask: Tensor, scores: readonly number[]): void {
  let shape: number[];
  try {
    shape = broadcastShapes(mask.shape, scores, op);
  } catch {
    throw new ShapeError(`${op}: ${what} of shape ${fmtShape(mask.shape)} does not broadcast to the attention scores ${fmtShape(scores)}`);
  }
  if (shape.length !== scores.length || shape.some((s, i) => s !== scores[i])) {
    throw new ShapeError(`${op}: ${what} of shape ${fmtShape(mask.shape)} does not broadcast to the attention scores ${fmtShape(scores)}`);
  }
}

/** The causal mask for L queries and S keys: query i may not attend to key j > i (top-left aligned). */
export function causalBlocked(L: number, S: number): Tensor {
  const blocked = full([L, S], 0, { dtype: 'bool' });
  const d = blocked.storage;
  for (let i = 0; i < L; i++) for (let j = i + 1; j < S; j++) d[i * S + j] = 1;
  return blocked;
}

/**
 * The attention core: returns the output and the weights (after dropout, as PyTorch returns
 * them). `masks` are applied in order; `dropoutP` > 0 drops weights.
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, masks: readonly ScoreMask[], dropoutP: number, scale: number): { out: Tensor; weights: Tensor } {
  // BEGIN SOLUTION m6 — attend: scores = q·kᵀ·scale, masks applied (blocked → −∞, added → +), weights = softmax over the last dim (then dropout when dropoutP > 0); return { out: weights·v, weights }
  let scores = q.matmul(k.transpose(-1, -2)).mul(scale);
  for (const m of masks) scores = 'blocked' in m ? scores.maskedFill(m.blocked, -Infinity) : scores.add(m.added);
  let weights = scores.softmax(-1);
  if (dropoutP > 0) weights = dropout(weights, dropoutP, true);
  return { out: weights.matmul(v), weights };
  // END SOLUTION
}

/** Options of `scaledDotProductAttention` (PyTorch's `attn_mask`, `dropout_p`, `is_causal`, `scale`). */
export interface ScaledDotProductAttentionOptions {
  /**
   * Broadcasts to [..., L, S]. As in PyTorch's scaled_dot_product_attention, a bool mask is
   * true where attention IS allowed (the opposite of MultiheadAttention's masks); a float mask
   * is added to the scores.
   */
  attnMask?: Tensor | null;
  /** Apply the causal mask (query i sees keys 0…i); not together with attnMask. */
  isCausal?: boolean;
  /** Dropout on the weights, always applied when > 0 [0]. */
  dropoutP?: number;
  /** Score scale [1/√E]. */
  scale?: number;
}

/**
 * softmax(q·kᵀ·scale + mask)·v for q [..., L, E], k [..., S, E], v [..., S, Ev] → [..., L, Ev].
 * `F.scaledDotProductAttention(q, k, v, { isCausal: true })`
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: ScaledDotProductAttentionOptions = {}): Tensor {
  checkOptions('scaledDotProductAttention', opts, optionKeys<ScaledDotProductAttentionOptions>({ attnMask: true, isCausal: true, dropoutP: true, scale: true }));
  const op = 'scaledDotProductAttention';
  if (q.ndim < 2 || k.ndim < 2 || v.ndim < 2) {
    throw new ShapeError(`${op}: q, k and v need at least 2 dims, got ${fmtShape(q.shape)}, ${fmtShape(k.shape)} and ${fmtShape(v.shape)}`);
  }
  if (q.dtype !== k.dtype || q.dtype !== v.dtype) throw new DTypeError(`${op}: q, k and v must share a dtype, got ${q.dtype}, ${k.dtype} and ${v.dtype}`);
  const E = q.shape[q.ndim - 1];
  const L = q.shape[q.ndim - 2];
  const S = k.shape[k.ndim - 2];
  if (k.shape[k.ndim - 1] !== E) throw new ShapeError(`${op}: q ${fmtShape(q.shape)} and k ${fmtShape(k.shape)} must have the same last dim`);
  if (v.shape[v.ndim - 2] !== S) throw new ShapeError(`${op}: k ${fmtShape(k.shape)} and v ${fmtShape(v.shape)} must have the same number of keys (dim -2)`);
  const batch = broadcastShapes(q.shape.slice(0, -2), k.shape.slice(0, -2), op);
  const scores = [...batch, L, S];
  const masks: ScoreMask[] = [];
  const mask = opts.attnMask ?? null;
  if (opts.isCausal) {
    if (mask !== null) throw new ShapeError(`${op}: pass either attnMask or isCausal, not both`);
    masks.push({ blocked: causalBlocked(L, S) });
  }
  if (mask !== null) {
    checkMaskShape(op, 'attnMask', mask, scores);
    masks.push(isFloating(mask.dtype) ? { added: mask } : { blocked: mask.logicalNot() });
  }
  return attend(q, k, v, masks, opts.dropoutP ?? 0, opts.scale ?? 1 / Math.sqrt(E)).out;
}
