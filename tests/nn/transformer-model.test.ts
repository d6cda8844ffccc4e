/**
 * nn.Transformer: PyTorch's state-dict keys and shapes, init, forward against the verified
 * encoder/decoder layers composed by hand in float64 (with every mask, both layouts, pre-norm),
 * gradcheck on a tiny model, the static causal mask, and errors.
 */
import { describe, expect, it } from 'vitest';
import { Tensor, gradcheck, manualSeed, nn, randn, tensor } from '../../src/index.js';
import { expectClose, keyShapes, loadRandomStateDict, toFloat64 } from './sequence-helpers.js';
import { Weights, referenceTransformer } from './transformer-reference.js';

const f64 = { dtype: 'float64' as const };

/** The state-dict entries of `sd` under `prefix`, with the prefix removed. */
function sub(sd: Record<string, Tensor>, prefix: string): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(sd).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

/** The model's forward written out: stand-alone layers and norms loaded from its state dict. */
function composed(m: nn.Transformer, src: Tensor, tgt: Tensor, layerOpts: nn.TransformerLayerOptions, masks: nn.TransformerForwardOptions = {}): Tensor {
  const sd = m.stateDict();
  const E = m.dModel;
  const load = <M extends nn.Module>(mod: M, prefix: string): M => {
    mod.loadStateDict(sub(sd, prefix));
    return mod.eval();
  };
  let x = src;
  for (let i = 0; i < m.encoder.numLayers; i++) {
    const layer = load(toFloat64(new nn.TransformerEncoderLayer(E, m.nhead, layerOpts)), `encoder.layers.${i}.`);
    x = layer.forward(x, { srcMask: masks.srcMask, srcKeyPaddingMask: masks.srcKeyPaddingMask });
  }
  const memory = load(toFloat64(new nn.LayerNorm(E)), 'encoder.norm.').forward(x);
  let y = tgt;
  for (let i = 0; i < m.decoder.numLayers; i++) {
    const layer = load(toFloat64(new nn.TransformerDecoderLayer(E, m.nhead, layerOpts)), `decoder.layers.${i}.`);
    y = layer.forward(y, memory, {
      tgtMask: masks.tgtMask, memoryMask: masks.memoryMask, tgtKeyPaddingMask: masks.tgtKeyPaddingMask, memoryKeyPaddingMask: masks.memoryKeyPaddingMask,
    });
  }
  return load(toFloat64(new nn.LayerNorm(E)), 'decoder.norm.').forward(y);
}

