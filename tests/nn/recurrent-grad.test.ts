/**
 * RNN, LSTM, GRU and cells: gradcheck on tiny float64 instances for every option, the fused
 * recurrences against their composed-op forms (values, gradients, second order), long BPTT,
 * PyTorch's state-dict names and shapes, init bounds, and errors for bad input.
 */
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, cat, enableGrad, grad, gradcheck, manualSeed, nn, randn, type Tensor } from '../../src/index.js';
import { GRUSequence, gruSequenceComposed } from '../../src/nn/recurrent/gru-sequence.js';
import { LSTMSequence, lstmSequenceComposed } from '../../src/nn/recurrent/lstm-sequence.js';
import { RNNSequence, rnnSequenceComposed } from '../../src/nn/recurrent/rnn-sequence.js';
import { expectClose, keyShapes, toFloat64 } from './sequence-helpers.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

/** Every output of a recurrent module, flattened into one tensor (what gradcheck differentiates). */
function allOutputs(m: nn.RNN | nn.LSTM | nn.GRU, x: Tensor, h0?: Tensor, c0?: Tensor): Tensor {
  if (m instanceof nn.LSTM) {
    const [o, [h, c]] = m.forward(x, h0 && c0 ? [h0, c0] : undefined);
    return cat([o.flatten(), h.flatten(), c.flatten()]);
  }
  const [o, h] = m.forward(x, h0);
  return cat([o.flatten(), h.flatten()]);
}

describe('gradcheck on tiny float64 layers', () => {
  const layers = [
    ['RNN tanh', () => new nn.RNN(2, 3)],
    ['RNN relu, 2 layers, bidirectional', () => new nn.RNN(2, 3, { nonlinearity: 'relu', numLayers: 2, bidirectional: true })],
    ['LSTM', () => new nn.LSTM(2, 3)],
    ['LSTM 2 layers bidirectional batchFirst', () => new nn.LSTM(2, 3, { numLayers: 2, bidirectional: true, batchFirst: true })],
    ['LSTM no bias', () => new nn.LSTM(2, 3, { bias: false })],
    ['GRU', () => new nn.GRU(2, 3)],
    ['GRU 2 layers bidirectional batchFirst', () => new nn.GRU(2, 3, { numLayers: 2, bidirectional: true, batchFirst: true })],
    ['GRU no bias', () => new nn.GRU(2, 3, { bias: false })],
  ] as const;
  it.each(layers)('%s: input, states and every parameter', (_, make) => {
    manualSeed(21);
    const m = toFloat64(make());
    const D = m.numDirections;
    const x = randn(m.batchFirst ? [2, 3, 2] : [3, 2, 2], f64); // L 3, N 2, features 2
    const h0 = randn([m.numLayers * D, 2, 3], f64);
    const c0 = randn([m.numLayers * D, 2, 3], f64);
    const inputs = [x, h0, ...(m instanceof nn.LSTM ? [c0] : []), ...m.parameters()];
    expect(gradcheck(() => allOutputs(m, x, h0, m instanceof nn.LSTM ? c0 : undefined), inputs)).toBe(true);
  });

  it('with dropout between layers (a fixed mask per evaluation) the gradients still check', () => {
    const m = toFloat64(new nn.LSTM(2, 3, { numLayers: 2, dropout: 0.5 }));
    const x = randn([3, 2, 2], f64);
    // Reseeding before each evaluation gives gradcheck the same dropout mask every time.
    expect(gradcheck(() => { manualSeed(5); return allOutputs(m, x); }, [x, ...m.parameters()])).toBe(true);
  });

  it.each([
    ['RNNCell', () => new nn.RNNCell(2, 3)],
    ['RNNCell relu', () => new nn.RNNCell(2, 3, { nonlinearity: 'relu' })],
    ['GRUCell', () => new nn.GRUCell(2, 3)],
    ['GRUCell no bias', () => new nn.GRUCell(2, 3, { bias: false })],
  ] as const)('%s', (_, make) => {
    manualSeed(22);
    const cell = toFloat64(make());
    const x = randn([2, 2], f64);
    const h = randn([2, 3], f64);
    expect(gradcheck(() => cell.forward(x, h), [x, h, ...cell.parameters()])).toBe(true);
  });

  it('LSTMCell', () => {
    manualSeed(23);
    const cell = toFloat64(new nn.LSTMCell(2, 3));
    const x = randn([2, 2], f64);
    const h = randn([2, 3], f64);
    const c = randn([2, 3], f64);
    expect(gradcheck(() => cat(cell.forward(x, [h, c]), 1), [x, h, c, ...cell.parameters()])).toBe(true);
  });
});

