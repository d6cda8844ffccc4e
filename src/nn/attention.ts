/**
 * nn.MultiheadAttention, PyTorch's layer: project queries, keys and values, split the features
 * into `numHeads` heads (head h = features [h·d, (h+1)·d), d = embedDim/numHeads), attend in each
 * head, concatenate the heads and project with `out_proj`:
 *
 *   q = query·W_qᵀ + b_q   k = key·W_kᵀ + b_k   v = value·W_vᵀ + b_v
 *   head_h = softmax(q_h·k_hᵀ/√d + mask)·v_h          out = concat(head_0…)·W_oᵀ + b_o
 *
 * Parameters as PyTorch names them: `in_proj_weight` [3E, E] (rows q, k, v) and `in_proj_bias`
 * [3E] when key and value have embedDim features; else `q_proj_weight` [E, E], `k_proj_weight`
 * [E, kdim], `v_proj_weight` [E, vdim] (with `in_proj_bias` still packed); `out_proj` a Linear.
 * Init: xavier-uniform projection weights, zero biases, out_proj.weight as a Linear.
 *
 * Extra keys (PyTorch's add_bias_kv and add_zero_attn): with `addBiasKv` the learned `bias_k`
 * and `bias_v` [1, 1, E] are appended to the projected keys and values as one more key position;
 * with `addZeroAttn` a key and value of zeros are appended per head after that. Each extra
 * position pads the attention mask and the key-padding mask with a column that allows attention,
 * so every query may attend to it, and the returned weights cover it (S + 1 or S + 2 keys).
 */
import { ShapeError, fmtShape } from '../errors.js';
import { cat } from '../autograd/functions/shape.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { attend, causalBlocked, scoreMask, type ScoreMask } from './functional/attention.js';
import { checkDropoutP } from './functional/dropout.js';
import { linear } from './functional/linear.js';
import { constant_, xavierNormal_, xavierUniform_ } from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options of `MultiheadAttention` (PyTorch's defaults in brackets). */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights, in training [0]. */
  dropout?: number;
  /** Learn in_proj_bias and out_proj.bias [true]. */
  bias?: boolean;
  /** Inputs and output as [N, L, E] instead of [L, N, E] [false]. */
  batchFirst?: boolean;
  /** Features of the keys [embedDim]. */
  kdim?: number;
  /** Features of the values [embedDim]. */
  vdim?: number;
  /** Learn bias_k and bias_v [1, 1, E], appended to the keys and values as one more position [false]. */
  addBiasKv?: boolean;
  /** Append a key and value of zeros (per head) as one more position [false]. */
  addZeroAttn?: boolean;
}

/** Options of `MultiheadAttention.forward`. */
export interface MultiheadAttentionForwardOptions {
  /** [L, S] or [N·numHeads, L, S]; bool: true = may not attend; float: added to the scores. */
  attnMask?: Tensor | null;
  /** [N, S] ([S] unbatched); bool: true = this key is padding, ignore it; float: added. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights [true]. */
  needWeights?: boolean;
  /** Average the returned weights over heads ([N, L, S]) or keep them per head ([N, h, L, S]) [true]. */
  averageAttnWeights?: boolean;
  /** Apply the causal mask (query i sees keys 0…i) when no attnMask is given [false]. */
  isCausal?: boolean;
}

/** Multi-head attention with PyTorch's packed q/k/v projection, masks and returned weights. */
export class MultiheadAttention extends Module {
  /** E, features of the queries and of the output. */
  readonly embedDim: number;
  /** Number of heads h; E must divide by it. */
  readonly numHeads: number;
  /** E / h, the features per head. */
  readonly headDim: number;
  /** Features of the keys. */
  readonly kdim: number;
  /** Features of the values. */
  readonly vdim: number;
  /** Dropout on the attention weights, in training. */
  readonly dropout: number;
  /** Whether inputs and output are [N, L, E] (else [L, N, E]). */
  readonly batchFirst: boolean;
  /** [3E, E], rows q, k, v; null when kdim or vdim differ from embedDim. */
  in_proj_weight: Parameter | null;
  /** [E, E], only when kdim or vdim differ from embedDim. */
  q_proj_weight: Parameter | null;
  /** [E, kdim], only when kdim or vdim differ from embedDim. */
  k_proj_weight: Parameter | null;
  /** [E, vdim], only when kdim or vdim differ from embedDim. */
  v_proj_weight: Parameter | null;
  /** [3E] (q, k, v), or null without bias. */
  in_proj_bias: Parameter | null;
  /** The output projection, E → E. */
  out_proj: Linear;
  /** [1, 1, E], appended to the projected keys (addBiasKv), else null. */
  bias_k: Parameter | null;
  /** [1, 1, E], appended to the projected values (addBiasKv), else null. */
  bias_v: Parameter | null;
  /** Append a zero key and value per head (PyTorch's add_zero_attn). */
  readonly addZeroAttn: boolean;

