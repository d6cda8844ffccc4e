/**
 * Attention models, exported as decomposed ops (MatMul, Softmax, LayerNormalization, …): a
 * Transformer encoder (post-norm, ReLU), the ViT of examples/vit-mnist.ts (pre-norm, GELU,
 * [CLS] token expanded to the batch) and the character GPT of examples/gpt-char.ts (token ids,
 * causal mask), checked in ONNX Runtime at two batch sizes.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randint, randn } from 'tsgrad';
import { VisionTransformer } from '../../examples/vit-mnist';
import { CharGPT, charGptConfig } from '../../examples/gpt-char';
import { agreement } from './run-onnx';

const tolerance = 1e-4;

describe('exportOnnx: attention models in ONNX Runtime', () => {
  it('a 2-layer Transformer encoder (batch first) agrees at batch 3 and at batch 5', async () => {
    manualSeed(30);
    const layer = new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true });
    const encoder = new nn.TransformerEncoder(layer, 2);
    encoder.eval();
    const diff = await agreement(encoder, [randn([3, 6, 16])], [[randn([3, 6, 16])], [randn([5, 6, 16])]]);
    console.log(`Transformer encoder max |ONNX Runtime − tsgrad| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(tolerance);
  });

  it('the ViT of examples/vit-mnist.ts agrees at batch 2 and at batch 4', async () => {
    manualSeed(31);
    const vit = new VisionTransformer({ dModel: 32, heads: 4, layers: 2, dimFeedforward: 64, dropout: 0.1 });
    vit.eval();
    const diff = await agreement(vit, [randn([2, 1, 28, 28])], [[randn([2, 1, 28, 28])], [randn([4, 1, 28, 28])]]);
    console.log(`ViT max |ONNX Runtime − tsgrad| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(tolerance);
  });

  it('the character GPT of examples/gpt-char.ts (token ids in, causal mask) agrees at batch 2 and at batch 3', async () => {
    manualSeed(32);
    const gpt = new CharGPT(30, { ...charGptConfig, context: 12, dModel: 16, heads: 2, layers: 2 });
    gpt.eval();
    const diff = await agreement(gpt, [randint(0, 30, [2, 12])], [[randint(0, 30, [2, 12])], [randint(0, 30, [3, 12])]]);
    console.log(`char GPT max |ONNX Runtime − tsgrad| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(tolerance);
  });
});
