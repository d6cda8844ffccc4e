/**
 * LayerNorm: normalises each sample over its trailing `normalizedShape` dims with the biased
 * variance, then applies an elementwise affine map (weight γ = 1, bias β = 0 at init; both of
 * shape normalizedShape, as PyTorch's `weight`/`bias`). Same behaviour in train and eval.
 */
import { ones, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { layerNorm } from './functional/layer-norm.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options of `LayerNorm` (PyTorch's defaults). */
export interface LayerNormModuleOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn γ and β (default true). */
  elementwiseAffine?: boolean;
  /** Learn β (default true; only with elementwiseAffine). */
  bias?: boolean;
}

/** Layer normalisation over the trailing `normalizedShape` dims, with learnable γ and β. */
export class LayerNorm extends Module {
  /** The trailing dims normalised over (and the shape of γ and β). */
  readonly normalizedShape: readonly number[];
  /** Added to the variance before the square root. */
  readonly eps: number;
  /** γ, of shape normalizedShape (null without elementwiseAffine). */
  weight: Parameter | null;
  /** β, of shape normalizedShape (null without elementwiseAffine or bias). */
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormModuleOptions = {}) {
    super();
    checkOptions('LayerNorm', opts, optionKeys<LayerNormModuleOptions>({ eps: true, elementwiseAffine: true, bias: true }));
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = opts.eps ?? 1e-5;
    const affine = opts.elementwiseAffine ?? true;
    this.weight = affine ? new Parameter(ones([...this.normalizedShape])) : null;
    this.bias = affine && (opts.bias ?? true) ? new Parameter(zeros([...this.normalizedShape])) : null;
  }

  /** x (*, ...normalizedShape) → same shape. */
  override forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps }, 'LayerNorm');
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}
