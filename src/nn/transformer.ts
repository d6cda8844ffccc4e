/**
 * nn.Transformer, PyTorch's full encoder–decoder model ("Attention Is All You Need"): an encoder
 * of `numEncoderLayers` TransformerEncoderLayers with a final LayerNorm, and a decoder of
 * `numDecoderLayers` TransformerDecoderLayers with a final LayerNorm:
 *
 *   memory = encoder.norm(encoder layers(src))
 *   out    = decoder.norm(decoder layers(tgt, memory))
 *
 * State-dict keys as PyTorch's: encoder.layers.{i}.…, encoder.norm.…, decoder.layers.{i}.…,
 * decoder.norm.…. Init as PyTorch's: every parameter with more than one dim is redrawn
 * xavier-uniform after the layers are built (biases and norms keep their layer init).
 */
import { ShapeError, fmtShape } from '../errors.js';
import { checkOptions } from '../options.js';
import type { DType } from '../kernels/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { xavierUniform_ } from './init.js';
import { LayerNorm } from './layer-norm.js';
import { Module } from './module.js';
import { generateSquareSubsequentMask, resolveLayerOptions, type TransformerLayerOptions } from './transformer-common.js';
import { TransformerDecoder, TransformerDecoderLayer } from './transformer-decoder.js';
import { TransformerEncoder, TransformerEncoderLayer } from './transformer-encoder.js';

/**
 * Options of `Transformer` (PyTorch's defaults in brackets): the sizes of the model, and the
 * options of every encoder and decoder layer (layerNormEps also sets the two final norms).
 */
export interface TransformerOptions extends TransformerLayerOptions {
  /** Features of every input and output [512]. */
  dModel?: number;
  /** Attention heads [8]. */
  nhead?: number;
  /** Encoder layers [6]. */
  numEncoderLayers?: number;
  /** Decoder layers [6]. */
  numDecoderLayers?: number;
}

/** Masks of `Transformer.forward`, as PyTorch's src_mask, tgt_mask, memory_mask, … */
export interface TransformerForwardOptions {
  /** Encoder self-attention mask [S, S] or [N·nhead, S, S]; bool true = may not attend, float added. */
  srcMask?: Tensor | null;
  /** Decoder self-attention mask [T, T] or [N·nhead, T, T] (e.g. `Transformer.generateSquareSubsequentMask(T)`). */
  tgtMask?: Tensor | null;
  /** Decoder cross-attention mask [T, S] or [N·nhead, T, S]. */
  memoryMask?: Tensor | null;
  /** [N, S]; true = padding in src. */
  srcKeyPaddingMask?: Tensor | null;
  /** [N, T]; true = padding in tgt. */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S]; true = padding in memory (usually the same as srcKeyPaddingMask). */
  memoryKeyPaddingMask?: Tensor | null;
  /** Causal encoder self-attention when no srcMask is given [false]. */
  srcIsCausal?: boolean;
  /** Causal decoder self-attention when no tgtMask is given [false]. */
  tgtIsCausal?: boolean;
  /** Causal cross-attention when no memoryMask is given [false]. */
  memoryIsCausal?: boolean;
}

const OPTIONS = ['dModel', 'nhead', 'numEncoderLayers', 'numDecoderLayers', 'dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst', 'bias'];
const FORWARD_OPTIONS = ['srcMask', 'tgtMask', 'memoryMask', 'srcKeyPaddingMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask', 'srcIsCausal', 'tgtIsCausal', 'memoryIsCausal'];

/**
 * The encoder–decoder Transformer.
 *
 * @example const model = new nn.Transformer({ dModel: 64, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2 });
 * const out = model.forward(src, tgt, { tgtMask: nn.Transformer.generateSquareSubsequentMask(tgt.shape[0]) });
 */
export class Transformer extends Module {
  /** Features of src, tgt and the output. */
  readonly dModel: number;
  /** Attention heads of every layer. */
  readonly nhead: number;
  /** src and tgt are [N, L, E] (else [L, N, E]). */
  readonly batchFirst: boolean;
  /** The encoder layers and their final LayerNorm (`encoder.norm`). */
  encoder: TransformerEncoder;
  /** The decoder layers and their final LayerNorm (`decoder.norm`). */
  decoder: TransformerDecoder;

