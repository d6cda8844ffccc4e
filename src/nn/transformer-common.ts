/**
 * What the Transformer layers share: their options (PyTorch's defaults), the feed-forward
 * activation, the causal mask and the sinusoidal positional encoding.
 */
import { ShapeError } from '../errors.js';
import { full } from '../tensor/creation.js';
import type { DType } from '../kernels/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from './module.js';
import { checkOptions, optionKeys } from '../options.js';

/** A module mapping one tensor to one tensor, such as the final LayerNorm of an encoder or decoder. */
export type NormModule = Module & { forward(x: Tensor): Tensor };

/** The feed-forward activation: 'relu', 'gelu' (exact) or any elementwise function. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

/** Options of TransformerEncoderLayer and TransformerDecoderLayer (PyTorch's defaults in brackets). */
export interface TransformerLayerOptions {
  /** Width of the feed-forward block [2048]. */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block [0.1]. */
  dropout?: number;
  /** Feed-forward activation ['relu']. */
  activation?: TransformerActivation;
  /** LayerNorm eps [1e-5]. */
  layerNormEps?: number;
  /** Inputs as [N, L, E] instead of [L, N, E] [false]. */
  batchFirst?: boolean;
  /** Pre-norm (x + f(norm(x))) instead of post-norm (norm(x + f(x))) [false]. */
  normFirst?: boolean;
  /** Biases in the linear layers, attention and norms [true]. */
  bias?: boolean;
}

/** The options with every default filled in. */
export type ResolvedLayerOptions = Required<TransformerLayerOptions>;

/** Fills in PyTorch's defaults and checks the sizes. */
export function resolveLayerOptions(op: string, dModel: number, nhead: number, opts: TransformerLayerOptions): ResolvedLayerOptions {
  checkOptions(op, opts, optionKeys<TransformerLayerOptions>({
    dimFeedforward: true, dropout: true, activation: true, layerNormEps: true, batchFirst: true, normFirst: true, bias: true,
  }));
  const r: ResolvedLayerOptions = {
    dimFeedforward: opts.dimFeedforward ?? 2048,
    dropout: opts.dropout ?? 0.1,
    activation: opts.activation ?? 'relu',
    layerNormEps: opts.layerNormEps ?? 1e-5,
    batchFirst: opts.batchFirst ?? false,
    normFirst: opts.normFirst ?? false,
    bias: opts.bias ?? true,
  };
  for (const [name, v] of [['dModel', dModel], ['nhead', nhead], ['dimFeedforward', r.dimFeedforward]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(`${op}: ${name} must be a positive integer, got ${v}`);
  }
  return r;
}

/** Applies the activation. */
export function activate(activation: TransformerActivation, x: Tensor): Tensor {
  if (activation === 'relu') return x.relu();
  if (activation === 'gelu') return x.gelu();
  return activation(x);
}

/**
 * PyTorch's `generate_square_subsequent_mask`: a float [size, size] mask with −∞ above the
 * diagonal and 0 elsewhere, so position i attends to positions 0…i only.
 */
export function generateSquareSubsequentMask(size: number, opts: { dtype?: DType } = {}): Tensor {
  checkOptions('generateSquareSubsequentMask', opts, ['dtype']);
  if (!Number.isInteger(size) || size < 1) throw new ShapeError(`generateSquareSubsequentMask: size must be a positive integer, got ${size}`);
  const mask = full([size, size], 0, { dtype: opts.dtype ?? 'float32' });
  const d = mask.storage;
  for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) d[i * size + j] = -Infinity;
  return mask;
}

/**
 * The sinusoidal positional encoding of "Attention Is All You Need", [length, dModel]:
 *   PE[p, 2i] = sin(p / base^(2i/dModel))    PE[p, 2i+1] = cos(p / base^(2i/dModel))
 */
export function sinusoidalPositionalEncoding(length: number, dModel: number, opts: { base?: number; dtype?: DType } = {}): Tensor {
  checkOptions('sinusoidalPositionalEncoding', opts, ['base', 'dtype']);
  if (!Number.isInteger(length) || length < 1 || !Number.isInteger(dModel) || dModel < 1) {
    throw new ShapeError(`sinusoidalPositionalEncoding: length and dModel must be positive integers, got ${length} and ${dModel}`);
  }
  const base = opts.base ?? 10000;
  const pe = full([length, dModel], 0, { dtype: opts.dtype ?? 'float32' });
  const d = pe.storage;
  for (let p = 0; p < length; p++) {
    for (let c = 0; c < dModel; c++) {
      const angle = p / Math.pow(base, (c - (c % 2)) / dModel);
      d[p * dModel + c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return pe;
}
