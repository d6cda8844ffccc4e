/**
 * nn.TransformerEncoderLayer and nn.TransformerEncoder, PyTorch's layers and names
 * (self_attn.*, linear1, linear2, norm1, norm2; layers.{i}.*, norm.*):
 *
 *   post-norm (default):  x = norm1(x + SA(x));  x = norm2(x + FF(x))
 *   pre-norm (normFirst): x = x + SA(norm1(x));  x = x + FF(norm2(x))
 *   SA(x) = dropout1(self_attn(x, x, x))    FF(x) = dropout2(linear2(dropout(act(linear1(x)))))
 */
import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { MultiheadAttention } from './attention.js';
import { Dropout } from './dropout.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { activate, resolveLayerOptions, type NormModule, type ResolvedLayerOptions, type TransformerLayerOptions } from './transformer-common.js';
import { checkOptions, optionKeys } from '../options.js';

/** Masks of an encoder (layer) forward, as PyTorch's src_mask, src_key_padding_mask, is_causal. */
export interface TransformerEncoderForwardOptions {
  /** [L, L] or [N·nhead, L, L]; bool true = may not attend, float added. */
  srcMask?: Tensor | null;
  /** [N, L]; true = padding. */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (used when no srcMask is given). */
  isCausal?: boolean;
}

/** One Transformer encoder layer: self-attention and feed-forward, post-norm (default) or pre-norm. */
export class TransformerEncoderLayer extends Module {
  /** d_model, the features of each token. */
  readonly dModel: number;
  /** Attention heads. */
  readonly nhead: number;
  /** The layer options with every default filled in. */
  readonly options: ResolvedLayerOptions;
  /** Self-attention over the sequence. */
  self_attn: MultiheadAttention;
  /** Feed-forward expansion, dModel → dimFeedforward. */
  linear1: Linear;
  /** Dropout after the feed-forward activation. */
  dropout: Dropout;
  /** Feed-forward projection back, dimFeedforward → dModel. */
  linear2: Linear;
  /** LayerNorm of the self-attention block. */
  norm1: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  norm2: LayerNorm;
  /** Dropout on the self-attention output. */
  dropout1: Dropout;
  /** Dropout on the feed-forward output. */
  dropout2: Dropout;

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    const o = resolveLayerOptions('TransformerEncoderLayer', dModel, nhead, opts);
    this.dModel = dModel;
    this.nhead = nhead;
    this.options = o;
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout: o.dropout, bias: o.bias, batchFirst: o.batchFirst });
    this.linear1 = new Linear(dModel, o.dimFeedforward, { bias: o.bias });
    this.dropout = new Dropout(o.dropout);
    this.linear2 = new Linear(o.dimFeedforward, dModel, { bias: o.bias });
    this.norm1 = new LayerNorm(dModel, { eps: o.layerNormEps, bias: o.bias });
    this.norm2 = new LayerNorm(dModel, { eps: o.layerNormEps, bias: o.bias });
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
  }

  /** src [L, N, E] ([N, L, E] with batchFirst, [L, E] unbatched) → same shape. */
  override forward(src: Tensor, opts: TransformerEncoderForwardOptions = {}): Tensor {
    checkOptions('TransformerEncoderLayer.forward', opts, optionKeys<TransformerEncoderForwardOptions>({ srcMask: true, srcKeyPaddingMask: true, isCausal: true }));
    const sa = (x: Tensor) =>
      this.dropout1.forward(this.self_attn.forward(x, x, x, {
        attnMask: opts.srcMask, keyPaddingMask: opts.srcKeyPaddingMask, isCausal: opts.isCausal, needWeights: false,
      })[0]);
    const ff = (x: Tensor) => this.dropout2.forward(this.linear2.forward(this.dropout.forward(activate(this.options.activation, this.linear1.forward(x)))));
    if (this.options.normFirst) {
      const x = src.add(sa(this.norm1.forward(src)));
      return x.add(ff(this.norm2.forward(x)));
    }
    const x = this.norm1.forward(src.add(sa(src)));
    return this.norm2.forward(x.add(ff(x)));
  }

  /** A deep copy: same options, same parameter values, same training mode. */
  clone(): TransformerEncoderLayer {
    const copy = new TransformerEncoderLayer(this.dModel, this.nhead, this.options);
    copy.loadStateDict(this.stateDict());
    return copy.train(this.training);
  }
}

/** Masks of `TransformerEncoder.forward`, as PyTorch's mask, src_key_padding_mask, is_causal. */
export interface TransformerEncoderStackForwardOptions {
  /** [L, L] or [N·nhead, L, L]; bool true = may not attend, float added (the layers' `srcMask`). */
  mask?: Tensor | null;
  /** [N, L]; true = padding. */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (used when no mask is given). */
  isCausal?: boolean;
}

/** Options of TransformerEncoder. */
export interface TransformerEncoderOptions {
  /** Applied to the output of the last layer (PyTorch's `norm`) [none]. */
  norm?: NormModule | null;
}

/** A stack of `numLayers` deep copies of `encoderLayer`, then the optional final norm. */
export class TransformerEncoder extends Module {
  /** Number of stacked layers. */
  readonly numLayers: number;
  /** The layers, independent deep copies of the given one. */
  layers: TransformerEncoderLayer[];
  /** Applied to the last layer's output, or null. */
  norm: NormModule | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, opts: TransformerEncoderOptions = {}) {
    super();
    checkOptions('TransformerEncoder', opts, optionKeys<TransformerEncoderOptions>({ norm: true }));
    if (!Number.isInteger(numLayers) || numLayers < 1) throw new ShapeError(`TransformerEncoder: numLayers must be a positive integer, got ${numLayers}`);
    this.numLayers = numLayers;
    this.layers = Array.from({ length: numLayers }, () => encoderLayer.clone());
    this.norm = opts.norm ?? null;
  }

  /**
   * Runs every layer with the same masks, then the final norm. The attention mask is `mask`, as
   * PyTorch names it here (the layers call it `srcMask`); `srcMask` is refused with that hint.
   */
  override forward(src: Tensor, opts: TransformerEncoderStackForwardOptions = {}): Tensor {
    checkOptions('TransformerEncoder.forward', opts, optionKeys<TransformerEncoderStackForwardOptions>({ mask: true, srcKeyPaddingMask: true, isCausal: true }), { srcMask: 'mask', src_mask: 'mask' });
    let x = src;
    for (const layer of this.layers) x = layer.forward(x, { srcMask: opts.mask, srcKeyPaddingMask: opts.srcKeyPaddingMask, isCausal: opts.isCausal });
    return this.norm ? this.norm.forward(x) : x;
  }
}
