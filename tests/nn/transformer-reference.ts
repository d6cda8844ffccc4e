/**
 * A float64 reference of nn.Transformer for one batch element, written from PyTorch's documented
 * equations with plain loops over arrays (no tsgrad ops), reading a PyTorch-named state dict.
 * Masks are additive functions (query i, key j) → 0 or −∞ (or any float), shared by every head.
 */
import type { Tensor } from '../../src/index.js';

type Vec = number[];
type Mat = number[][];
export type AddMask = (i: number, j: number) => number;

const affine = (W: Mat, x: Vec, b?: Vec): Vec => W.map((row, o) => row.reduce((s, w, i) => s + w * x[i], b ? b[o] : 0));

/** Reads parameters of a state dict as nested arrays. */
export class Weights {
  constructor(private readonly sd: Record<string, Tensor>) {}
  mat(name: string): Mat {
    return this.get(name).toArray() as Mat;
  }
  vec(name: string): Vec {
    return this.get(name).toArray() as Vec;
  }
  private get(name: string): Tensor {
    const t = this.sd[name];
    if (!t) throw new Error(`reference: no ${name} in the state dict`);
    return t;
  }
}

/** softmax(q·kᵀ/√d + mask)·v per head, heads concatenated, then out_proj. */
function attention(w: Weights, p: string, heads: number, q: Mat, kv: Mat, mask: AddMask): Mat {
  const E = q[0].length;
  const W = w.mat(`${p}.in_proj_weight`);
  const b = w.vec(`${p}.in_proj_bias`);
  const Q = q.map((x) => affine(W.slice(0, E), x, b.slice(0, E)));
  const K = kv.map((x) => affine(W.slice(E, 2 * E), x, b.slice(E, 2 * E)));
  const V = kv.map((x) => affine(W.slice(2 * E), x, b.slice(2 * E)));
  const d = E / heads;
  const concat = Q.map(() => new Array<number>(E).fill(0));
  for (let h = 0; h < heads; h++) {
    Q.forEach((qi, i) => {
      const s = K.map((kj, j) => {
        let dot = 0;
        for (let c = h * d; c < (h + 1) * d; c++) dot += qi[c] * kj[c];
        return dot / Math.sqrt(d) + mask(i, j);
      });
      const top = Math.max(...s);
      const e = s.map((x) => Math.exp(x - top));
      const z = e.reduce((a, x) => a + x, 0);
      for (let c = h * d; c < (h + 1) * d; c++) concat[i][c] = e.reduce((a, ej, j) => a + (ej / z) * V[j][c], 0);
    });
  }
  return concat.map((x) => affine(w.mat(`${p}.out_proj.weight`), x, w.vec(`${p}.out_proj.bias`)));
}

function layerNorm(w: Weights, p: string, x: Vec, eps = 1e-5): Vec {
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
  const g = w.vec(`${p}.weight`);
  const b = w.vec(`${p}.bias`);
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * g[i] + b[i]);
}

/** linear2(relu(linear1(x))). */
function feedForward(w: Weights, p: string, x: Vec): Vec {
  const hidden = affine(w.mat(`${p}.linear1.weight`), x, w.vec(`${p}.linear1.bias`)).map((v) => Math.max(v, 0));
  return affine(w.mat(`${p}.linear2.weight`), hidden, w.vec(`${p}.linear2.bias`));
}

const addRows = (a: Mat, b: Mat): Mat => a.map((r, i) => r.map((v, j) => v + b[i][j]));

/** Masks of one batch element. */
export interface ReferenceMasks {
  src: AddMask;
  tgt: AddMask;
  memory: AddMask;
}

/**
 * The Transformer of relu layers (post-norm, or pre-norm with `normFirst`) on one batch element:
 * src [S][E], tgt [T][E] → [T][E].
 */
export function referenceTransformer(w: Weights, heads: number, layers: { encoder: number; decoder: number }, normFirst: boolean, src: Mat, tgt: Mat, masks: ReferenceMasks): Mat {
  const norm = (p: string, x: Mat) => x.map((r) => layerNorm(w, p, r));
  const ff = (p: string, x: Mat) => x.map((r) => feedForward(w, p, r));
  let x = src;
  for (let l = 0; l < layers.encoder; l++) {
    const p = `encoder.layers.${l}`;
    if (normFirst) {
      const n1 = norm(`${p}.norm1`, x);
      x = addRows(x, attention(w, `${p}.self_attn`, heads, n1, n1, masks.src));
      x = addRows(x, ff(p, norm(`${p}.norm2`, x)));
    } else {
      x = norm(`${p}.norm1`, addRows(x, attention(w, `${p}.self_attn`, heads, x, x, masks.src)));
      x = norm(`${p}.norm2`, addRows(x, ff(p, x)));
    }
  }
  const memory = norm('encoder.norm', x);
  let y = tgt;
  for (let l = 0; l < layers.decoder; l++) {
    const p = `decoder.layers.${l}`;
    if (normFirst) {
      const n1 = norm(`${p}.norm1`, y);
      y = addRows(y, attention(w, `${p}.self_attn`, heads, n1, n1, masks.tgt));
      y = addRows(y, attention(w, `${p}.multihead_attn`, heads, norm(`${p}.norm2`, y), memory, masks.memory));
      y = addRows(y, ff(p, norm(`${p}.norm3`, y)));
    } else {
      y = norm(`${p}.norm1`, addRows(y, attention(w, `${p}.self_attn`, heads, y, y, masks.tgt)));
      y = norm(`${p}.norm2`, addRows(y, attention(w, `${p}.multihead_attn`, heads, y, memory, masks.memory)));
      y = norm(`${p}.norm3`, addRows(y, ff(p, y)));
    }
  }
  return norm('decoder.norm', y);
}
