/**
 * MultiheadAttention with addBiasKv and addZeroAttn (PyTorch's add_bias_kv, add_zero_attn):
 * parameter names, shapes and init, forward against a float64 loop reference with the extra key
 * positions and the padded masks, gradcheck, and errors.
 */
import { describe, expect, it } from 'vitest';
import { cat, gradcheck, manualSeed, nn, randn, tensor, type Tensor } from '../../src/index.js';
import { affine, expectClose, keyShapes, loadRandomStateDict, mat, toFloat64, vec } from './sequence-helpers.js';

const f64 = { dtype: 'float64' as const };

/**
 * One batch element by the equations: project q, k, v; append bias_k / bias_v (addBiasKv), then a
 * zero key and value (addZeroAttn); per head softmax(q·kᵀ/√d + mask)·v; out_proj. `mask(h, i, j)`
 * covers the original S keys only; the appended keys are never masked. Returns out [L][E] and the
 * per-head weights [h][L][S'].
 */
function reference(m: nn.MultiheadAttention, q: number[][], k: number[][], v: number[][], mask: (h: number, i: number, j: number) => number) {
  const sd = m.stateDict();
  const E = m.embedDim;
  const W = mat(sd.in_proj_weight);
  const b = vec(sd.in_proj_bias);
  const Q = q.map((x) => affine(W.slice(0, E), x, b.slice(0, E)));
  const K = k.map((x) => affine(W.slice(E, 2 * E), x, b.slice(E, 2 * E)));
  const V = v.map((x) => affine(W.slice(2 * E), x, b.slice(2 * E)));
  const S = K.length;
  if (m.bias_k) {
    K.push((sd.bias_k.toArray() as number[][][])[0][0]);
    V.push((sd.bias_v.toArray() as number[][][])[0][0]);
  }
  if (m.addZeroAttn) {
    K.push(new Array<number>(E).fill(0));
    V.push(new Array<number>(E).fill(0));
  }
  const d = E / m.numHeads;
  const concat = Q.map(() => new Array<number>(E).fill(0));
  const weights: number[][][] = [];
  for (let h = 0; h < m.numHeads; h++) {
    weights.push(Q.map((qi, i) => {
      const s = K.map((kj, j) => {
        let dot = 0;
        for (let c = h * d; c < (h + 1) * d; c++) dot += qi[c] * kj[c];
        return dot / Math.sqrt(d) + (j < S ? mask(h, i, j) : 0);
      });
      const top = Math.max(...s);
      const e = s.map((x) => Math.exp(x - top));
      const z = e.reduce((a, x) => a + x, 0);
      const w = e.map((x) => x / z);
      for (let c = h * d; c < (h + 1) * d; c++) concat[i][c] = w.reduce((a, wj, j) => a + wj * V[j][c], 0);
      return w;
    }));
  }
  const out = concat.map((x) => affine(mat(sd['out_proj.weight']), x, vec(sd['out_proj.bias'])));
  return { out, weights };
}

const average = (w: number[][][]) => w[0].map((row, i) => row.map((_, j) => w.reduce((a, wh) => a + wh[i][j], 0) / w.length));

