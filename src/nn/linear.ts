/**
 * Linear: y = x·Wᵀ + b, with PyTorch's layout (weight [out, in], bias [out]) and default
 * initialisation (weight: kaiming_uniform_(a = √5), i.e. U(−1/√in, 1/√in); bias: U(−1/√in, 1/√in)).
 */
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { linear } from './functional/linear.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options of `Linear`. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/** y = x·Wᵀ + b: a fully connected layer with PyTorch's layout and initialisation. */
export class Linear extends Module {
  /** Size of each input sample (the last dim of x). */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** [outFeatures, inFeatures] */
  weight: Parameter;
  /** [outFeatures], or null without bias. */
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    checkOptions('Linear', opts, optionKeys<LinearOptions>({ bias: true }));
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(zeros([outFeatures, inFeatures]));
    this.bias = (opts.bias ?? true) ? new Parameter(zeros([outFeatures])) : null;
    this.resetParameters();
  }

  /** PyTorch's default initialisation (see the file comment). */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const { fanIn } = calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  /** x (*, inFeatures) → (*, outFeatures). */
  override forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias, 'Linear');
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