  constructor(opts: TransformerOptions = {}) {
    super();
    checkOptions('Transformer', opts, OPTIONS);
    const o = opts ?? {};
    this.dModel = o.dModel ?? 512;
    this.nhead = o.nhead ?? 8;
    const numEncoderLayers = o.numEncoderLayers ?? 6;
    const numDecoderLayers = o.numDecoderLayers ?? 6;
    for (const [name, n] of [['numEncoderLayers', numEncoderLayers], ['numDecoderLayers', numDecoderLayers]] as const) {
      if (!Number.isInteger(n) || n < 1) throw new ShapeError(`Transformer: ${name} must be a positive integer, got ${n}`);
    }
    const layerOpts = resolveLayerOptions('Transformer', this.dModel, this.nhead, {
      dimFeedforward: o.dimFeedforward, dropout: o.dropout, activation: o.activation, layerNormEps: o.layerNormEps,
      batchFirst: o.batchFirst, normFirst: o.normFirst, bias: o.bias,
    });
    if (this.dModel % this.nhead !== 0) throw new ShapeError(`Transformer: dModel (${this.dModel}) must be divisible by nhead (${this.nhead})`);
    this.batchFirst = layerOpts.batchFirst;
    const norm = () => new LayerNorm(this.dModel, { eps: layerOpts.layerNormEps, bias: layerOpts.bias });
    this.encoder = new TransformerEncoder(new TransformerEncoderLayer(this.dModel, this.nhead, layerOpts), numEncoderLayers, { norm: norm() });
    this.decoder = new TransformerDecoder(new TransformerDecoderLayer(this.dModel, this.nhead, layerOpts), numDecoderLayers, { norm: norm() });
    this.resetParameters();
  }

  /** PyTorch's init of the whole model: xavier-uniform for every parameter with more than one dim. */
  resetParameters(): void {
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
  }

  /**
   * src [S, N, E] and tgt [T, N, E] ([N, ·, E] with batchFirst; [S, E] and [T, E] unbatched) →
   * the decoder output, shaped like tgt.
   */
  override forward(src: Tensor, tgt: Tensor, opts: TransformerForwardOptions = {}): Tensor {
    checkOptions('Transformer.forward', opts, FORWARD_OPTIONS);
    const o = opts ?? {};
    const batched = src.ndim === 3;
    if ((src.ndim !== 2 && src.ndim !== 3) || tgt.ndim !== src.ndim) {
      throw new ShapeError(`Transformer: src and tgt must both be 3-d (batched) or both 2-d (unbatched), got src ${fmtShape(src.shape)} and tgt ${fmtShape(tgt.shape)}`);
    }
    const batchDim = this.batchFirst ? 0 : 1;
    if (batched && src.shape[batchDim] !== tgt.shape[batchDim]) {
      throw new ShapeError(`Transformer: the batch number of src and tgt must be equal, got src ${fmtShape(src.shape)} and tgt ${fmtShape(tgt.shape)}${this.batchFirst ? ' (batchFirst)' : ''}`);
    }
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new ShapeError(`Transformer: the feature number of src and tgt must be equal to dModel (${this.dModel}), got src ${fmtShape(src.shape)} and tgt ${fmtShape(tgt.shape)}`);
    }
    const memory = this.encoder.forward(src, { mask: o.srcMask, srcKeyPaddingMask: o.srcKeyPaddingMask, isCausal: o.srcIsCausal });
    return this.decoder.forward(tgt, memory, {
      tgtMask: o.tgtMask, memoryMask: o.memoryMask, tgtKeyPaddingMask: o.tgtKeyPaddingMask,
      memoryKeyPaddingMask: o.memoryKeyPaddingMask, tgtIsCausal: o.tgtIsCausal, memoryIsCausal: o.memoryIsCausal,
    });
  }

  /**
   * PyTorch's static `Transformer.generate_square_subsequent_mask`: a float [size, size] mask, −∞
   * above the diagonal and 0 elsewhere, so position i attends to positions 0…i only.
   *
   * @example model.forward(src, tgt, { tgtMask: nn.Transformer.generateSquareSubsequentMask(tgt.shape[0]) })
   */
  static generateSquareSubsequentMask(size: number, opts: { dtype?: DType } = {}): Tensor {
    checkOptions('Transformer.generateSquareSubsequentMask', opts, ['dtype']);
    return generateSquareSubsequentMask(size, opts ?? {});
  }

  /** `dModel=…, nhead=…` for printing. */
  override extraRepr(): string {
    return `dModel=${this.dModel}, nhead=${this.nhead}${this.batchFirst ? ', batchFirst=true' : ''}`;
  }
}
