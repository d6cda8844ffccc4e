import { beforeEach, describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, Tensor, grad, gradcheck, manualSeed, nn, rand, randint, randn, tensor } from '../../src/index.js';

const F = nn.functional;
type Red = 'mean' | 'sum' | 'none';
const reductions: Red[] = ['mean', 'sum', 'none'];

beforeEach(() => manualSeed(29));

/** Applies a reduction to plain per-element losses (with an optional weighted-mean normaliser). */
function reduceNaive(values: number[], reduction: Red, normaliser = values.length): number | number[] {
  if (reduction === 'none') return values;
  const s = values.reduce((a, b) => a + b, 0);
  return reduction === 'sum' ? s : s / normaliser;
}

function expectClose(actual: Tensor, expected: number | number[], tol = 1e-12): void {
  const a = [...actual.data()];
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(Math.abs(v - e[i])).toBeLessThan(tol * Math.max(1, Math.abs(e[i]))));
}

const logSoftmaxRow = (r: number[]) => {
  const m = Math.max(...r);
  const z = Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
  return r.map((v) => v - z);
};

describe('regression losses', () => {
  const x = () => randn([3, 4], { dtype: 'float64' }).mul(2);
  const cases: [string, (i: Tensor, t: Tensor, r: Red) => Tensor, (d: number) => number][] = [
    ['MSELoss', (i, t, r) => new nn.MSELoss({ reduction: r }).forward(i, t), (d) => d * d],
    ['L1Loss', (i, t, r) => new nn.L1Loss({ reduction: r }).forward(i, t), Math.abs],
    ['HuberLoss', (i, t, r) => new nn.HuberLoss({ reduction: r, delta: 0.7 }).forward(i, t), (d) => (Math.abs(d) < 0.7 ? 0.5 * d * d : 0.7 * (Math.abs(d) - 0.35))],
  ];
  for (const [name, loss, f] of cases) {
    it(`${name} matches the naive formula for every reduction and passes gradcheck`, () => {
      const input = x(), target = x();
      const d = [...input.data()].map((v, i) => v - target.data()[i]);
      for (const r of reductions) expectClose(loss(input, target, r), reduceNaive(d.map(f), r));
      expect(loss(input, target, 'none').shape).toEqual([3, 4]);
      const ig = input.clone().requiresGrad_();
      expect(gradcheck((a) => loss(a, target, 'mean'), [ig])).toBe(true);
    });
  }
  it('rejects mismatched shapes naming the loss', () => {
    expect(() => new nn.MSELoss().forward(randn([4, 1]), randn([4]))).toThrow('MSELoss: input shape [4,1] and target shape [4] differ');
  });
});

/** Naive cross-entropy for logits rows [M][C] and labels (index targets). */
function naiveCrossEntropy(rows: number[][], labels: number[], opts: { weight?: number[]; ignoreIndex?: number; eps?: number }, reduction: Red): number | number[] {
  const C = rows[0].length, eps = opts.eps ?? 0, ignore = opts.ignoreIndex ?? -100;
  const w = opts.weight ?? new Array<number>(C).fill(1);
  const losses: number[] = [];
  let norm = 0;
  rows.forEach((r, n) => {
    const y = labels[n];
    if (y === ignore) {
      losses.push(0);
      return;
    }
    const lp = logSoftmaxRow(r);
    const nll = -w[y] * lp[y];
    const smooth = -lp.reduce((s, v, c) => s + w[c] * v, 0);
    losses.push((1 - eps) * nll + (eps / C) * smooth);
    norm += w[y];
  });
  return reduceNaive(losses, reduction, norm);
}