describe('fused recurrences equal their composed-op forms', () => {
  const L = 5;
  const N = 2;
  const H = 3;
  const cases: [string, (rev: boolean) => { fused: () => Tensor; composed: () => Tensor; inputs: Tensor[] }][] = [
    ['LSTM', (rev) => {
      const [xp, w, h0, c0] = [randn([L, N, 4 * H], f64), randn([4 * H, H], f64), randn([N, H], f64), randn([N, H], f64)];
      return { fused: () => LSTMSequence.apply(xp, w, h0, c0, rev), composed: () => lstmSequenceComposed(xp, w, h0, c0, rev), inputs: [xp, w, h0, c0] };
    }],
    ['GRU', (rev) => {
      const [xp, w, b, h0] = [randn([L, N, 3 * H], f64), randn([3 * H, H], f64), randn([3 * H], f64), randn([N, H], f64)];
      return { fused: () => GRUSequence.apply(xp, w, b, h0, rev), composed: () => gruSequenceComposed(xp, w, b, h0, rev), inputs: [xp, w, b, h0] };
    }],
    ['RNN tanh', (rev) => {
      const [xp, w, h0] = [randn([L, N, H], f64), randn([H, H], f64), randn([N, H], f64)];
      return { fused: () => RNNSequence.apply(xp, w, h0, 'tanh', rev), composed: () => rnnSequenceComposed(xp, w, h0, 'tanh', rev), inputs: [xp, w, h0] };
    }],
    ['RNN relu', (rev) => {
      const [xp, w, h0] = [randn([L, N, H], f64), randn([H, H], f64), randn([N, H], f64)];
      return { fused: () => RNNSequence.apply(xp, w, h0, 'relu', rev), composed: () => rnnSequenceComposed(xp, w, h0, 'relu', rev), inputs: [xp, w, h0] };
    }],
  ];
  it.each(cases.flatMap(([name, make]) => [[`${name} forward`, make, false], [`${name} reverse`, make, true]] as const))('%s', (_, make, rev) => {
    manualSeed(24);
    const { fused, composed, inputs } = make(rev);
    const yf = fused();
    const yc = composed();
    expectClose(yf.toArray(), yc.toArray(), 1e-12);
    const g = randn([...yf.shape], { dtype: 'float64' });
    const gf = grad(yf, inputs, { gradOutputs: g });
    const gc = grad(yc, inputs, { gradOutputs: g });
    gf.forEach((t, i) => expectClose(t?.toArray() ?? [], gc[i]?.toArray() ?? [], 1e-12));
    // Gradients of gradients: under createGraph the fused op differentiates its composed form.
    const second = inputs.slice(0, 2);
    expect(gradcheck((...xs) => enableGrad(() => {
      void xs;
      const [gw] = grad(fused().pow(2).sum(), [second[1]], { createGraph: true });
      return gw as Tensor;
    }), second)).toBe(true);
  });
});

describe('long sequences', () => {
  it('backpropagates through 1,000 LSTM and GRU steps without overflowing the stack', () => {
    manualSeed(25);
    for (const m of [new nn.LSTM(4, 8, { numLayers: 2 }), new nn.GRU(4, 8, { bidirectional: true })]) {
      const x = randn([1000, 2, 4], { requiresGrad: true });
      const [out] = m.forward(x);
      out.sum().backward();
      const gx = x.grad as Tensor;
      expect(Number.isFinite(gx.abs().sum().item())).toBe(true);
      // The gradient reaches the first step (the input to step 0 affects every later output).
      expect(gx.narrow(0, 0, 1).abs().sum().item()).toBeGreaterThan(0);
      for (const p of m.parameters()) expect(p.grad).not.toBeNull();
    }
  });
});

