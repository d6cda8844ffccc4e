/**
 * RNN, LSTM and GRU against an independent float64 reference written from PyTorch's documented
 * equations with plain loops: random PyTorch-named weights (through safetensors) go in with
 * loadStateDict, and outputs and final states must agree, for every option.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randn, type Module, type Tensor } from '../../src/index.js';
import { affine, expectClose, loadRandomStateDict, mat, sigmoid, toFloat64, vec } from './sequence-helpers.js';

type Mode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

interface RefOptions {
  numLayers: number;
  bidirectional: boolean;
  bias: boolean;
}

/** One step of cell `mode` from the documented equations: returns [h', c']. */
function refStep(mode: Mode, p: (n: string) => number[][] | number[], sfx: string, x: number[], h: number[], c: number[], bias: boolean): [number[], number[]] {
  const H = h.length;
  const gi = affine(p(`weight_ih${sfx}`) as number[][], x, bias ? (p(`bias_ih${sfx}`) as number[]) : undefined);
  const gh = affine(p(`weight_hh${sfx}`) as number[][], h, bias ? (p(`bias_hh${sfx}`) as number[]) : undefined);
  const at = (v: number[], block: number, j: number) => v[block * H + j];
  if (mode === 'RNN_TANH' || mode === 'RNN_RELU') {
    return [h.map((_, j) => (mode === 'RNN_TANH' ? Math.tanh(gi[j] + gh[j]) : Math.max(0, gi[j] + gh[j]))), c];
  }
  if (mode === 'LSTM') {
    const cNew = h.map((_, j) => {
      const i = sigmoid(at(gi, 0, j) + at(gh, 0, j));
      const f = sigmoid(at(gi, 1, j) + at(gh, 1, j));
      const g = Math.tanh(at(gi, 2, j) + at(gh, 2, j));
      return f * c[j] + i * g;
    });
    return [h.map((_, j) => sigmoid(at(gi, 3, j) + at(gh, 3, j)) * Math.tanh(cNew[j])), cNew];
  }
  return [
    h.map((hj, j) => {
      const r = sigmoid(at(gi, 0, j) + at(gh, 0, j));
      const z = sigmoid(at(gi, 1, j) + at(gh, 1, j));
      const n = Math.tanh(at(gi, 2, j) + r * at(gh, 2, j));
      return (1 - z) * n + z * hj;
    }),
    c,
  ];
}

/** The whole network on x [L][N][I] from states h0/c0 [layers·D][N][H]: output [L][N][D·H], hN, cN. */
function refNetwork(mode: Mode, p: (n: string) => number[][] | number[], o: RefOptions, x: number[][][], h0: number[][][], c0: number[][][]) {
  const L = x.length;
  const N = x[0].length;
  const D = o.bidirectional ? 2 : 1;
  let input = x;
  const hN: number[][][] = [];
  const cN: number[][][] = [];
  for (let layer = 0; layer < o.numLayers; layer++) {
    const out: number[][][] = Array.from({ length: L }, () => Array.from({ length: N }, () => [] as number[]));
    for (let dir = 0; dir < D; dir++) {
      const sfx = `_l${layer}${dir === 1 ? '_reverse' : ''}`;
      const idx = layer * D + dir;
      hN[idx] = [];
      cN[idx] = [];
      for (let n = 0; n < N; n++) {
        let h = h0[idx][n];
        let c = c0[idx][n];
        for (let s = 0; s < L; s++) {
          const t = dir === 1 ? L - 1 - s : s;
          [h, c] = refStep(mode, p, sfx, input[t][n], h, c, o.bias);
          out[t][n].push(...h);
        }
        hN[idx][n] = h;
        cN[idx][n] = c;
      }
    }
    input = out;
  }
  return { out: input, hN, cN };
}

function build(mode: Mode, I: number, H: number, o: RefOptions & { batchFirst: boolean }): nn.RNN | nn.LSTM | nn.GRU {
  const common = { numLayers: o.numLayers, bidirectional: o.bidirectional, bias: o.bias, batchFirst: o.batchFirst };
  if (mode === 'LSTM') return new nn.LSTM(I, H, common);
  if (mode === 'GRU') return new nn.GRU(I, H, common);
  return new nn.RNN(I, H, { ...common, nonlinearity: mode === 'RNN_TANH' ? 'tanh' : 'relu' });
}

function paramsOf(sd: Record<string, Tensor>) {
  return (name: string) => {
    const t = sd[name];
    if (t === undefined) throw new Error(`no ${name}`);
    return t.ndim === 2 ? mat(t) : vec(t);
  };
}

const cases: { mode: Mode; numLayers: number; bidirectional: boolean; bias: boolean; batchFirst: boolean; withState: boolean }[] = [];
for (const mode of ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'] as const) {
  cases.push({ mode, numLayers: 1, bidirectional: false, bias: true, batchFirst: false, withState: false });
  cases.push({ mode, numLayers: 2, bidirectional: true, bias: true, batchFirst: true, withState: true });
  cases.push({ mode, numLayers: 2, bidirectional: false, bias: false, batchFirst: false, withState: true });
}

