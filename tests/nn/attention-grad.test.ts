/**
 * Attention and Transformer layers: gradcheck on tiny float64 instances (every mask kind,
 * batchFirst, pre/post-norm), causality (changing future inputs leaves earlier outputs alone),
 * PyTorch's state-dict names and shapes, init, clones, helpers and errors.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError, cat, gradcheck, manualSeed, nn, randn, tensor, type Tensor } from '../../src/index.js';
import { expectClose, keyShapes, toFloat64 } from './sequence-helpers.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

describe('gradcheck on tiny float64 attention layers', () => {
  it('MultiheadAttention self-attention: bool attn mask, bool padding mask, per-head weights', () => {
    manualSeed(41);
    const m = toFloat64(new nn.MultiheadAttention(4, 2));
    const x = randn([3, 2, 4], f64);
    const attnMask = tensor([[false, true, false], [false, false, true], [false, false, false]]);
    const kpm = tensor([[false, false, true], [false, false, false]]);
    expect(gradcheck(() => {
      const [o, w] = m.forward(x, x, x, { attnMask, keyPaddingMask: kpm, averageAttnWeights: false });
      return cat([o.flatten(), (w as Tensor).flatten()]);
    }, [x, ...m.parameters()])).toBe(true);
  });

  it('MultiheadAttention cross-attention with kdim/vdim, batchFirst and float masks', () => {
    manualSeed(42);
    const m = toFloat64(new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 2, batchFirst: true }));
    const q = randn([2, 3, 4], f64);
    const k = randn([2, 4, 3], f64);
    const v = randn([2, 4, 2], f64);
    const attnMask = randn([4, 3, 4], f64);
    const kpm = randn([2, 4], f64);
    expect(gradcheck(() => m.forward(q, k, v, { attnMask, keyPaddingMask: kpm })[0], [q, k, v, attnMask, kpm, ...m.parameters()])).toBe(true);
  });

  it('scaledDotProductAttention with a causal mask and with a float mask', () => {
    manualSeed(43);
    const q = randn([2, 3, 4], f64);
    const k = randn([2, 3, 4], f64);
    const v = randn([2, 3, 2], f64);
    const mask = randn([3, 3], f64);
    expect(gradcheck((a, b, c) => nn.functional.scaledDotProductAttention(a, b, c, { isCausal: true }), [q, k, v])).toBe(true);
    expect(gradcheck((a, b, c, d) => nn.functional.scaledDotProductAttention(a, b, c, { attnMask: d }), [q, k, v, mask])).toBe(true);
  });

  it.each([
    { normFirst: false, activation: 'relu' as const, batchFirst: false },
    { normFirst: true, activation: 'gelu' as const, batchFirst: true },
  ])('TransformerEncoderLayer normFirst=$normFirst $activation batchFirst=$batchFirst with a padding mask', (o) => {
    manualSeed(44);
    const m = toFloat64(new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, ...o }));
    const x = randn(o.batchFirst ? [2, 3, 4] : [3, 2, 4], f64); // N 2, L 3
    const srcKeyPaddingMask = tensor([[false, false, true], [false, false, false]]);
    expect(gradcheck(() => m.forward(x, { srcKeyPaddingMask, isCausal: !o.batchFirst }), [x, ...m.parameters()])).toBe(true);
  });

  it('TransformerDecoderLayer (pre-norm) with causal target mask and memory padding mask', () => {
    manualSeed(45);
    const m = toFloat64(new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, normFirst: true }));
    const tgt = randn([3, 2, 4], f64);
    const mem = randn([4, 2, 4], f64);
    const memoryKeyPaddingMask = tensor([[false, false, false, true], [false, false, false, false]]);
    expect(gradcheck(() => m.forward(tgt, mem, { tgtIsCausal: true, memoryKeyPaddingMask }), [tgt, mem, ...m.parameters()])).toBe(true);
  });
});

describe('causal masking', () => {
  /** Runs `f` on x and on x with positions ≥ cut changed; outputs before cut must not move, the rest must. */
  function expectCausal(f: (x: Tensor) => Tensor, x: Tensor, cut: number, seqDim: number): void {
    const changed = cat([x.narrow(seqDim, 0, cut), randn([...x.narrow(seqDim, cut, x.shape[seqDim] - cut).shape])], seqDim);
    const a = f(x);
    const b = f(changed);
    expectClose(a.narrow(seqDim, 0, cut).toArray(), b.narrow(seqDim, 0, cut).toArray(), 1e-6);
    expect(a.narrow(seqDim, cut, 1).sub(b.narrow(seqDim, cut, 1)).abs().max().item()).toBeGreaterThan(1e-4);
  }

  it('no position attends to the future: encoder stack, decoder, MultiheadAttention, scaledDotProductAttention', () => {
    manualSeed(46);
    const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), 2).eval();
    const x = randn([2, 6, 8]);
    expectCausal((t) => enc.forward(t, { mask: nn.generateSquareSubsequentMask(6) }), x, 3, 1);
    expectCausal((t) => enc.forward(t, { isCausal: true }), x, 2, 1);
    const dec = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }).eval();
    const mem = randn([4, 2, 8]);
    expectCausal((t) => dec.forward(t, mem, { tgtIsCausal: true }), randn([6, 2, 8]), 4, 0);
    const mha = new nn.MultiheadAttention(8, 2);
    expectCausal((t) => mha.forward(t, t, t, { isCausal: true })[0], randn([5, 2, 8]), 1, 0);
    expectCausal((t) => nn.functional.scaledDotProductAttention(t, t, t, { isCausal: true }), randn([2, 5, 4]), 2, 1);
    // Without the mask the earlier outputs do depend on later inputs (the check can fail).
    const t = randn([2, 6, 8]);
    const late = cat([t.narrow(1, 0, 3), randn([2, 3, 8])], 1);
    expect(enc.forward(t).narrow(1, 0, 3).sub(enc.forward(late).narrow(1, 0, 3)).abs().max().item()).toBeGreaterThan(1e-4);
  });

  it('causal attention weights are zero above the diagonal and rows sum to 1', () => {
    manualSeed(47);
    const [, w] = new nn.MultiheadAttention(4, 2).forward(randn([5, 4]), randn([5, 4]), randn([5, 4]), { attnMask: nn.generateSquareSubsequentMask(5) });
    const rows = (w as Tensor).toArray() as number[][];
    rows.forEach((r, i) => {
      r.forEach((v, j) => (j > i ? expect(v).toBe(0) : expect(v).toBeGreaterThan(0)));
      expect(r.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6);
    });
  });
});

