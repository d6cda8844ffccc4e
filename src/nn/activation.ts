/**
 * Activation modules: stateless wrappers around the elementwise ops (and softmax along a dim),
 * so they can sit inside a Sequential.
 */
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { checkNumberArg, checkOptions } from '../options.js';

/** max(0, x) */
export class ReLU extends Module {
  /** max(0, x): x (any shape) → the same shape, elementwise. */
  override forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** x for x ≥ 0, negativeSlope·x otherwise (default slope 0.01). */
export class LeakyReLU extends Module {
  /** @param negativeSlope The slope for x < 0 (default 0.01). `new nn.LeakyReLU(0.2)` */
  constructor(readonly negativeSlope = 0.01) {
    super();
    checkNumberArg('LeakyReLU', 'negativeSlope', negativeSlope);
  }
  /** x (any shape) → the same shape, elementwise. */
  override forward(x: Tensor): Tensor {
    return x.leakyRelu(this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** x·Φ(x) (exact, with erf) or its tanh approximation with `{approximate: 'tanh'}`. */
export class GELU extends Module {
  /** 'none' (exact, with erf) or 'tanh' (the tanh approximation). */
  readonly approximate: 'none' | 'tanh';
  constructor(opts: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    checkOptions('GELU', opts, ['approximate']);
    this.approximate = opts.approximate ?? 'none';
  }
  /** x (any shape) → the same shape, elementwise. */
  override forward(x: Tensor): Tensor {
    return x.gelu({ approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x·σ(x) (also called swish). */
export class SiLU extends Module {
  /** x (any shape) → the same shape, elementwise. */
  override forward(x: Tensor): Tensor {
    return x.silu();
  }
}

/** σ(x) = 1/(1 + e^(−x)) */
export class Sigmoid extends Module {
  /** x (any shape) → the same shape, elementwise. */
  override forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

/** tanh(x) */
export class Tanh extends Module {
  /** x (any shape) → the same shape, elementwise. */
  override forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** e^(x_i) / Σ_j e^(x_j) along `dim` (computed stably). */
export class Softmax extends Module {
  /** @param dim The dim the probabilities sum to 1 along. `new nn.Softmax(-1)` */
  constructor(readonly dim: number) {
    super();
    checkNumberArg('Softmax', 'dim', dim);
  }
  /** x → probabilities of the same shape, summing to 1 along `dim`. */
  override forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** x_i − log Σ_j e^(x_j) along `dim` (computed stably). */
export class LogSoftmax extends Module {
  /** @param dim The dim normalised along. `new nn.LogSoftmax(1)` */
  constructor(readonly dim: number) {
    super();
    checkNumberArg('LogSoftmax', 'dim', dim);
  }
  /** x → log-probabilities of the same shape along `dim`. */
  override forward(x: Tensor): Tensor {
    return x.logSoftmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
