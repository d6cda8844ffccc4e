/**
 * Shape-only modules: Flatten (dims startDim…endDim merged into one, default 1…−1, keeping the
 * batch dim) and Identity (returns its input).
 */
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { checkNumberArg } from '../options.js';

/** Merges dims startDim…endDim (default 1…−1): [N, C, H, W] → [N, C·H·W]. */
export class Flatten extends Module {
  /**
   * @param startDim First dim merged (default 1, keeping the batch dim).
   * @param endDim Last dim merged, inclusive (default −1).
   */
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
    checkNumberArg('Flatten', 'startDim', startDim);
    checkNumberArg('Flatten', 'endDim', endDim);
  }
  /** x → x with dims startDim…endDim merged, e.g. [N, C, H, W] → [N, C·H·W]. */
  override forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/** Returns its input unchanged (a placeholder layer). */
export class Identity extends Module {
  /** x → x itself. */
  override forward(x: Tensor): Tensor {
    return x;
  }
}
