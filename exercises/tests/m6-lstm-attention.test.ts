/**
 * m6 — an LSTM cell and scaled dot-product attention, against plain-JavaScript references;
 * attention's gradients by gradcheck (through m1's Mul, m2's softmax and m3's engine and MatMul).
 */
import { describe, expect, it } from 'vitest';
import { gradcheck, nn, tensor, type Tensor } from 'tsgrad';
import { attend, expectClose, lstmSequenceComposed, randomTensor, seeded, unravel, values } from './helpers.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** softmax(q·kᵀ·scale + mask)·v for one batch of [L, E], [S, E], [S, Ev]; `blocked(i, j)` masks a score. */
function attentionRef(q: number[], k: number[], v: number[], L: number, S: number, E: number, Ev: number, scale: number, blocked: (i: number, j: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < L; i++) {
    const scores = Array.from({ length: S }, (_, j) => {
      if (blocked(i, j)) return -Infinity;
      let s = 0;
      for (let e = 0; e < E; e++) s += q[i * E + e] * k[j * E + e];
      return s * scale;
    });
    const max = Math.max(...scores);
    const w = scores.map((s) => Math.exp(s - max));
    const total = w.reduce((a, b) => a + b, 0);
    for (let c = 0; c < Ev; c++) out.push(w.reduce((acc, wj, j) => acc + (wj / total) * v[j * Ev + c], 0));
  }
  return out;
}

describe('m6: an LSTM cell and attention', () => {
  it('m6: the LSTM cell: c ← σ(f)⊙c + σ(i)⊙tanh(g), h ← σ(o)⊙tanh(c), step after step', () => {
    const random = seeded(61);
    const [L, N, H] = [3, 2, 4];
    const xp = randomTensor([L, N, 4 * H], random);
    const whh = randomTensor([4 * H, H], random);
    const h0 = randomTensor([N, H], random);
    const c0 = randomTensor([N, H], random);
    for (const reverse of [false, true]) {
      const out = lstmSequenceComposed(xp, whh, h0, c0, reverse);
      expect(out.shape).toEqual([L, 2, N, H]);
      const [xv, wv] = [values(xp), values(whh)];
      let h = values(h0);
      let c = values(c0);
      const expected = new Array<number>(L * 2 * N * H);
      for (let s = 0; s < L; s++) {
        const t = reverse ? L - 1 - s : s;
        const pre = Array.from({ length: N * 4 * H }, (_, i) => {
          const [n, j] = unravel(i, [N, 4 * H]);
          let acc = xv[(t * N + n) * 4 * H + j];
          for (let p = 0; p < H; p++) acc += h[n * H + p] * wv[j * H + p];
          return acc;
        });
        const gate = (n: number, k: number, j: number) => pre[n * 4 * H + k * H + j];
        c = c.map((cv, i) => {
          const [n, j] = unravel(i, [N, H]);
          return sigmoid(gate(n, 1, j)) * cv + sigmoid(gate(n, 0, j)) * Math.tanh(gate(n, 2, j));
        });
        h = c.map((cv, i) => {
          const [n, j] = unravel(i, [N, H]);
          return sigmoid(gate(n, 3, j)) * Math.tanh(cv);
        });
        h.forEach((v, i) => (expected[(t * 2 + 0) * N * H + i] = v));
        c.forEach((v, i) => (expected[(t * 2 + 1) * N * H + i] = v));
      }
      expectClose(values(out), expected, `LSTM steps (reverse ${reverse})`, 1e-12, 1e-10);
    }
  });

  it('m6: attend alone: weights = softmax(q·kᵀ·scale), out = weights·v', () => {
    const random = seeded(60);
    const [L, S, E, Ev] = [2, 3, 4, 2];
    const q = randomTensor([L, E], random);
    const k = randomTensor([S, E], random);
    const v = randomTensor([S, Ev], random);
    const { out, weights } = attend(q, k, v, [], 0, 0.5);
    expect(weights.shape).toEqual([L, S]);
    expectClose(values(weights.sum(-1)), [1, 1], 'each row of weights sums to 1');
    expectClose(values(out), attentionRef(values(q), values(k), values(v), L, S, E, Ev, 0.5, () => false), 'attend');
  });

  it('m6: attention is softmax(q·kᵀ/√E)·v', () => {
    const random = seeded(62);
    const [B, L, S, E, Ev] = [2, 3, 5, 4, 6];
    const q = randomTensor([B, L, E], random);
    const k = randomTensor([B, S, E], random);
    const v = randomTensor([B, S, Ev], random);
    const out = nn.functional.scaledDotProductAttention(q, k, v);
    expect(out.shape).toEqual([B, L, Ev]);
    const [qv, kv, vv] = [values(q), values(k), values(v)];
    const expected = [0, 1].flatMap((b) =>
      attentionRef(qv.slice(b * L * E, (b + 1) * L * E), kv.slice(b * S * E, (b + 1) * S * E), vv.slice(b * S * Ev, (b + 1) * S * Ev), L, S, E, Ev, 1 / Math.sqrt(E), () => false));
    expectClose(values(out), expected, 'attention');
  });

  it('m6: attention with a causal mask, a boolean mask and a scale', () => {
    const random = seeded(63);
    const [L, E] = [4, 3];
    const q = randomTensor([L, E], random);
    const k = randomTensor([L, E], random);
    const v = randomTensor([L, 2], random);
    const causal = nn.functional.scaledDotProductAttention(q, k, v, { isCausal: true });
    expectClose(values(causal), attentionRef(values(q), values(k), values(v), L, L, E, 2, 1 / Math.sqrt(E), (i, j) => j > i), 'causal attention');
    const allowed = [[1, 0, 1, 1], [1, 1, 0, 0], [0, 1, 1, 1], [1, 1, 1, 0]];
    const mask = tensor(allowed.map((row) => row.map((x) => x === 1)));
    const masked = nn.functional.scaledDotProductAttention(q, k, v, { attnMask: mask, scale: 0.7 });
    expectClose(values(masked), attentionRef(values(q), values(k), values(v), L, L, E, 2, 0.7, (i, j) => allowed[i][j] === 0), 'masked attention');
  });

  it('m6: attention gradients pass gradcheck', () => {
    const random = seeded(64);
    const inputs: Tensor[] = [randomTensor([2, 3, 4], random, true), randomTensor([2, 5, 4], random, true), randomTensor([2, 5, 3], random, true)];
    expect(gradcheck((q, k, v) => nn.functional.scaledDotProductAttention(q, k, v, { isCausal: false }), inputs)).toBe(true);
  });
});
