/**
 * Activation modules: stateless wrappers around the elementwise ops (and softmax along a dim),
 * so they can sit inside a Sequential.
 */
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { checkNumberArg, checkOptions } from '../options.js';

/** max(0, x) */
export class ReLU extends Module {
  override forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** x for x ≥ 0, negativeSlope·x otherwise (default slope 0.01). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    checkNumberArg('LeakyReLU', 'negativeSlope', negativeSlope);
  }
  override forward(x: Tensor): Tensor {
    return x.leakyRelu(this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** x·Φ(x) (exact, with erf) or its tanh approximation with `{approximate: 'tanh'}`. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(opts: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    checkOptions('GELU', opts, ['approximate']);
    this.approximate = opts.approximate ?? 'none';
  }
  override forward(x: Tensor): Tensor {
    return x.gelu({ approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x·σ(x) (also called swish). */
export class SiLU extends Module {
  override forward(x: Tensor): Tensor {
    return x.silu();
  }
}

/** σ(x) = 1/(1 + e^(−x)) */
export class Sigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

/** tanh(x) */
export class Tanh extends Module {
  override forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** e^(x_i) / Σ_j e^(x_j) along `dim` (computed stably). */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
    checkNumberArg('Softmax', 'dim', dim);
  }
  override forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** x_i − log Σ_j e^(x_j) along `dim` (computed stably). */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
    checkNumberArg('LogSoftmax', 'dim', dim);
  }
  override forward(x: Tensor): Tensor {
    return x.logSoftmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