describe('recurrent layers match the documented equations (float64 reference)', () => {
  it.each(cases)('$mode layers=$numLayers bidirectional=$bidirectional bias=$bias batchFirst=$batchFirst h0=$withState', (c) => {
    manualSeed(11);
    const [I, H, L, N] = [3, 4, 5, 2];
    const D = c.bidirectional ? 2 : 1;
    const m = toFloat64(build(c.mode, I, H, c));
    const sd = loadRandomStateDict(m as Module);
    const x = randn([L, N, I], { dtype: 'float64' });
    const h0 = c.withState ? randn([c.numLayers * D, N, H], { dtype: 'float64' }) : null;
    const c0 = c.withState ? randn([c.numLayers * D, N, H], { dtype: 'float64' }) : null;
    const zeros = Array.from({ length: c.numLayers * D }, () => Array.from({ length: N }, () => new Array<number>(H).fill(0)));
    const ref = refNetwork(c.mode, paramsOf(sd), c, x.toArray() as number[][][], h0 ? (h0.toArray() as number[][][]) : zeros, c0 ? (c0.toArray() as number[][][]) : zeros);
    const input = c.batchFirst ? x.transpose(0, 1) : x;
    let out: Tensor;
    let hN: Tensor;
    let cN: Tensor | null = null;
    if (m instanceof nn.LSTM) {
      const [o, [h, cc]] = m.forward(input, h0 && c0 ? [h0, c0] : undefined);
      [out, hN, cN] = [o, h, cc];
    } else {
      [out, hN] = m.forward(input, h0 ?? undefined);
    }
    expect(out.shape).toEqual(c.batchFirst ? [N, L, D * H] : [L, N, D * H]);
    expect(hN.shape).toEqual([c.numLayers * D, N, H]);
    expectClose((c.batchFirst ? out.transpose(0, 1) : out).toArray(), ref.out);
    expectClose(hN.toArray(), ref.hN);
    if (cN) expectClose(cN.toArray(), ref.cN);
  });

  it('unbatched input [L, H_in] gives the batch-of-one result without the batch dim', () => {
    manualSeed(12);
    for (const m of [new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true }), new nn.GRU(3, 4), new nn.RNN(3, 4)]) {
      toFloat64(m);
      const x = randn([6, 3], { dtype: 'float64' });
      const h0 = randn([m.numLayers * m.numDirections, 4], { dtype: 'float64' });
      const c0 = randn([m.numLayers * m.numDirections, 4], { dtype: 'float64' });
      if (m instanceof nn.LSTM) {
        const [o, [h, c]] = m.forward(x, [h0, c0]);
        const [ob, [hb, cb]] = m.forward(x.unsqueeze(1), [h0.unsqueeze(1), c0.unsqueeze(1)]);
        expect(o.shape).toEqual([6, 8]);
        expectClose(o.toArray(), ob.squeeze(1).toArray());
        expectClose(h.toArray(), hb.squeeze(1).toArray());
        expectClose(c.toArray(), cb.squeeze(1).toArray());
      } else {
        const [o, h] = m.forward(x, h0);
        const [ob, hb] = m.forward(x.unsqueeze(1), h0.unsqueeze(1));
        expect(h.shape).toEqual([1, 4]);
        expectClose(o.toArray(), ob.squeeze(1).toArray());
        expectClose(h.toArray(), hb.squeeze(1).toArray());
      }
    }
  });
});

describe('cells match the documented equations (float64 reference)', () => {
  it.each(['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'] as const)('%s cell', (mode) => {
    manualSeed(13);
    const [I, H, N] = [3, 5, 4];
    const cell =
      mode === 'LSTM' ? new nn.LSTMCell(I, H) : mode === 'GRU' ? new nn.GRUCell(I, H) : new nn.RNNCell(I, H, { nonlinearity: mode === 'RNN_TANH' ? 'tanh' : 'relu' });
    toFloat64(cell);
    const sd = loadRandomStateDict(cell);
    const x = randn([N, I], { dtype: 'float64' });
    const h = randn([N, H], { dtype: 'float64' });
    const c = randn([N, H], { dtype: 'float64' });
    const xs = mat(x);
    const hs = mat(h);
    const cs = mat(c);
    const ref = xs.map((xn, n) => refStep(mode, paramsOf(sd), '', xn, hs[n], cs[n], true));
    if (cell instanceof nn.LSTMCell) {
      const [h1, c1] = cell.forward(x, [h, c]);
      expectClose(h1.toArray(), ref.map((r) => r[0]));
      expectClose(c1.toArray(), ref.map((r) => r[1]));
      const [hu] = cell.forward(x.narrow(0, 1, 1).squeeze(0), [h.narrow(0, 1, 1).squeeze(0), c.narrow(0, 1, 1).squeeze(0)]);
      expectClose(hu.toArray(), ref[1][0]);
    } else {
      expectClose(cell.forward(x, h).toArray(), ref.map((r) => r[0]));
      const zero = xs.map((xn) => refStep(mode, paramsOf(sd), '', xn, new Array<number>(H).fill(0), new Array<number>(H).fill(0), true)[0]);
      expectClose(cell.forward(x).toArray(), zero);
    }
  });
});
