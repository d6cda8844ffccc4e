/**
 * A small BERT: token embeddings plus learned position embeddings, a Transformer encoder
 * (bidirectional: every position sees every non-padding position), and heads on top.
 *
 * - `TinyBert` is the encoder with the masked-language-modelling head of BERT: a dense layer,
 *   GELU and layer norm, then a projection onto the vocabulary TIED to the token embedding
 *   (logits = h·Eᵀ + b, the embedding matrix E read twice), so the output layer costs only a bias.
 * - `BertTagger` puts a linear layer on every position (token classification, e.g. part of speech).
 * - `BertClassifier` averages the non-padding positions and puts a linear layer on the mean
 *   (sequence classification, e.g. the genre of a passage).
 *
 * Encoder layers are pre-norm (layer norm before attention and feed-forward, a final norm after
 * the stack): with few steps and a high learning rate they train more reliably than BERT's
 * post-norm layers. Padding is signalled by a boolean mask [N, T], true at padding positions.
 */
import { nn, noGrad, zeros, type Tensor } from 'tsgrad';

/** The sizes of a model. */
export interface BertConfig {
  vocabSize: number;
  /** Longest sequence (number of position embeddings). */
  maxLen: number;
  dModel: number;
  heads: number;
  layers: number;
  /** Width of the feed-forward layers. */
  dimFeedforward: number;
  dropout: number;
}

/** The encoder with BERT's MLM head, the output projection tied to the token embedding. */
export class TinyBert extends nn.Module {
  readonly config: BertConfig;
  tok_embed: nn.Embedding;
  pos_embed: nn.Embedding;
  emb_norm: nn.LayerNorm;
  encoder: nn.TransformerEncoder;
  mlm_dense: nn.Linear;
  mlm_norm: nn.LayerNorm;
  mlm_bias: nn.Parameter;

  constructor(c: BertConfig) {
    super();
    this.config = { ...c };
    this.tok_embed = new nn.Embedding(c.vocabSize, c.dModel);
    this.pos_embed = new nn.Embedding(c.maxLen, c.dModel);
    // Token embeddings from N(0, 0.1²) and position embeddings starting as 0.1 × the sinusoidal
    // encoding (then learned). BERT's N(0, 0.02²) for both leaves a short run stuck where the model
    // predicts the piece frequencies alone: the tied output logits h·Eᵀ start near zero, and random
    // positions give attention no notion of "the word before". The sinusoids do from step one
    // (nearby positions have similar codes), and the larger scale lets the tied projection learn.
    nn.init.normal_(this.tok_embed.weight, 0, 0.1);
    noGrad(() => this.pos_embed.weight.copy_(nn.sinusoidalPositionalEncoding(c.maxLen, c.dModel).mul(0.1)));
    this.emb_norm = new nn.LayerNorm(c.dModel);
    const layer = new nn.TransformerEncoderLayer(c.dModel, c.heads, {
      dimFeedforward: c.dimFeedforward, dropout: c.dropout, activation: 'gelu', batchFirst: true, normFirst: true,
    });
    this.encoder = new nn.TransformerEncoder(layer, c.layers, { norm: new nn.LayerNorm(c.dModel) });
    this.mlm_dense = new nn.Linear(c.dModel, c.dModel);
    this.mlm_norm = new nn.LayerNorm(c.dModel);
    this.mlm_bias = new nn.Parameter(zeros([c.vocabSize]));
  }

  /** ids [N, T] (int32), padding [N, T] (bool, true = padding) → hidden states [N, T, d]. */
  encode(ids: Tensor, padding?: Tensor): Tensor {
    const T = ids.shape[1];
    if (T > this.config.maxLen) throw new RangeError(`TinyBert: sequence of ${T} tokens is longer than maxLen ${this.config.maxLen}`);
    const positions = this.pos_embed.weight.narrow(0, 0, T);
    const x = nn.functional.dropout(this.emb_norm.forward(this.tok_embed.forward(ids).add(positions)), this.config.dropout, this.training);
    return this.encoder.forward(x, { srcKeyPaddingMask: padding ?? null });
  }

  /** hidden states [M, d] → vocabulary logits [M, vocab], through the tied projection. */
  mlmLogits(hidden: Tensor): Tensor {
    const h = this.mlm_norm.forward(this.mlm_dense.forward(hidden).gelu());
    return nn.functional.linear(h, this.tok_embed.weight, this.mlm_bias);
  }

  /** ids [N, T] → vocabulary logits [N, T, vocab] at every position. */
  override forward(ids: Tensor): Tensor {
    return this.mlmLogits(this.encode(ids));
  }
}

/** Mean over the non-padding positions: hidden [N, T, d], padding [N, T] (true = padding) → [N, d]. */
export function meanPool(hidden: Tensor, padding?: Tensor): Tensor {
  if (!padding) return hidden.mean(1);
  const keep = padding.logicalNot().to(hidden.dtype).unsqueeze(2);
  return hidden.mul(keep).sum(1).div(keep.sum(1).clamp(1, null));
}

/** Token classification: the encoder and a linear layer on every position. */
export class BertTagger extends nn.Module {
  bert: TinyBert;
  head: nn.Linear;

  constructor(bert: TinyBert, numClasses: number) {
    super();
    this.bert = bert;
    this.head = new nn.Linear(bert.config.dModel, numClasses);
  }

  /** ids [N, T], padding [N, T] → class logits [N, T, classes]. */
  override forward(ids: Tensor, padding?: Tensor): Tensor {
    return this.head.forward(this.bert.encode(ids, padding));
  }
}

/** Sequence classification: the tagger's encoder and linear layer on the mean over the non-padding positions. */
export class BertClassifier extends BertTagger {
  /** ids [N, T], padding [N, T] → class logits [N, classes]. */
  override forward(ids: Tensor, padding?: Tensor): Tensor {
    return this.head.forward(meanPool(this.bert.encode(ids, padding), padding));
  }
}
