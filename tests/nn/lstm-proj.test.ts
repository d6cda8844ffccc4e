/**
 * nn.LSTM with projSize (PyTorch's proj_size): state-dict names and shapes, forward against a
 * float64 loop reference (multi-layer, bidirectional, batch-first, unbatched, given states),
 * gradcheck of input, states and every parameter, and errors.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError, cat, enableGrad, grad, gradcheck, manualSeed, nn, randn, type Tensor } from '../../src/index.js';
import { LSTMProjectedSequence, lstmProjectedComposed } from '../../src/nn/recurrent/lstm-projected.js';
import { affine, expectClose, keyShapes, loadRandomStateDict, mat, sigmoid, toFloat64, vec } from './sequence-helpers.js';

const f64 = { dtype: 'float64' as const };

/**
 * The reference: PyTorch's documented equations, step by step on plain arrays.
 * x [L][N][F] (sequence-first), states h0 [layers·D][N][P], c0 [layers·D][N][H].
 * Returns output [L][N][D·P], hN, cN.
 */
function reference(m: nn.LSTM, x: number[][][], h0: number[][][], c0: number[][][]): { out: number[][][]; h: number[][][]; c: number[][][] } {
  const sd = m.stateDict();
  const H = m.hiddenSize;
  const D = m.numDirections;
  const L = x.length;
  const N = x[0].length;
  let input = x;
  const hN: number[][][] = [];
  const cN: number[][][] = [];
  for (let layer = 0; layer < m.numLayers; layer++) {
    const next: number[][][] = Array.from({ length: L }, () => Array.from({ length: N }, () => [] as number[]));
    for (let dir = 0; dir < D; dir++) {
      const sfx = `_l${layer}${dir ? '_reverse' : ''}`;
      const wih = mat(sd[`weight_ih${sfx}`]);
      const whh = mat(sd[`weight_hh${sfx}`]);
      const whr = mat(sd[`weight_hr${sfx}`]);
      const bih = m.bias ? vec(sd[`bias_ih${sfx}`]) : undefined;
      const bhh = m.bias ? vec(sd[`bias_hh${sfx}`]) : undefined;
      const hs: number[][] = [];
      const cs: number[][] = [];
      for (let n = 0; n < N; n++) {
        let h = h0[layer * D + dir][n];
        let c = c0[layer * D + dir][n];
        for (let s = 0; s < L; s++) {
          const t = dir ? L - 1 - s : s;
          const a1 = affine(wih, input[t][n], bih);
          const a2 = affine(whh, h, bhh);
          const a = a1.map((v, k) => v + a2[k]);
          const gi = a.slice(0, H).map(sigmoid);
          const gf = a.slice(H, 2 * H).map(sigmoid);
          const gg = a.slice(2 * H, 3 * H).map(Math.tanh);
          const go = a.slice(3 * H).map(sigmoid);
          c = c.map((cv, j) => gf[j] * cv + gi[j] * gg[j]);
          const mvec = c.map((cv, j) => go[j] * Math.tanh(cv));
          h = affine(whr, mvec);
          next[t][n].push(...h);
        }
        hs.push(h);
        cs.push(c);
      }
      hN.push(hs);
      cN.push(cs);
    }
    // bidirectional: forward half then reverse half, per step (pushed in that order above)
    input = next;
  }
  return { out: input, h: hN, c: cN };
}

