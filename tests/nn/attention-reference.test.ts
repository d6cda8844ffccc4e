/**
 * MultiheadAttention, scaledDotProductAttention and the Transformer layers against an
 * independent float64 reference written from PyTorch's documented equations with plain loops;
 * weights are random PyTorch-named state dicts passed through safetensors.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randn, tensor, type Module, type Tensor } from '../../src/index.js';
import { affine, expectClose, loadRandomStateDict, mat, toFloat64, vec } from './sequence-helpers.js';

type Params = (name: string) => number[][] | number[];
/** An additive score mask: (batch n, head h, query i, key j) → added to the score (−∞ blocks). */
type MaskFn = (n: number, h: number, i: number, j: number) => number;

function paramsOf(sd: Record<string, Tensor>): Params {
  return (name) => {
    const t = sd[name];
    if (t === undefined) throw new Error(`no ${name}`);
    return t.ndim === 2 ? mat(t) : vec(t);
  };
}

const rows = (m: number[][], from: number, count: number) => m.slice(from, from + count);

/**
 * Multi-head attention of one batch element from the equations: q/k/v projections, per-head
 * softmax(q·kᵀ/√d + mask)·v, concatenated heads through out_proj. Returns out [L][E] and the
 * per-head weights [h][L][S].
 */
function refAttention(p: Params, prefix: string, E: number, heads: number, q: number[][], k: number[][], v: number[][], mask: (h: number, i: number, j: number) => number, packed = true) {
  const b = p(`${prefix}in_proj_bias`) as number[];
  const W = packed ? (p(`${prefix}in_proj_weight`) as number[][]) : null;
  const Wq = W ? rows(W, 0, E) : (p(`${prefix}q_proj_weight`) as number[][]);
  const Wk = W ? rows(W, E, E) : (p(`${prefix}k_proj_weight`) as number[][]);
  const Wv = W ? rows(W, 2 * E, E) : (p(`${prefix}v_proj_weight`) as number[][]);
  const Q = q.map((x) => affine(Wq, x, b.slice(0, E)));
  const K = k.map((x) => affine(Wk, x, b.slice(E, 2 * E)));
  const V = v.map((x) => affine(Wv, x, b.slice(2 * E)));
  const d = E / heads;
  const concat = Q.map(() => new Array<number>(E).fill(0));
  const weights: number[][][] = [];
  for (let h = 0; h < heads; h++) {
    weights.push(Q.map((qi, i) => {
      const s = K.map((kj, j) => {
        let dot = 0;
        for (let c = h * d; c < (h + 1) * d; c++) dot += qi[c] * kj[c];
        return dot / Math.sqrt(d) + mask(h, i, j);
      });
      const top = Math.max(...s);
      const e = s.map((x) => Math.exp(x - top));
      const z = e.reduce((a, x) => a + x, 0);
      const w = e.map((x) => x / z);
      for (let c = h * d; c < (h + 1) * d; c++) concat[i][c] = w.reduce((a, wj, j) => a + wj * V[j][c], 0);
      return w;
    }));
  }
  const out = concat.map((x) => affine(p(`${prefix}out_proj.weight`) as number[][], x, p(`${prefix}out_proj.bias`) as number[]));
  return { out, weights };
}

function refLayerNorm(p: Params, prefix: string, x: number[], eps = 1e-5): number[] {
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
  const g = p(`${prefix}weight`) as number[];
  const b = p(`${prefix}bias`) as number[];
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * g[i] + b[i]);
}