describe('MultiheadAttention addBiasKv / addZeroAttn', () => {
  it("has PyTorch's parameter names, shapes and init", () => {
    manualSeed(41);
    const m = new nn.MultiheadAttention(8, 2, { addBiasKv: true, addZeroAttn: true });
    expect(keyShapes(m)).toEqual([
      ['in_proj_weight', [24, 8]], ['in_proj_bias', [24]], ['bias_k', [1, 1, 8]], ['bias_v', [1, 1, 8]],
      ['out_proj.weight', [8, 8]], ['out_proj.bias', [8]],
    ]);
    // xavier-normal on [1, 1, E]: fanIn = fanOut = E, std = 1/√E
    const big = new nn.MultiheadAttention(256, 1, { addBiasKv: true });
    const b = [...big.bias_k!.toTypedArray(), ...big.bias_v!.toTypedArray()];
    const std = Math.sqrt(b.reduce((a, x) => a + x * x, 0) / b.length);
    expect(std).toBeGreaterThan(0.85 / 16); // the estimate's own spread is about 3%
    expect(std).toBeLessThan(1.15 / 16);
    expect(m.toString()).toContain('embedDim=8, numHeads=2, addBiasKv=true, addZeroAttn=true');
    expect(keyShapes(new nn.MultiheadAttention(4, 2, { addZeroAttn: true }))).toEqual(keyShapes(new nn.MultiheadAttention(4, 2)));
  });

  it.each([
    ['addBiasKv', { addBiasKv: true }],
    ['addZeroAttn', { addZeroAttn: true }],
    ['both', { addBiasKv: true, addZeroAttn: true }],
  ] as const)('forward and weights match the float64 reference with masks: %s', (_, opts) => {
    manualSeed(42);
    const m = toFloat64(new nn.MultiheadAttention(4, 2, opts));
    loadRandomStateDict(m);
    const [L, S, N] = [3, 4, 2];
    const q = randn([L, N, 4], f64);
    const k = randn([S, N, 4], f64);
    const v = randn([S, N, 4], f64);
    const attnMask = randn([L, S], f64);
    const kpm = tensor([[false, false, true, false], [true, false, false, false]]);
    const [out, w] = m.forward(q, k, v, { attnMask, keyPaddingMask: kpm });
    const [, perHead] = m.forward(q, k, v, { attnMask, keyPaddingMask: kpm, averageAttnWeights: false });
    const extra = ('addBiasKv' in opts ? 1 : 0) + ('addZeroAttn' in opts ? 1 : 0);
    expect(w!.shape).toEqual([N, L, S + extra]);
    expect(perHead!.shape).toEqual([N, 2, L, S + extra]);
    const am = attnMask.toArray() as number[][];
    const pad = kpm.toArray() as boolean[][];
    for (let n = 0; n < N; n++) {
      const col = (t: Tensor) => (t.narrow(1, n, 1).squeeze(1).toArray() as number[][]);
      const ref = reference(m, col(q), col(k), col(v), (_h, i, j) => am[i][j] + (pad[n][j] ? -Infinity : 0));
      expectClose(out.narrow(1, n, 1).squeeze(1).toArray(), ref.out, 1e-12);
      expectClose(w!.narrow(0, n, 1).squeeze(0).toArray(), average(ref.weights), 1e-12);
      expectClose(perHead!.narrow(0, n, 1).squeeze(0).toArray(), ref.weights, 1e-12);
    }
  });

  it('bool and 3-d masks are padded; a row with every real key masked attends to the extra keys only', () => {
    manualSeed(43);
    const m = toFloat64(new nn.MultiheadAttention(4, 2, { addZeroAttn: true, batchFirst: true }));
    loadRandomStateDict(m);
    const x = randn([1, 3, 4], f64);
    const blocked = tensor([[true, true, true], [false, true, true], [false, false, true]]);
    const [out, w] = m.forward(x, x, x, { attnMask: blocked });
    expect(Number.isFinite(out.sum().item())).toBe(true);
    // query 0 sees only the zero key: weight 1 on it, and its value is 0, so out = out_proj.bias
    expectClose((w!.toArray() as number[][][])[0][0], [0, 0, 0, 1], 1e-12);
    expectClose((out.toArray() as number[][][])[0][0], vec(m.out_proj.bias!), 1e-12);
    const [out3] = m.forward(x, x, x, { attnMask: blocked.unsqueeze(0).expand(2, 3, 3) });
    expectClose(out3.toArray(), out.toArray(), 1e-12);
    const [outCausal] = m.forward(x, x, x, { isCausal: true });
    const [outMasked] = m.forward(x, x, x, { attnMask: tensor([[false, true, true], [false, false, true], [false, false, false]]) });
    expectClose(outCausal.toArray(), outMasked.toArray(), 1e-12);
  });

  it('unbatched input', () => {
    manualSeed(44);
    const m = toFloat64(new nn.MultiheadAttention(4, 2, { addBiasKv: true }));
    loadRandomStateDict(m);
    const x = randn([3, 4], f64);
    const [out, w] = m.forward(x, x, x, { keyPaddingMask: tensor([false, true, false]) });
    expect(out.shape).toEqual([3, 4]);
    expect(w!.shape).toEqual([3, 4]);
    const ref = reference(m, x.toArray() as number[][], x.toArray() as number[][], x.toArray() as number[][], (_h, _i, j) => (j === 1 ? -Infinity : 0));
    expectClose(out.toArray(), ref.out, 1e-12);
  });

  it('gradcheck: inputs and every parameter (bias_k, bias_v included)', () => {
    manualSeed(45);
    const m = toFloat64(new nn.MultiheadAttention(4, 2, { addBiasKv: true, addZeroAttn: true }));
    const req = { dtype: 'float64' as const, requiresGrad: true };
    const q = randn([2, 2, 4], req);
    const kv = randn([3, 2, 4], req);
    const kpm = tensor([[false, true, false], [false, false, false]]);
    const run = () => {
      const [o, w] = m.forward(q, kv, kv, { keyPaddingMask: kpm });
      return cat([o.flatten(), w!.flatten()]);
    };
    expect(gradcheck(run, [q, kv, ...m.parameters()])).toBe(true);
  });

  it('rejects misspelled options', () => {
    expect(() => new nn.MultiheadAttention(4, 2, { add_bias_kv: true } as never)).toThrow(/unknown option 'add_bias_kv' \(did you mean 'addBiasKv'\?\)/);
    expect(() => new nn.MultiheadAttention(4, 2, 0.1 as never)).toThrow(/expected an options object/);
    const m = new nn.MultiheadAttention(4, 2, { addBiasKv: true });
    const x = randn([3, 1, 4]);
    // masks are checked against the real key count, before the extra positions
    expect(() => m.forward(x, x, x, { attnMask: randn([3, 4]) })).toThrow(/attnMask of shape \[3,4\] should be \[3,3\]/);
  });
});
