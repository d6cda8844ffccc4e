/**
 * nn.TransformerDecoderLayer and nn.TransformerDecoder, PyTorch's layers and names
 * (self_attn.*, multihead_attn.*, linear1, linear2, norm1 (self-attention), norm2
 * (cross-attention), norm3 (feed-forward); layers.{i}.*, norm.*):
 *
 *   post-norm: x = norm1(x + SA(x));  x = norm2(x + MHA(x, mem));  x = norm3(x + FF(x))
 *   pre-norm:  x = x + SA(norm1(x));  x = x + MHA(norm2(x), mem);  x = x + FF(norm3(x))
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

/** Masks of a decoder (layer) forward, as PyTorch's tgt_mask, memory_mask, … */
export interface TransformerDecoderForwardOptions {
  /** Self-attention mask [T, T] or [N·nhead, T, T]; bool true = may not attend, float added. */
  tgtMask?: Tensor | null;
  /** Cross-attention mask [T, S] or [N·nhead, T, S]. */
  memoryMask?: Tensor | null;
  /** [N, T]; true = padding. */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S]; true = padding. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (used when no tgtMask is given). */
  tgtIsCausal?: boolean;
  /** Causal cross-attention (used when no memoryMask is given). */
  memoryIsCausal?: boolean;
}

/** One Transformer decoder layer: self-attention, cross-attention over memory, feed-forward; post- or pre-norm. */
export class TransformerDecoderLayer extends Module {
  /** d_model, the features of each token. */
  readonly dModel: number;
  /** Attention heads. */
  readonly nhead: number;
  /** The layer options with every default filled in. */
  readonly options: ResolvedLayerOptions;
  /** Self-attention over the target sequence. */
  self_attn: MultiheadAttention;
  /** Cross-attention from the target to the memory (the encoder output). */
  multihead_attn: MultiheadAttention;
  /** Feed-forward expansion, dModel → dimFeedforward. */
  linear1: Linear;
  /** Dropout after the feed-forward activation. */
  dropout: Dropout;
  /** Feed-forward projection back, dimFeedforward → dModel. */
  linear2: Linear;
  /** LayerNorm of the self-attention block. */
  norm1: LayerNorm;
  /** LayerNorm of the cross-attention block. */
  norm2: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  norm3: LayerNorm;
  /** Dropout on the self-attention output. */
  dropout1: Dropout;
  /** Dropout on the cross-attention output. */
  dropout2: Dropout;
  /** Dropout on the feed-forward output. */
  dropout3: Dropout;

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    const o = resolveLayerOptions('TransformerDecoderLayer', dModel, nhead, opts);
    this.dModel = dModel;
    this.nhead = nhead;
    this.options = o;
    const attn = () => new MultiheadAttention(dModel, nhead, { dropout: o.dropout, bias: o.bias, batchFirst: o.batchFirst });
    this.self_attn = attn();
    this.multihead_attn = attn();
    this.linear1 = new Linear(dModel, o.dimFeedforward, { bias: o.bias });
    this.dropout = new Dropout(o.dropout);
    this.linear2 = new Linear(o.dimFeedforward, dModel, { bias: o.bias });
    const norm = () => new LayerNorm(dModel, { eps: o.layerNormEps, bias: o.bias });
    this.norm1 = norm();
    this.norm2 = norm();
    this.norm3 = norm();
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    this.dropout3 = new Dropout(o.dropout);
  }

  /** tgt [T, N, E], memory [S, N, E] (batch-first or unbatched likewise) → like tgt. */
  override forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderForwardOptions = {}): Tensor {
    checkOptions('TransformerDecoderLayer.forward', opts, optionKeys<TransformerDecoderForwardOptions>({ tgtMask: true, memoryMask: true, tgtKeyPaddingMask: true, memoryKeyPaddingMask: true, tgtIsCausal: true, memoryIsCausal: true }));
    const sa = (x: Tensor) =>
      this.dropout1.forward(this.self_attn.forward(x, x, x, {
        attnMask: opts.tgtMask, keyPaddingMask: opts.tgtKeyPaddingMask, isCausal: opts.tgtIsCausal, needWeights: false,
      })[0]);
    const mha = (x: Tensor) =>
      this.dropout2.forward(this.multihead_attn.forward(x, memory, memory, {
        attnMask: opts.memoryMask, keyPaddingMask: opts.memoryKeyPaddingMask, isCausal: opts.memoryIsCausal, needWeights: false,
      })[0]);
    const ff = (x: Tensor) => this.dropout3.forward(this.linear2.forward(this.dropout.forward(activate(this.options.activation, this.linear1.forward(x)))));
    if (this.options.normFirst) {
      let x = tgt.add(sa(this.norm1.forward(tgt)));
      x = x.add(mha(this.norm2.forward(x)));
      return x.add(ff(this.norm3.forward(x)));
    }
    let x = this.norm1.forward(tgt.add(sa(tgt)));
    x = this.norm2.forward(x.add(mha(x)));
    return this.norm3.forward(x.add(ff(x)));
  }

  /** A deep copy: same options, same parameter values, same training mode. */
  clone(): TransformerDecoderLayer {
    const copy = new TransformerDecoderLayer(this.dModel, this.nhead, this.options);
    copy.loadStateDict(this.stateDict());
    return copy.train(this.training);
  }
}

/** Options of TransformerDecoder. */
export interface TransformerDecoderOptions {
  /** Applied to the output of the last layer (PyTorch's `norm`) [none]. */
  norm?: NormModule | null;
}

/** A stack of `numLayers` deep copies of `decoderLayer`, then the optional final norm. */
export class TransformerDecoder extends Module {
  /** Number of stacked layers. */
  readonly numLayers: number;
  /** The layers, independent deep copies of the given one. */
  layers: TransformerDecoderLayer[];
  /** Applied to the last layer's output, or null. */
  norm: NormModule | null;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, opts: TransformerDecoderOptions = {}) {
    super();
    checkOptions('TransformerDecoder', opts, optionKeys<TransformerDecoderOptions>({ norm: true }));
    if (!Number.isInteger(numLayers) || numLayers < 1) throw new ShapeError(`TransformerDecoder: numLayers must be a positive integer, got ${numLayers}`);
    this.numLayers = numLayers;
    this.layers = Array.from({ length: numLayers }, () => decoderLayer.clone());
    this.norm = opts.norm ?? null;
  }

  /** Runs every layer with the same memory and masks, then the final norm. */
  override forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderForwardOptions = {}): Tensor {
    checkOptions('TransformerDecoder.forward', opts, optionKeys<TransformerDecoderForwardOptions>({ tgtMask: true, memoryMask: true, tgtKeyPaddingMask: true, memoryKeyPaddingMask: true, tgtIsCausal: true, memoryIsCausal: true }));
    let x = tgt;
    for (const layer of this.layers) x = layer.forward(x, memory, opts);
    return this.norm ? this.norm.forward(x) : x;
  }
}