/** erf by its Maclaurin series (accurate to ~1e-13 for |x| < 4, which LayerNorm'd activations stay within). */
function erf(x: number): number {
  if (Math.abs(x) >= 6) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

function refFeedForward(p: Params, prefix: string, x: number[], act: 'relu' | 'gelu'): number[] {
  const hidden = affine(p(`${prefix}linear1.weight`) as number[][], x, p(`${prefix}linear1.bias`) as number[]).map((u) =>
    act === 'relu' ? Math.max(0, u) : 0.5 * u * (1 + erf(u / Math.SQRT2)));
  return affine(p(`${prefix}linear2.weight`) as number[][], hidden, p(`${prefix}linear2.bias`) as number[]);
}

const add = (a: number[][], b: number[][]) => a.map((r, i) => r.map((v, j) => v + b[i][j]));

/** One encoder layer on one sequence [L][E]. */
function refEncoderLayer(p: Params, prefix: string, E: number, heads: number, x: number[][], mask: (h: number, i: number, j: number) => number, normFirst: boolean, act: 'relu' | 'gelu'): number[][] {
  const sa = (y: number[][]) => refAttention(p, `${prefix}self_attn.`, E, heads, y, y, y, mask).out;
  const ff = (y: number[][]) => y.map((r) => refFeedForward(p, prefix, r, act));
  const norm = (name: string, y: number[][]) => y.map((r) => refLayerNorm(p, `${prefix}${name}.`, r));
  if (normFirst) {
    const a = add(x, sa(norm('norm1', x)));
    return add(a, ff(norm('norm2', a)));
  }
  const a = norm('norm1', add(x, sa(x)));
  return norm('norm2', add(a, ff(a)));
}

/** One decoder layer on one target sequence [T][E] with memory [S][E]. */
function refDecoderLayer(p: Params, prefix: string, E: number, heads: number, x: number[][], mem: number[][], selfMask: (h: number, i: number, j: number) => number, normFirst: boolean): number[][] {
  const none = () => 0;
  const sa = (y: number[][]) => refAttention(p, `${prefix}self_attn.`, E, heads, y, y, y, selfMask).out;
  const ca = (y: number[][]) => refAttention(p, `${prefix}multihead_attn.`, E, heads, y, mem, mem, none).out;
  const ff = (y: number[][]) => y.map((r) => refFeedForward(p, prefix, r, 'relu'));
  const norm = (name: string, y: number[][]) => y.map((r) => refLayerNorm(p, `${prefix}${name}.`, r));
  if (normFirst) {
    let a = add(x, sa(norm('norm1', x)));
    a = add(a, ca(norm('norm2', a)));
    return add(a, ff(norm('norm3', a)));
  }
  let a = norm('norm1', add(x, sa(x)));
  a = norm('norm2', add(a, ca(a)));
  return norm('norm3', add(a, ff(a)));
}

/** Sequence n of a [L, N, E] (or [N, L, E] batch-first) tensor as [L][E]. */
function sequence(t: Tensor, n: number, batchFirst = false): number[][] {
  return (batchFirst ? t.narrow(0, n, 1).squeeze(0) : t.narrow(1, n, 1).squeeze(1)).toArray() as number[][];
}

function prepared<M extends Module>(m: M): { m: M; p: Params } {
  toFloat64(m);
  const p = paramsOf(loadRandomStateDict(m));
  m.eval();
  return { m, p };
}

const f64 = { dtype: 'float64' as const };

describe('MultiheadAttention matches the documented equations', () => {
  const [E, heads, L, S, N] = [8, 2, 4, 5, 3];

  it('self-attention with packed weights, bool attn mask and bool key padding mask; averaged and per-head weights', () => {
    manualSeed(31);
    const { m, p } = prepared(new nn.MultiheadAttention(E, heads));
    const x = randn([L, N, E], f64);
    const attnMask = tensor([[false, true, false, true], [false, false, true, false], [true, false, false, false], [false, false, false, false]]);
    const kpm = tensor([[false, false, false, true], [false, false, false, false], [true, false, false, false]]);
    const am = attnMask.toArray() as boolean[][];
    const pm = kpm.toArray() as boolean[][];
    const maskFn: MaskFn = (n, _h, i, j) => (am[i][j] || pm[n][j] ? -Infinity : 0);
    const [out, w] = m.forward(x, x, x, { attnMask, keyPaddingMask: kpm, averageAttnWeights: false });
    const [, avg] = m.forward(x, x, x, { attnMask, keyPaddingMask: kpm });
    expect(w?.shape).toEqual([N, heads, L, L]);
    expect(avg?.shape).toEqual([N, L, L]);
    for (let n = 0; n < N; n++) {
      const ref = refAttention(p, '', E, heads, sequence(x, n), sequence(x, n), sequence(x, n), (h, i, j) => maskFn(n, h, i, j));
      expectClose(sequence(out, n), ref.out);
      expectClose((w as Tensor).narrow(0, n, 1).squeeze(0).toArray(), ref.weights);
      expectClose((avg as Tensor).narrow(0, n, 1).squeeze(0).toArray(), ref.weights[0].map((r, i) => r.map((v, j) => (v + ref.weights[1][i][j]) / 2)));
    }
  });

  it('cross-attention with kdim/vdim (separate projections), batchFirst, a per-head float mask and a float padding mask', () => {
    manualSeed(32);
    const { m, p } = prepared(new nn.MultiheadAttention(E, heads, { kdim: 3, vdim: 6, batchFirst: true }));
    const q = randn([N, L, E], f64);
    const k = randn([N, S, 3], f64);
    const v = randn([N, S, 6], f64);
    const attnMask = randn([N * heads, L, S], f64);
    const kpm = randn([N, S], f64);
    const am = attnMask.toArray() as number[][][];
    const pm = kpm.toArray() as number[][];
    const [out] = m.forward(q, k, v, { attnMask, keyPaddingMask: kpm });
    expect(out.shape).toEqual([N, L, E]);
    for (let n = 0; n < N; n++) {
      const ref = refAttention(p, '', E, heads, sequence(q, n, true), sequence(k, n, true), sequence(v, n, true), (h, i, j) => am[n * heads + h][i][j] + pm[n][j], false);
      expectClose(sequence(out, n, true), ref.out);
    }
  });

  it('unbatched inputs give the batch-of-one results without the batch dim; needWeights false gives null', () => {
    manualSeed(33);
    const { m } = prepared(new nn.MultiheadAttention(E, heads));
    const x = randn([L, E], f64);
    const [o, w] = m.forward(x, x, x);
    const [ob, wb] = m.forward(x.unsqueeze(1), x.unsqueeze(1), x.unsqueeze(1));
    expectClose(o.toArray(), ob.squeeze(1).toArray());
    expectClose((w as Tensor).toArray(), (wb as Tensor).squeeze(0).toArray());
    expect(m.forward(x, x, x, { needWeights: false })[1]).toBeNull();
  });
});

describe('scaledDotProductAttention', () => {
  it('equals softmax(q·kᵀ/√E + mask)·v, with PyTorch\'s bool mask meaning (true = attend) and isCausal', () => {
    manualSeed(34);
    const q = randn([2, 3, 4], f64);
    const k = randn([2, 5, 4], f64);
    const v = randn([2, 5, 6], f64);
    const allow = randn([3, 5]).gt(-0.5);
    const al = allow.toArray() as boolean[][];
    const ref = (n: number, blocked: (i: number, j: number) => boolean) => {
      const Q = q.narrow(0, n, 1).squeeze(0).toArray() as number[][];
      const K = k.narrow(0, n, 1).squeeze(0).toArray() as number[][];
      const V = v.narrow(0, n, 1).squeeze(0).toArray() as number[][];
      return Q.map((qi, i) => {
        const s = K.map((kj, j) => (blocked(i, j) ? -Infinity : qi.reduce((a, x, c) => a + x * kj[c], 0) / 2));
        const top = Math.max(...s);
        const e = s.map((x) => Math.exp(x - top));
        const z = e.reduce((a, x) => a + x, 0);
        return V[0].map((_, c) => e.reduce((a, ej, j) => a + (ej / z) * V[j][c], 0));
      });
    };
    const masked = nn.functional.scaledDotProductAttention(q, k, v, { attnMask: allow });
    const causal = nn.functional.scaledDotProductAttention(q, k, v, { isCausal: true });
    for (let n = 0; n < 2; n++) {
      expectClose(masked.narrow(0, n, 1).squeeze(0).toArray(), ref(n, (i, j) => !al[i][j]));
      expectClose(causal.narrow(0, n, 1).squeeze(0).toArray(), ref(n, (i, j) => j > i));
    }
  });
});

describe('Transformer layers match the documented equations', () => {
  const [E, heads, L, N] = [8, 2, 5, 2];
  const causal = (_h: number, i: number, j: number) => (j > i ? -Infinity : 0);

  it.each([
    { normFirst: false, activation: 'relu' as const },
    { normFirst: true, activation: 'gelu' as const },
  ])('TransformerEncoder (2 layers + final norm), normFirst=$normFirst activation=$activation, causal mask', ({ normFirst, activation }) => {
    manualSeed(35);
    const layer = new nn.TransformerEncoderLayer(E, heads, { dimFeedforward: 16, normFirst, activation });
    const { m, p } = prepared(new nn.TransformerEncoder(layer, 2, { norm: new nn.LayerNorm(E) }));
    const x = randn([L, N, E], f64);
    const out = m.forward(x, { mask: nn.generateSquareSubsequentMask(L, { dtype: 'float64' }) });
    for (let n = 0; n < N; n++) {
      let y = sequence(x, n);
      for (let i = 0; i < 2; i++) y = refEncoderLayer(p, `layers.${i}.`, E, heads, y, causal, normFirst, activation);
      expectClose(sequence(out, n), y.map((r) => refLayerNorm(p, 'norm.', r)));
    }
  });

  it.each([false, true])('TransformerDecoderLayer normFirst=%s with a causal target mask, batchFirst', (normFirst) => {
    manualSeed(36);
    const { m, p } = prepared(new nn.TransformerDecoderLayer(E, heads, { dimFeedforward: 16, normFirst, batchFirst: true }));
    const tgt = randn([N, L, E], f64);
    const mem = randn([N, 3, E], f64);
    const out = m.forward(tgt, mem, { tgtIsCausal: true });
    for (let n = 0; n < N; n++) {
      expectClose(sequence(out, n, true), refDecoderLayer(p, '', E, heads, sequence(tgt, n, true), sequence(mem, n, true), causal, normFirst));
    }
  });
});