describe('names, shapes, init and helpers', () => {
  it('MultiheadAttention keys and shapes equal PyTorch\'s', () => {
    expect(keyShapes(new nn.MultiheadAttention(8, 2))).toEqual([
      ['in_proj_weight', [24, 8]], ['in_proj_bias', [24]], ['out_proj.weight', [8, 8]], ['out_proj.bias', [8]],
    ]);
    expect(keyShapes(new nn.MultiheadAttention(8, 2, { kdim: 3, vdim: 5, bias: false }))).toEqual([
      ['q_proj_weight', [8, 8]], ['k_proj_weight', [8, 3]], ['v_proj_weight', [8, 5]], ['out_proj.weight', [8, 8]],
    ]);
  });

  it('Transformer layer and stack keys equal PyTorch\'s', () => {
    const attn = (p: string) => [[`${p}in_proj_weight`, [24, 8]], [`${p}in_proj_bias`, [24]], [`${p}out_proj.weight`, [8, 8]], [`${p}out_proj.bias`, [8]]];
    const ff = (p: string) => [[`${p}linear1.weight`, [16, 8]], [`${p}linear1.bias`, [16]], [`${p}linear2.weight`, [8, 16]], [`${p}linear2.bias`, [8]]];
    const norms = (p: string, n: number) => Array.from({ length: n }, (_, i) => [[`${p}norm${i + 1}.weight`, [8]], [`${p}norm${i + 1}.bias`, [8]]]).flat();
    const encLayer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    expect(keyShapes(encLayer)).toEqual([...attn('self_attn.'), ...ff(''), ...norms('', 2)]);
    const enc = new nn.TransformerEncoder(encLayer, 2, { norm: new nn.LayerNorm(8) });
    expect(keyShapes(enc)).toEqual([
      ...attn('layers.0.self_attn.'), ...ff('layers.0.'), ...norms('layers.0.', 2),
      ...attn('layers.1.self_attn.'), ...ff('layers.1.'), ...norms('layers.1.', 2),
      ['norm.weight', [8]], ['norm.bias', [8]],
    ]);
    const dec = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }), 1);
    expect(keyShapes(dec)).toEqual([...attn('layers.0.self_attn.'), ...attn('layers.0.multihead_attn.'), ...ff('layers.0.'), ...norms('layers.0.', 3)]);
  });

  it('stack layers are deep copies: equal at first, independent afterwards', () => {
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    const enc = new nn.TransformerEncoder(layer, 2);
    const [a, b] = enc.layers;
    expectClose(a.linear1.weight.toArray(), layer.linear1.weight.toArray(), 0);
    expectClose(b.linear1.weight.toArray(), layer.linear1.weight.toArray(), 0);
    expect(a.linear1.weight).not.toBe(b.linear1.weight);
    a.linear1.weight.requiresGrad_(false).fill_(0);
    expect(b.linear1.weight.abs().sum().item()).toBeGreaterThan(0);
  });

  it('initialises projections xavier-uniform and biases to zero', () => {
    manualSeed(48);
    const m = new nn.MultiheadAttention(16, 4);
    const bound = Math.sqrt(6 / (16 + 48));
    const w = m.in_proj_weight as Tensor;
    expect(w.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(w.abs().max().item()).toBeGreaterThan(0.9 * bound);
    expect((m.in_proj_bias as Tensor).abs().sum().item()).toBe(0);
    expect((m.out_proj.bias as Tensor).abs().sum().item()).toBe(0);
  });

  it('generateSquareSubsequentMask and sinusoidalPositionalEncoding', () => {
    expect(nn.generateSquareSubsequentMask(3).toArray()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
    const pe = nn.sinusoidalPositionalEncoding(4, 6, { dtype: 'float64' });
    expect(pe.shape).toEqual([4, 6]);
    const rowsPe = pe.toArray() as number[][];
    for (let p = 0; p < 4; p++) {
      for (let i = 0; i < 3; i++) {
        const angle = p / 10000 ** ((2 * i) / 6);
        expect(rowsPe[p][2 * i]).toBeCloseTo(Math.sin(angle), 12);
        expect(rowsPe[p][2 * i + 1]).toBeCloseTo(Math.cos(angle), 12);
      }
    }
  });
});