describe('nn.Transformer', () => {
  it("has PyTorch's state-dict keys and shapes", () => {
    const m = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 6 });
    const attn = (p: string): [string, number[]][] => [
      [`${p}.in_proj_weight`, [12, 4]], [`${p}.in_proj_bias`, [12]], [`${p}.out_proj.weight`, [4, 4]], [`${p}.out_proj.bias`, [4]],
    ];
    const ff = (p: string): [string, number[]][] => [[`${p}.linear1.weight`, [6, 4]], [`${p}.linear1.bias`, [6]], [`${p}.linear2.weight`, [4, 6]], [`${p}.linear2.bias`, [4]]];
    const norms = (p: string, names: string[]): [string, number[]][] => names.flatMap((n): [string, number[]][] => [[`${p}.${n}.weight`, [4]], [`${p}.${n}.bias`, [4]]]);
    const dec = (i: number) => [...attn(`decoder.layers.${i}.self_attn`), ...attn(`decoder.layers.${i}.multihead_attn`), ...ff(`decoder.layers.${i}`), ...norms(`decoder.layers.${i}`, ['norm1', 'norm2', 'norm3'])];
    expect(keyShapes(m)).toEqual([
      ...attn('encoder.layers.0.self_attn'), ...ff('encoder.layers.0'), ...norms('encoder.layers.0', ['norm1', 'norm2']),
      ...norms('encoder', ['norm']),
      ...dec(0), ...dec(1),
      ...norms('decoder', ['norm']),
    ]);
  });

  it('defaults are PyTorch\'s and every matrix is xavier-uniform', () => {
    manualSeed(51);
    const m = new nn.Transformer({ numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 64 });
    expect(m.dModel).toBe(512);
    expect(m.nhead).toBe(8);
    const big = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 32 });
    const w = big.stateDict()['encoder.layers.0.linear1.weight'];
    const bound = Math.sqrt(6 / (8 + 32));
    const top = Math.max(...w.abs().toTypedArray());
    expect(top).toBeLessThanOrEqual(bound);
    expect(top).toBeGreaterThan(1 / Math.sqrt(8)); // beyond the Linear default bound 1/√in, so it was redrawn
    expect(big.encoder.layers.length).toBe(1);
    expect(big.stateDict()['decoder.norm.weight'].toArray()).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it.each([
    ['post-norm, sequence-first', {}],
    ['pre-norm, batch-first, gelu', { normFirst: true, batchFirst: true, activation: 'gelu' as const }],
  ])('forward equals the layers composed by hand, with every mask: %s', (_, extra) => {
    manualSeed(52);
    const layerOpts: nn.TransformerLayerOptions = { dimFeedforward: 6, dropout: 0.1, ...extra };
    const m = toFloat64(new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, ...layerOpts }));
    loadRandomStateDict(m);
    m.eval();
    const [S, T, N] = [4, 3, 2];
    const bf = m.batchFirst;
    const src = randn(bf ? [N, S, 4] : [S, N, 4], f64);
    const tgt = randn(bf ? [N, T, 4] : [T, N, 4], f64);
    const masks: nn.TransformerForwardOptions = {
      srcMask: randn([S, S], f64),
      tgtMask: nn.Transformer.generateSquareSubsequentMask(T, { dtype: 'float64' }),
      memoryMask: tensor([[false, false, true, false], [false, false, false, false], [true, false, false, false]]),
      srcKeyPaddingMask: tensor([[false, false, false, true], [false, false, false, false]]),
      tgtKeyPaddingMask: tensor([[false, false, false], [false, false, true]]),
      memoryKeyPaddingMask: tensor([[false, false, false, true], [false, true, false, false]]),
    };
    const out = m.forward(src, tgt, masks);
    expect(out.shape).toEqual([...tgt.shape]);
    expectClose(out.toArray(), composed(m, src, tgt, layerOpts, masks).toArray(), 1e-12);
    expectClose(m.forward(src, tgt).toArray(), composed(m, src, tgt, layerOpts).toArray(), 1e-12);
    // each mask reaches its attention: dropping any one changes the output
    for (const key of Object.keys(masks) as (keyof nn.TransformerForwardOptions)[]) {
      const without = m.forward(src, tgt, { ...masks, [key]: null });
      expect(Math.max(...without.sub(out).abs().toTypedArray())).toBeGreaterThan(1e-6);
    }
  });

  it.each([
    ['post-norm', false],
    ['pre-norm', true],
  ] as const)('forward matches the float64 loop reference with masks: %s', (_, normFirst) => {
    manualSeed(55);
    const m = toFloat64(new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 5, normFirst }));
    loadRandomStateDict(m);
    m.eval();
    const [S, T, N] = [4, 3, 2];
    const src = randn([S, N, 4], f64);
    const tgt = randn([T, N, 4], f64);
    const srcMask = randn([S, S], f64);
    const memoryMask = tensor([[false, false, true, false], [false, false, false, false], [true, false, false, false]]);
    const srcPad = [[false, false, false, true], [false, false, false, false]];
    const tgtPad = [[false, false, false], [false, false, true]];
    const out = m.forward(src, tgt, {
      srcMask, tgtMask: nn.Transformer.generateSquareSubsequentMask(T, { dtype: 'float64' }), memoryMask,
      srcKeyPaddingMask: tensor(srcPad), tgtKeyPaddingMask: tensor(tgtPad), memoryKeyPaddingMask: tensor(srcPad),
    });
    const w = new Weights(m.stateDict());
    const sm = srcMask.toArray() as number[][];
    const mm = memoryMask.toArray() as boolean[][];
    const blocked = (b: boolean) => (b ? -Infinity : 0);
    for (let n = 0; n < N; n++) {
      const col = (t: Tensor) => t.narrow(1, n, 1).squeeze(1).toArray() as number[][];
      const ref = referenceTransformer(w, 2, { encoder: 2, decoder: 2 }, normFirst, col(src), col(tgt), {
        src: (i, j) => sm[i][j] + blocked(srcPad[n][j]),
        tgt: (i, j) => blocked(j > i || tgtPad[n][j]),
        memory: (i, j) => blocked(mm[i][j] || srcPad[n][j]),
      });
      expectClose(col(out), ref, 1e-12);
    }
  });

  it('unbatched input and the causal flags', () => {
    manualSeed(53);
    const m = toFloat64(new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 4, dropout: 0 }));
    const src = randn([5, 4], f64);
    const tgt = randn([3, 4], f64);
    const out = m.forward(src, tgt, { tgtIsCausal: true });
    expect(out.shape).toEqual([3, 4]);
    const withMask = m.forward(src, tgt, { tgtMask: nn.Transformer.generateSquareSubsequentMask(3, { dtype: 'float64' }) });
    expectClose(out.toArray(), withMask.toArray(), 1e-12);
    const batched = m.forward(src.unsqueeze(1), tgt.unsqueeze(1), { tgtIsCausal: true });
    expectClose(batched.squeeze(1).toArray(), out.toArray(), 1e-12);
  });

  it('gradcheck: src, tgt and every parameter of a tiny model', () => {
    manualSeed(54);
    const m = toFloat64(new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 3, dropout: 0 }));
    const req = { dtype: 'float64' as const, requiresGrad: true };
    const src = randn([3, 1, 4], req);
    const tgt = randn([2, 1, 4], req);
    const tgtMask = nn.Transformer.generateSquareSubsequentMask(2, { dtype: 'float64' });
    expect(gradcheck(() => m.forward(src, tgt, { tgtMask }), [src, tgt, ...m.parameters()])).toBe(true);
  });

  it('generateSquareSubsequentMask is a static, as in PyTorch', () => {
    expect(nn.Transformer.generateSquareSubsequentMask(3).toArray()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
    expect(() => nn.Transformer.generateSquareSubsequentMask(3, { dtyp: 'float64' } as never)).toThrow(/unknown option 'dtyp'/);
  });

  it('rejects bad shapes and options', () => {
    const m = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 4 });
    expect(() => m.forward(randn([3, 2, 4]), randn([3, 1, 4]))).toThrow(/the batch number of src and tgt must be equal/);
    expect(() => m.forward(randn([3, 2, 4]), randn([3, 2, 5]))).toThrow(/the feature number of src and tgt must be equal to dModel \(4\)/);
    expect(() => m.forward(randn([3, 2, 4]), randn([3, 4]))).toThrow(/both be 3-d \(batched\) or both 2-d/);
    expect(() => m.forward(randn([3, 2, 4]), randn([3, 2, 4]), { mask: null } as never)).toThrow(/Transformer.forward: unknown option 'mask'/);
    expect(() => m.forward(randn([3, 2, 4]), randn([3, 2, 4]), { src_mask: null } as never)).toThrow(/did you mean 'srcMask'/);
    expect(() => new nn.Transformer({ d_model: 4 } as never)).toThrow(/unknown option 'd_model' \(did you mean 'dModel'\?\)/);
    expect(() => new nn.Transformer(512 as never)).toThrow(/expected an options object/);
    expect(() => new nn.Transformer({ dModel: 6, nhead: 4 })).toThrow(/dModel \(6\) must be divisible by nhead \(4\)/);
    expect(() => new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 0 })).toThrow(/numEncoderLayers must be a positive integer, got 0/);
  });
});