describe('LSTM projSize', () => {
  it("has PyTorch's state-dict names and shapes (weight_hr after the biases)", () => {
    const m = new nn.LSTM(5, 6, { numLayers: 2, bidirectional: true, projSize: 3 });
    const perDirection = (layer: number, sfx: string, inF: number): [string, number[]][] => [
      [`weight_ih_l${layer}${sfx}`, [24, inF]], [`weight_hh_l${layer}${sfx}`, [24, 3]],
      [`bias_ih_l${layer}${sfx}`, [24]], [`bias_hh_l${layer}${sfx}`, [24]], [`weight_hr_l${layer}${sfx}`, [3, 6]],
    ];
    expect(keyShapes(m)).toEqual([...perDirection(0, '', 5), ...perDirection(0, '_reverse', 5), ...perDirection(1, '', 6), ...perDirection(1, '_reverse', 6)]);
    expect(m.toString()).toBe('LSTM(5, 6, numLayers=2, bidirectional=true, projSize=3)');
    for (const p of m.parameters()) expect(Math.max(...p.abs().toTypedArray())).toBeLessThanOrEqual(1 / Math.sqrt(6));
    expect(keyShapes(new nn.LSTM(5, 6, { projSize: 2, bias: false }))).toEqual([['weight_ih_l0', [24, 5]], ['weight_hh_l0', [24, 2]], ['weight_hr_l0', [2, 6]]]);
  });

  it.each([
    ['1 layer', { projSize: 2 }],
    ['2 layers bidirectional', { projSize: 2, numLayers: 2, bidirectional: true }],
    ['no bias, batch-first', { projSize: 1, bias: false, batchFirst: true }],
  ] as const)('forward matches the float64 reference: %s', (_, opts) => {
    manualSeed(31);
    const m = toFloat64(new nn.LSTM(3, 4, opts));
    loadRandomStateDict(m);
    const D = m.numDirections;
    const [L, N] = [4, 2];
    const x = randn([L, N, 3], f64);
    const h0 = randn([m.numLayers * D, N, m.projSize], f64);
    const c0 = randn([m.numLayers * D, N, 4], f64);
    const [out, [h, c]] = m.forward(m.batchFirst ? x.transpose(0, 1) : x, [h0, c0]);
    const ref = reference(m, x.toArray() as number[][][], h0.toArray() as number[][][], c0.toArray() as number[][][]);
    expect(out.shape).toEqual(m.batchFirst ? [N, L, D * m.projSize] : [L, N, D * m.projSize]);
    expect(h.shape).toEqual([m.numLayers * D, N, m.projSize]);
    expect(c.shape).toEqual([m.numLayers * D, N, 4]);
    expectClose((m.batchFirst ? out.transpose(0, 1) : out).toArray(), ref.out, 1e-12);
    expectClose(h.toArray(), ref.h, 1e-12);
    expectClose(c.toArray(), ref.c, 1e-12);
  });

  it('unbatched input and zero default states', () => {
    manualSeed(32);
    const m = toFloat64(new nn.LSTM(3, 4, { projSize: 2, bidirectional: true }));
    loadRandomStateDict(m);
    const x = randn([5, 3], f64);
    const [out, [h, c]] = m.forward(x);
    expect(out.shape).toEqual([5, 4]);
    expect(h.shape).toEqual([2, 2]);
    expect(c.shape).toEqual([2, 4]);
    const zerosH = [[[0, 0]], [[0, 0]]];
    const zerosC = [[[0, 0, 0, 0]], [[0, 0, 0, 0]]];
    const ref = reference(m, (x.toArray() as number[][]).map((r) => [r]), zerosH, zerosC);
    expectClose(out.toArray(), ref.out.map((r) => r[0]), 1e-12);
  });

  it('gradcheck: input, states and every parameter (2 layers, bidirectional)', () => {
    manualSeed(33);
    const m = toFloat64(new nn.LSTM(2, 3, { projSize: 2, numLayers: 2, bidirectional: true }));
    const req = { dtype: 'float64' as const, requiresGrad: true };
    const x = randn([3, 2, 2], req);
    const h0 = randn([4, 2, 2], req);
    const c0 = randn([4, 2, 3], req);
    const run = (): Tensor => {
      const [o, [h, c]] = m.forward(x, [h0, c0]);
      return cat([o.flatten(), h.flatten(), c.flatten()]);
    };
    expect(gradcheck(run, [x, h0, c0, ...m.parameters()])).toBe(true);
  });

  it('rejects bad projSize, state shapes and option names', () => {
    expect(() => new nn.LSTM(3, 4, { projSize: 4 })).toThrow(/projSize has to be smaller than hiddenSize, got projSize 4 and hiddenSize 4/);
    expect(() => new nn.LSTM(3, 4, { projSize: -1 })).toThrow(ShapeError);
    expect(() => new nn.LSTM(3, 4, { projSize: 1.5 })).toThrow(/projSize should be a positive integer or zero/);
    expect(() => new nn.LSTM(3, 4, { proj_size: 2 } as never)).toThrow(/unknown option 'proj_size' \(did you mean 'projSize'\?\)/);
    expect(() => new nn.LSTM(3, 4, 2 as never)).toThrow(/expected an options object/);
    const m = new nn.LSTM(3, 4, { projSize: 2 });
    const x = randn([2, 1, 3]);
    expect(() => m.forward(x, [randn([1, 1, 4]), randn([1, 1, 4])])).toThrow(/expected state 0 of shape \[1,1,2\], got \[1,1,4\]/);
    expect(() => m.forward(x, [randn([1, 1, 2]), randn([1, 1, 2])])).toThrow(/expected state 1 of shape \[1,1,4\], got \[1,1,2\]/);
    expect(new nn.LSTM(3, 4).projSize).toBe(0);
  });

  it.each([false, true])('the fused recurrence equals its composed-op form (reverse %s): values, gradients, second order', (rev) => {
    manualSeed(34);
    const [L, N, H, P] = [5, 2, 3, 2];
    const req = { dtype: 'float64' as const, requiresGrad: true };
    const inputs = [randn([L, N, 4 * H], req), randn([4 * H, P], req), randn([P, H], req), randn([N, P], req), randn([N, H], req)];
    const [xp, whh, whr, h0, c0] = inputs;
    const fused = () => LSTMProjectedSequence.apply(xp, whh, whr, h0, c0, rev);
    const yf = fused();
    const yc = lstmProjectedComposed(xp, whh, whr, h0, c0, rev);
    expect(yf.shape).toEqual([L, N, P + H]);
    expectClose(yf.toArray(), yc.toArray(), 1e-12);
    const g = randn([L, N, P + H], f64);
    const gf = grad(yf, inputs, { gradOutputs: g });
    const gc = grad(yc, inputs, { gradOutputs: g });
    gf.forEach((t, i) => expectClose(t!.toArray(), gc[i]!.toArray(), 1e-12));
    expect(gradcheck(() => fused(), inputs)).toBe(true);
    // gradients of gradients: under createGraph the fused op differentiates its composed form
    expect(gradcheck(() => enableGrad(() => grad(fused().pow(2).sum(), [whr], { createGraph: true })[0] as Tensor), [xp, whr])).toBe(true);
  });

  it('backpropagates through 1,000 steps', () => {
    manualSeed(35);
    const m = new nn.LSTM(2, 4, { projSize: 2 });
    const x = randn([1000, 1, 2]);
    const [out] = m.forward(x);
    out.sum().backward();
    expect(Number.isFinite(m.parameters()[0].grad!.sum().item())).toBe(true);
  });
});