describe('bad input throws specific errors', () => {
  it('MultiheadAttention', () => {
    expect(() => new nn.MultiheadAttention(10, 3)).toThrow(ShapeError);
    expect(() => new nn.MultiheadAttention(10, 3)).toThrow(/embedDim \(10\) must be divisible by numHeads \(3\)/);
    const m = new nn.MultiheadAttention(8, 2);
    const x = randn([4, 2, 8]);
    expect(() => m.forward(randn([4, 2, 6]), x, x)).toThrow(/expected query feature size 8, got 6/);
    expect(() => m.forward(x, x, x, { attnMask: randn([4, 3]) })).toThrow(/attnMask of shape \[4,3\] should be \[4,4\] or \[4,4,4\]/);
    expect(() => m.forward(x, x, x, { attnMask: randn([3, 4, 4]) })).toThrow(ShapeError);
    expect(() => m.forward(x, x, x, { keyPaddingMask: tensor([[true, false]]) })).toThrow(/keyPaddingMask of shape \[1,2\] should be \[2,4\]/);
    expect(() => m.forward(x, randn([4, 3, 8]), randn([4, 3, 8]))).toThrow(/same batch size/);
    expect(() => m.forward(x, randn([5, 2, 8]), randn([4, 2, 8]))).toThrow(/same sequence length/);
  });

  it('scaledDotProductAttention and the Transformer helpers', () => {
    const q = randn([2, 3, 4]);
    expect(() => nn.functional.scaledDotProductAttention(q, randn([2, 3, 5]), randn([2, 3, 4]))).toThrow(ShapeError);
    expect(() => nn.functional.scaledDotProductAttention(q, q, q, { attnMask: randn([2, 2]) })).toThrow(/attnMask of shape \[2,2\] does not broadcast/);
    expect(() => nn.functional.scaledDotProductAttention(q, q, q, { attnMask: randn([3, 3]), isCausal: true })).toThrow(/not both/);
    expect(() => new nn.TransformerEncoderLayer(8, 3)).toThrow(/divisible/);
    expect(() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 8 }), 0)).toThrow(ShapeError);
    expect(() => nn.generateSquareSubsequentMask(0)).toThrow(ShapeError);
  });
});