describe('CrossEntropyLoss and NLLLoss', () => {
  const logits = () => randn([6, 4], { dtype: 'float64' }).mul(3);
  const labels = [0, 3, 2, -100, 1, 3];
  const target = () => tensor(labels, { dtype: 'int32' });

  it('matches the naive reference: plain, weighted, ignoreIndex and label smoothing, every reduction', () => {
    const x = logits();
    const rows = x.toArray() as number[][];
    const weight = [0.5, 2, 1, 1.5];
    const variants: { weight?: number[]; ignoreIndex?: number; eps?: number }[] = [{}, { weight }, { ignoreIndex: 3 }, { eps: 0.2 }, { eps: 0.1, weight, ignoreIndex: 2 }];
    for (const v of variants) {
      for (const r of reductions) {
        const lossFn = new nn.CrossEntropyLoss({ reduction: r, labelSmoothing: v.eps, ignoreIndex: v.ignoreIndex, weight: v.weight ? tensor(v.weight, { dtype: 'float64' }) : null });
        const lab = labels.map((y) => (y === -100 && v.ignoreIndex !== undefined ? 1 : y));
        expectClose(lossFn.forward(x, tensor(lab, { dtype: 'int32' })), naiveCrossEntropy(rows, lab, v, r));
      }
    }
  });

  it('NLLLoss of logSoftmax equals CrossEntropyLoss, and gradcheck passes', () => {
    const x = logits();
    const w = tensor([1, 2, 3, 4], { dtype: 'float64' });
    for (const r of reductions) {
      const a = new nn.NLLLoss({ reduction: r, weight: w }).forward(x.logSoftmax(1), target());
      const b = new nn.CrossEntropyLoss({ reduction: r, weight: w }).forward(x, target());
      expectClose(a, [...b.data()]);
    }
    const xg = x.clone().requiresGrad_();
    expect(gradcheck((a) => F.crossEntropy(a, target(), { labelSmoothing: 0.1, weight: w }), [xg])).toBe(true);
    expect(gradcheck((a) => F.nllLoss(a, target(), { reduction: 'sum' }), [xg])).toBe(true);
  });

  it('handles (N, C, d1, d2) inputs like the flattened (N·d1·d2, C) case', () => {
    const x = randn([2, 3, 2, 2], { dtype: 'float64' });
    const t = randint(0, 3, [2, 2, 2], { dtype: 'int32' });
    const rows = x.permute(0, 2, 3, 1).reshape([-1, 3]);
    const flat = t.reshape([-1]);
    for (const r of ['mean', 'sum'] as const) {
      expectClose(F.crossEntropy(x, t, { reduction: r, labelSmoothing: 0.3 }), [...F.crossEntropy(rows, flat, { reduction: r, labelSmoothing: 0.3 }).data()]);
    }
    const none = F.crossEntropy(x, t, { reduction: 'none' });
    expect(none.shape).toEqual([2, 2, 2]);
    expectClose(none.reshape([-1]), [...F.crossEntropy(rows, flat, { reduction: 'none' }).data()]);
    const unbatched = F.crossEntropy(x.permute(0, 2, 3, 1).reshape([-1, 3]).narrow(0, 0, 1).squeeze(0), tensor(t.reshape([-1]).toArray() as number[], { dtype: 'int32' }).narrow(0, 0, 1).squeeze(0));
    expect(unbatched.shape).toEqual([]);
  });

  it('accepts probability targets (with smoothing and weights)', () => {
    const x = logits();
    const p = rand([6, 4], { dtype: 'float64' });
    const probs = p.div(p.sum(1, true));
    const rows = x.toArray() as number[][];
    const pr = probs.toArray() as number[][];
    const w = [1, 0.5, 2, 1];
    for (const r of reductions) {
      const eps = 0.2;
      const losses = rows.map((row, n) => {
        const lp = logSoftmaxRow(row);
        return -lp.reduce((s, v, c) => s + w[c] * ((1 - eps) * pr[n][c] + eps / 4) * v, 0);
      });
      expectClose(F.crossEntropy(x, probs, { reduction: r, labelSmoothing: eps, weight: tensor(w, { dtype: 'float64' }) }), reduceNaive(losses, r));
    }
    // A one-hot probability target equals the class-index target.
    const onehot = F.oneHot(tensor([0, 3, 2, 1, 1, 3], { dtype: 'int32' }), 4).double();
    expectClose(F.crossEntropy(x, onehot), F.crossEntropy(x, tensor([0, 3, 2, 1, 1, 3], { dtype: 'int32' })).item());
    const xg = x.clone().requiresGrad_();
    expect(gradcheck((a) => F.crossEntropy(a, probs, { labelSmoothing: 0.1 }), [xg])).toBe(true);
  });

  it('rejects out-of-range labels, wrong target shapes and dtypes, naming the loss', () => {
    const ce = new nn.CrossEntropyLoss();
    const x = randn([2, 5]);
    expect(() => ce.forward(x, tensor([1, 7], { dtype: 'int32' }))).toThrow(ShapeError);
    expect(() => ce.forward(x, tensor([1, 7], { dtype: 'int32' }))).toThrow('CrossEntropyLoss: label 7 is out of range for 5 classes');
    expect(() => new nn.NLLLoss().forward(x, tensor([-1, 0], { dtype: 'int32' }))).toThrow('NLLLoss: label -1 is out of range for 5 classes');
    expect(() => ce.forward(x, tensor([1, 2, 3], { dtype: 'int32' }))).toThrow('CrossEntropyLoss: expected target of shape [2] for input of shape [2,5], got [3]');
    expect(() => ce.forward(x, tensor([[0.5, 0.5]]))).toThrow(/probability targets must have the input's shape/);
    expect(() => new nn.NLLLoss().forward(x, tensor([1, 2]))).toThrow(DTypeError);
  });

  it('keeps huge logits finite', () => {
    const x = tensor([[1000, -1000, 0], [-1000, 1000, 999]], { dtype: 'float64' }).requiresGrad_();
    const loss = F.crossEntropy(x, tensor([0, 2], { dtype: 'int32' }));
    expect(loss.item()).toBeCloseTo((0 + Math.log(1 + Math.exp(1))) / 2, 10);
    const [g] = grad(loss, [x]);
    expect([...g!.data()].every(Number.isFinite)).toBe(true);
  });
});

describe('BCELoss and BCEWithLogitsLoss', () => {
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  it('match the naive formula for every reduction, with weight and posWeight', () => {
    const z = randn([3, 4], { dtype: 'float64' }).mul(2);
    const t = rand([3, 4], { dtype: 'float64' });
    const w = rand([4], { dtype: 'float64' });
    const pw = tensor([0.5, 1, 2, 3], { dtype: 'float64' });
    const zs = [...z.data()], ts = [...t.data()], ws = [...w.data()], pws = [...pw.data()];
    const bce = zs.map((v, i) => -ws[i % 4] * (ts[i] * Math.log(sigmoid(v)) + (1 - ts[i]) * Math.log(1 - sigmoid(v))));
    const withPos = zs.map((v, i) => -ws[i % 4] * (pws[i % 4] * ts[i] * Math.log(sigmoid(v)) + (1 - ts[i]) * Math.log(1 - sigmoid(v))));
    for (const r of reductions) {
      expectClose(new nn.BCELoss({ reduction: r, weight: w }).forward(z.sigmoid(), t), reduceNaive(bce, r), 1e-10);
      expectClose(new nn.BCEWithLogitsLoss({ reduction: r, weight: w }).forward(z, t), reduceNaive(bce, r), 1e-10);
      expectClose(new nn.BCEWithLogitsLoss({ reduction: r, weight: w, posWeight: pw }).forward(z, t), reduceNaive(withPos, r), 1e-10);
    }
  });

  it('pass gradcheck (input and target)', () => {
    const z = randn([2, 3], { dtype: 'float64' }).requiresGrad_();
    const t = rand([2, 3], { dtype: 'float64' }).requiresGrad_();
    const p = rand([2, 3], { dtype: 'float64' }).mul(0.8).add(0.1).requiresGrad_();
    expect(gradcheck((a, b) => F.binaryCrossEntropyWithLogits(a, b, { posWeight: tensor([1, 2, 0.5], { dtype: 'float64' }) }), [z, t])).toBe(true);
    expect(gradcheck((a, b) => F.binaryCrossEntropy(a, b, { reduction: 'sum' }), [p, t])).toBe(true);
  });

  it('stay finite at ±1000 logits and at probabilities 0 and 1', () => {
    const z = tensor([1000, -1000, 1000, -1000], { dtype: 'float64' }).requiresGrad_();
    const t = tensor([1, 0, 0, 1], { dtype: 'float64' });
    const loss = F.binaryCrossEntropyWithLogits(z, t, { reduction: 'none' });
    expect(loss.toArray()).toEqual([0, 0, 1000, 1000]);
    const [g] = grad(loss.sum(), [z]);
    expect(g!.toArray()).toEqual([0, 0, 1, -1]);
    const pw = F.binaryCrossEntropyWithLogits(z, t, { posWeight: tensor([2], { dtype: 'float64' }), reduction: 'none' });
    expect(pw.toArray()).toEqual([0, 0, 1000, 2000]);
    const p = tensor([0, 1, 0.5], { dtype: 'float64' }).requiresGrad_();
    const b = F.binaryCrossEntropy(p, tensor([1, 0, 1], { dtype: 'float64' }), { reduction: 'none' });
    expectClose(b, [100, 100, Math.LN2]);
    const [gp] = grad(b.sum(), [p]);
    expect([...gp!.data()].every(Number.isFinite)).toBe(true);
    expect(() => F.binaryCrossEntropy(tensor([1.5]), tensor([1]))).toThrow(/between 0 and 1/);
  });
});

describe('KLDivLoss', () => {
  it('matches p·(log p − log q) for every reduction, batchmean and logTarget; 0·log 0 = 0', () => {
    const q = randn([3, 4], { dtype: 'float64' }).logSoftmax(1);
    const praw = rand([3, 4], { dtype: 'float64' });
    const p = praw.div(praw.sum(1, true)).mul(tensor([[1, 0, 1, 1]], { dtype: 'float64' }));
    const qs = [...q.data()], ps = [...p.data()];
    const pointwise = ps.map((v, i) => (v > 0 ? v * (Math.log(v) - qs[i]) : 0));
    for (const r of reductions) {
      expectClose(new nn.KLDivLoss({ reduction: r }).forward(q, p), reduceNaive(pointwise, r));
      expectClose(new nn.KLDivLoss({ reduction: r, logTarget: true }).forward(q, p.add(1e-3).log()), reduceNaive(ps.map((v, i) => (v + 1e-3) * (Math.log(v + 1e-3) - qs[i])), r));
    }
    expectClose(new nn.KLDivLoss({ reduction: 'batchmean' }).forward(q, p), pointwise.reduce((a, b) => a + b, 0) / 3);
    const qg = q.clone().requiresGrad_();
    const pg = p.clone().requiresGrad_();
    const [gq, gp] = grad(F.klDiv(qg, pg, { reduction: 'sum' }), [qg, pg]);
    expect([...gq!.data(), ...gp!.data()].every(Number.isFinite)).toBe(true);
    expect(gradcheck((a) => F.klDiv(a, p, { reduction: 'batchmean' }), [qg])).toBe(true);
  });
});
