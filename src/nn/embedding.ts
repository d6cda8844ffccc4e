/**
 * Embedding: a lookup table weight [numEmbeddings, embeddingDim], initialised N(0, 1) as
 * PyTorch does; indices of any shape (*) give (*, embeddingDim). With `paddingIdx`, that row
 * is zero at init and never receives a gradient.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { embedding, normalizePaddingIdx } from './functional/embedding.js';
import { normal_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options of `Embedding`. */
export interface EmbeddingModuleOptions {
  /** A row kept at zero with no gradient (negative counts from the end). */
  paddingIdx?: number | null;
}

/** A lookup table of numEmbeddings vectors of size embeddingDim, indexed by int32 tensors. */
export class Embedding extends Module {
  /** Rows of the table: indices run over [0, numEmbeddings). */
  readonly numEmbeddings: number;
  /** Size of each embedding vector. */
  readonly embeddingDim: number;
  /** The padding row, normalised to [0, numEmbeddings), or null. */
  readonly paddingIdx: number | null;
  /** [numEmbeddings, embeddingDim] */
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingModuleOptions = {}) {
    super();
    checkOptions('Embedding', opts, optionKeys<EmbeddingModuleOptions>({ paddingIdx: true }));
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = normalizePaddingIdx('Embedding', opts.paddingIdx, numEmbeddings);
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim]));
    this.resetParameters();
  }

  /** N(0, 1), with the padding row zeroed. */
  resetParameters(): void {
    normal_(this.weight);
    const pad = this.paddingIdx;
    if (pad !== null) noGrad(() => this.weight.narrow(0, pad, 1).zero_());
  }

  /** int32 indices (*) → (*, embeddingDim). */
  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''}`;
  }
}
