/**
 * A small Vision Transformer on MNIST. Each 28×28 digit is cut into 16 patches of 7×7 pixels;
 * each patch (49 pixels) is projected linearly to a d-dimensional token, a learned [CLS] token is
 * put in front, learned position embeddings are added, and a pre-norm Transformer encoder mixes
 * the 17 tokens by self-attention. The [CLS] token's final state is classified by a linear layer.
 *
 * Trained on the fixed 8,000-sample training part of the split, evaluated on the 2,000 held-out;
 * then the attention of the [CLS] token over the 16 patches (averaged over heads, per layer)
 * is saved as heat maps next to the digit.
 *
 * Run: npx tsx examples/vit-mnist.ts            (writes out/vit-attention.png)
 */
import { cat, nn, noGrad, randn, viz, type Tensor } from 'tsgrad';
import { isMain } from './lib/is-main.js';
import { loadMnist } from './lib/mnist-data.js';
import { grayImage, savePng } from './lib/save-png.js';
import { trainOnMnist, type MnistRun, type TrainConfig, type TrainOnMnistOptions } from './cnn-mnist.js';

/** Model sizes. */
export interface VitSize {
  dModel: number;
  heads: number;
  layers: number;
  dimFeedforward: number;
  dropout: number;
}

const PATCH = 7;
const GRID = 28 / PATCH;

export class VisionTransformer extends nn.Module {
  patch_embed: nn.Linear;
  cls_token: nn.Parameter;
  pos_embed: nn.Parameter;
  encoder: nn.TransformerEncoder;
  head: nn.Linear;

  constructor(size: VitSize) {
    super();
    const d = size.dModel;
    this.patch_embed = new nn.Linear(PATCH * PATCH, d);
    // Small random starts (std 0.02), as ViTs usually initialise their learned tokens.
    this.cls_token = new nn.Parameter(randn([1, 1, d]).mul(0.02));
    this.pos_embed = new nn.Parameter(randn([1, GRID * GRID + 1, d]).mul(0.02));
    const layer = new nn.TransformerEncoderLayer(d, size.heads, {
      dimFeedforward: size.dimFeedforward, dropout: size.dropout, activation: 'gelu', batchFirst: true, normFirst: true,
    });
    this.encoder = new nn.TransformerEncoder(layer, size.layers, { norm: new nn.LayerNorm(d) });
    this.head = new nn.Linear(d, 10);
  }

  /** images [N, 1, 28, 28] → tokens [N, 17, d] ([CLS] first), position embeddings added. */
  tokens(images: Tensor): Tensor {
    const N = images.shape[0];
    // [N, 1, 28, 28] → [N, gy, 7, gx, 7] → [N, gy, gx, 7, 7] → [N, 16, 49]: patch p = gy·4 + gx.
    const patches = images.reshape([N, GRID, PATCH, GRID, PATCH]).permute(0, 1, 3, 2, 4).reshape([N, GRID * GRID, PATCH * PATCH]);
    const cls = this.cls_token.expand([N, 1, this.cls_token.shape[2]]);
    return cat([cls, this.patch_embed.forward(patches)], 1).add(this.pos_embed);
  }

  override forward(images: Tensor): Tensor {
    const out = this.encoder.forward(this.tokens(images));
    return this.head.forward(out.narrow(1, 0, 1).squeeze(1));
  }

  /** Per layer, the head-averaged attention weights [N, 17, 17] (pre-norm: attention reads norm1(x)). */
  attentionMaps(images: Tensor): Tensor[] {
    return noGrad(() => {
      let x = this.tokens(images);
      const maps: Tensor[] = [];
      for (const layer of this.encoder.layers) {
        const n = layer.norm1.forward(x);
        const [, w] = layer.self_attn.forward(n, n, n, { needWeights: true });
        if (w) maps.push(w);
        x = layer.forward(x);
      }
      return maps;
    });
  }
}

/** Sizes and rates of the full run (AdamW, cosine decay, gradients clipped to norm 1). */
export const vitMnistConfig: TrainConfig & VitSize = {
  dModel: 64, heads: 4, layers: 3, dimFeedforward: 128, dropout: 0.1,
  epochs: 14, batchSize: 64, lr: 2e-3, optimizer: 'adamw-cosine', weightDecay: 0.05, maxGradNorm: 1, seed: 3, maxShift: 1,
};

/** Trains the ViT on the fixed split; returns it and its held-out accuracy. */
export function trainVitMnist(
  config = vitMnistConfig,
  opts: TrainOnMnistOptions<VisionTransformer> = {},
): MnistRun<VisionTransformer> {
  return trainOnMnist(() => new VisionTransformer(config), config, opts);
}

/**
 * A picture per test digit: the digit, then for each layer the [CLS] token's attention over the
 * 4×4 patches, scaled to the digit's size.
 */
export function saveAttentionMaps(model: VisionTransformer, images: Tensor, path: string): void {
  model.eval();
  const maps = model.attentionMaps(images);
  const scale = 4;
  const tile = 28 * scale;
  const count = images.shape[0];
  const cols = 1 + maps.length;
  const width = cols * (tile + 4);
  const height = count * (tile + 4);
  const pixels = new Uint8Array(width * height * 3).fill(255);
  const blit = (img: viz.PngImage, ox: number, oy: number) => {
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const src = (y * img.width + x) * img.channels;
        const dst = ((oy + y) * width + ox + x) * 3;
        for (let c = 0; c < 3; c++) pixels[dst + c] = img.pixels[src + (img.channels === 1 ? 0 : c)];
      }
    }
  };
  for (let i = 0; i < count; i++) {
    blit(grayImage(images.narrow(0, i, 1).reshape([28, 28]), scale), 0, i * (tile + 4));
    maps.forEach((w, l) => {
      const clsRow = w.narrow(0, i, 1).narrow(1, 0, 1).narrow(2, 1, GRID * GRID).reshape([GRID, GRID]);
      blit(viz.heatmap(clsRow, { scale: PATCH * scale }), (l + 1) * (tile + 4), i * (tile + 4));
    });
  }
  savePng(path, { width, height, channels: 3, pixels });
}

if (isMain(import.meta.url)) {
  const start = Date.now();
  const c = vitMnistConfig;
  console.log(`ViT (d ${c.dModel}, ${c.heads} heads, ${c.layers} layers, 7×7 patches) on 8,000 training / 2,000 held-out digits`);
  const { model, accuracy } = trainVitMnist(c, {
    onEpoch: ({ epoch, loss, accuracy: acc }) => {
      console.log(`  epoch ${epoch}: train loss ${loss.toFixed(4)}, held-out accuracy ${(100 * (acc ?? 0)).toFixed(2)}%  (${((Date.now() - start) / 1000).toFixed(0)} s)`);
    },
  });
  console.log(`ViT held-out accuracy: ${(100 * accuracy).toFixed(2)}%`);
  saveAttentionMaps(model, loadMnist({ trainSize: 0, testSize: 6 }).test.images, 'out/vit-attention.png');
  console.log('attention maps of 6 held-out digits: out/vit-attention.png');
}