  constructor(embedDim: number, numHeads: number, opts: MultiheadAttentionOptions = {}) {
    super();
    checkOptions('MultiheadAttention', opts, optionKeys<MultiheadAttentionOptions>({
      dropout: true, bias: true, batchFirst: true, kdim: true, vdim: true, addBiasKv: true, addZeroAttn: true,
    }));
    opts ??= {};
    if (!Number.isInteger(embedDim) || embedDim < 1 || !Number.isInteger(numHeads) || numHeads < 1) {
      throw new ShapeError(`MultiheadAttention: embedDim and numHeads must be positive integers, got ${embedDim} and ${numHeads}`);
    }
    if (embedDim % numHeads !== 0) throw new ShapeError(`MultiheadAttention: embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.kdim = opts.kdim ?? embedDim;
    this.vdim = opts.vdim ?? embedDim;
    this.dropout = opts.dropout ?? 0;
    checkDropoutP('MultiheadAttention', this.dropout);
    this.batchFirst = opts.batchFirst ?? false;
    const packed = this.kdim === embedDim && this.vdim === embedDim;
    const bias = opts.bias ?? true;
    this.in_proj_weight = packed ? new Parameter(zeros([3 * embedDim, embedDim])) : null;
    this.q_proj_weight = packed ? null : new Parameter(zeros([embedDim, embedDim]));
    this.k_proj_weight = packed ? null : new Parameter(zeros([embedDim, this.kdim]));
    this.v_proj_weight = packed ? null : new Parameter(zeros([embedDim, this.vdim]));
    this.in_proj_bias = bias ? new Parameter(zeros([3 * embedDim])) : null;
    this.out_proj = new Linear(embedDim, embedDim, { bias });
    const addBiasKv = opts.addBiasKv ?? false;
    this.bias_k = addBiasKv ? new Parameter(zeros([1, 1, embedDim])) : null;
    this.bias_v = addBiasKv ? new Parameter(zeros([1, 1, embedDim])) : null;
    this.addZeroAttn = opts.addZeroAttn ?? false;
    this.resetParameters();
  }

  /**
   * PyTorch's init: xavier-uniform projection weights, zero in_proj_bias and out_proj.bias,
   * xavier-normal bias_k and bias_v.
   */
  resetParameters(): void {
    for (const w of [this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) if (w) xavierUniform_(w);
    if (this.in_proj_bias) constant_(this.in_proj_bias, 0);
    if (this.out_proj.bias) constant_(this.out_proj.bias, 0);
    for (const b of [this.bias_k, this.bias_v]) if (b) xavierNormal_(b);
  }

  /**
   * query [L, N, E], key [S, N, kdim], value [S, N, vdim] ([N, ·, ·] with batchFirst; without the
   * batch dim unbatched) → [output like query, weights [N, L, S] / [N, h, L, S] or null].
   */
  override forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const op = 'MultiheadAttention';
    checkOptions(`${op}.forward`, opts, optionKeys<MultiheadAttentionForwardOptions>({ attnMask: true, keyPaddingMask: true, needWeights: true, averageAttnWeights: true, isCausal: true }));
    const E = this.embedDim;
    const batched = query.ndim === 3;
    if (query.ndim !== 2 && query.ndim !== 3) throw new ShapeError(`${op}: expected query to be 2-d or 3-d, got ${fmtShape(query.shape)}`);
    if (key.ndim !== query.ndim || value.ndim !== query.ndim) {
      throw new ShapeError(`${op}: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must have the same number of dims`);
    }
    for (const [name, t, size] of [['query', query, E], ['key', key, this.kdim], ['value', value, this.vdim]] as const) {
      if (t.shape[t.ndim - 1] !== size) throw new ShapeError(`${op}: expected ${name} feature size ${size}, got ${t.shape[t.ndim - 1]} (${name} ${fmtShape(t.shape)})`);
    }
    // Internally every tensor is batch-first: [N, L, features].
    const toInner = (t: Tensor) => (!batched ? t.unsqueeze(0) : this.batchFirst ? t : t.transpose(0, 1));
    const q0 = toInner(query);
    const k0 = toInner(key);
    const v0 = toInner(value);
    const [N, L] = q0.shape;
    const S = k0.shape[1];
    if (k0.shape[0] !== N || v0.shape[0] !== N) throw new ShapeError(`${op}: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must have the same batch size`);
    if (v0.shape[1] !== S) throw new ShapeError(`${op}: key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must have the same sequence length`);
    const extra = (this.bias_k ? 1 : 0) + (this.addZeroAttn ? 1 : 0);
    const masks = this.masks(opts, N, L, S, batched, extra);

    let [q, k, v] = this.project(q0, k0, v0, query === key && key === value);
    if (this.bias_k && this.bias_v) {
      k = cat([k, this.bias_k.expand(N, 1, E)], 1);
      v = cat([v, this.bias_v.expand(N, 1, E)], 1);
    }
    const Sb = S + (this.bias_k ? 1 : 0);
    const heads = (t: Tensor, len: number) => t.reshape([N, len, this.numHeads, this.headDim]).permute(0, 2, 1, 3);
    let kh = heads(k, Sb);
    let vh = heads(v, Sb);
    if (this.addZeroAttn) {
      const zero = zeros([N, this.numHeads, 1, this.headDim], { dtype: kh.dtype });
      kh = cat([kh, zero], 2);
      vh = cat([vh, zero], 2);
    }
    const { out, weights } = attend(heads(q, L), kh, vh, masks, this.training ? this.dropout : 0, 1 / Math.sqrt(this.headDim));
    const merged = this.out_proj.forward(out.permute(0, 2, 1, 3).reshape([N, L, E]));
    const output = !batched ? merged.squeeze(0) : this.batchFirst ? merged : merged.transpose(0, 1);
    if (!(opts.needWeights ?? true)) return [output, null];
    const w = (opts.averageAttnWeights ?? true) ? weights.mean(1) : weights;
    return [output, batched ? w : w.squeeze(0)];
  }

  /** q, k, v projected: one product for self-attention with packed weights, else one each. */
  protected project(q: Tensor, k: Tensor, v: Tensor, same: boolean): [Tensor, Tensor, Tensor] {
    const E = this.embedDim;
    const b = this.in_proj_bias;
    const bias = (i: number) => (b ? b.narrow(0, i * E, E) : null);
    const w = this.in_proj_weight;
    if (w) {
      if (same) {
        const [pq, pk, pv] = linear(q, w, b, 'MultiheadAttention').chunk(3, -1);
        return [pq, pk, pv];
      }
      return [linear(q, w.narrow(0, 0, E), bias(0)), linear(k, w.narrow(0, E, E), bias(1)), linear(v, w.narrow(0, 2 * E, E), bias(2))];
    }
    const [wq, wk, wv] = [this.q_proj_weight, this.k_proj_weight, this.v_proj_weight];
    if (!wq || !wk || !wv) throw new ShapeError('MultiheadAttention: q_proj_weight, k_proj_weight and v_proj_weight are missing');
    return [linear(q, wq, bias(0)), linear(k, wk, bias(1)), linear(v, wv, bias(2))];
  }

  /**
   * The masks as score masks over [N, h, L, S + extra], after checking their shapes against S:
   * each is padded with `extra` columns that allow attention (false, or 0 for a float mask).
   */
  private masks(opts: MultiheadAttentionForwardOptions, N: number, L: number, S: number, batched: boolean, extra: number): ScoreMask[] {
    const padKeys = (m: Tensor) => (extra === 0 ? m : cat([m, zeros([...m.shape.slice(0, -1), extra], { dtype: m.dtype })], -1));
    const op = 'MultiheadAttention';
    const h = this.numHeads;
    const out: ScoreMask[] = [];
    const attnMask = opts.attnMask ?? null;
    if (attnMask !== null) {
      const two = attnMask.ndim === 2;
      const expected = two ? [L, S] : [N * h, L, S];
      if ((attnMask.ndim !== 2 && attnMask.ndim !== 3) || attnMask.shape.some((s, i) => s !== expected[i])) {
        throw new ShapeError(`${op}: attnMask of shape ${fmtShape(attnMask.shape)} should be ${fmtShape([L, S])} or ${fmtShape([N * h, L, S])}`);
      }
      out.push(scoreMask(padKeys(two ? attnMask : attnMask.reshape([N, h, L, S]))));
    } else if (opts.isCausal) {
      out.push({ blocked: padKeys(causalBlocked(L, S)) });
    }
    const kpm = opts.keyPaddingMask ?? null;
    if (kpm !== null) {
      const expected = batched ? [N, S] : [S];
      if (kpm.ndim !== expected.length || kpm.shape.some((s, i) => s !== expected[i])) {
        throw new ShapeError(`${op}: keyPaddingMask of shape ${fmtShape(kpm.shape)} should be ${fmtShape(expected)}`);
      }
      out.push(scoreMask(padKeys(kpm.reshape([N, 1, 1, S]))));
    }
    return out;
  }

  override extraRepr(): string {
    const extras = `${this.bias_k ? ', addBiasKv=true' : ''}${this.addZeroAttn ? ', addZeroAttn=true' : ''}`;
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}${extras}`;
  }
}