describe('state dicts, init and errors', () => {
  it('parameter names and shapes equal PyTorch\'s', () => {
    expect(keyShapes(new nn.LSTM(10, 20, { numLayers: 2, bidirectional: true }))).toEqual([
      ['weight_ih_l0', [80, 10]], ['weight_hh_l0', [80, 20]], ['bias_ih_l0', [80]], ['bias_hh_l0', [80]],
      ['weight_ih_l0_reverse', [80, 10]], ['weight_hh_l0_reverse', [80, 20]], ['bias_ih_l0_reverse', [80]], ['bias_hh_l0_reverse', [80]],
      ['weight_ih_l1', [80, 40]], ['weight_hh_l1', [80, 20]], ['bias_ih_l1', [80]], ['bias_hh_l1', [80]],
      ['weight_ih_l1_reverse', [80, 40]], ['weight_hh_l1_reverse', [80, 20]], ['bias_ih_l1_reverse', [80]], ['bias_hh_l1_reverse', [80]],
    ]);
    expect(keyShapes(new nn.GRU(10, 20, { numLayers: 2, bias: false }))).toEqual([
      ['weight_ih_l0', [60, 10]], ['weight_hh_l0', [60, 20]], ['weight_ih_l1', [60, 20]], ['weight_hh_l1', [60, 20]],
    ]);
    expect(keyShapes(new nn.RNN(10, 20))).toEqual([['weight_ih_l0', [20, 10]], ['weight_hh_l0', [20, 20]], ['bias_ih_l0', [20]], ['bias_hh_l0', [20]]]);
    expect(keyShapes(new nn.LSTMCell(10, 20))).toEqual([['weight_ih', [80, 10]], ['weight_hh', [80, 20]], ['bias_ih', [80]], ['bias_hh', [80]]]);
    expect(keyShapes(new nn.GRUCell(10, 20, { bias: false }))).toEqual([['weight_ih', [60, 10]], ['weight_hh', [60, 20]]]);
    expect(keyShapes(new nn.RNNCell(10, 20))).toEqual([['weight_ih', [20, 10]], ['weight_hh', [20, 20]], ['bias_ih', [20]], ['bias_hh', [20]]]);
  });

  it('initialises every weight and bias from U(−1/√H, 1/√H), and the same seed gives the same weights', () => {
    manualSeed(26);
    const m = new nn.LSTM(30, 25, { numLayers: 2 });
    const bound = 1 / Math.sqrt(25);
    for (const p of m.parameters()) {
      expect(p.max().item()).toBeLessThanOrEqual(bound);
      expect(p.min().item()).toBeGreaterThanOrEqual(-bound);
      expect(p.max().item()).toBeGreaterThan(0.8 * bound);
      expect(Math.abs(p.mean().item())).toBeLessThan(0.1 * bound);
    }
    manualSeed(26);
    expectClose(new nn.LSTM(30, 25, { numLayers: 2 }).parameters()[3].toArray(), m.parameters()[3].toArray(), 0);
  });

  it('dropout between layers acts in training only', () => {
    manualSeed(27);
    const m = new nn.GRU(3, 4, { numLayers: 2, dropout: 0.5 });
    const x = randn([4, 2, 3]);
    const a = m.forward(x)[0];
    const b = m.forward(x)[0];
    expect(a.sub(b).abs().max().item()).toBeGreaterThan(0);
    m.eval();
    expectClose(m.forward(x)[0].toArray(), m.forward(x)[0].toArray(), 0);
  });

  it('throws specific errors for bad input', () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm.forward(randn([5, 2, 7]))).toThrow(ShapeError);
    expect(() => lstm.forward(randn([5, 2, 7]))).toThrow(/inputSize: expected 3, got 7/);
    expect(() => lstm.forward(randn([2, 5, 2, 3]))).toThrow(/2-d or 3-d/);
    expect(() => lstm.forward(randn([5, 2, 3]), [randn([1, 2, 4]), randn([2, 2, 4])])).toThrow(/expected state 0 of shape \[2,2,4\], got \[1,2,4\]/);
    expect(() => lstm.forward(randn([5, 2, 3], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => new nn.GRU(3, 4).forward(randn([5, 3]), randn([1, 2, 4]))).toThrow(/expected state 0 of shape \[1,4\]/);
    expect(() => new nn.RNN(3, 0)).toThrow(ShapeError);
    expect(() => new nn.RNN(3, 4, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow(/unknown nonlinearity 'sigmoid'/);
    expect(() => new nn.LSTM(3, 4, { dropout: 1.5 })).toThrow(ShapeError);
    expect(() => new nn.LSTMCell(3, 4).forward(randn([2, 5]))).toThrow(/got 5, expected 3/);
    expect(() => new nn.GRUCell(3, 4).forward(randn([2, 3]), randn([3, 4]))).toThrow(/expected state 0 of shape \[2,4\]/);
  });

  it('prints like PyTorch', () => {
    expect(new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true }).toString()).toBe('LSTM(3, 4, numLayers=2, bidirectional=true)');
    expect(new nn.GRUCell(3, 4, { bias: false }).toString()).toBe('GRUCell(3, 4, bias=false)');
  });
});
