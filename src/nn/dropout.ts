/**
 * Dropout: in training, zeroes each element with probability p (from the library's seeded
 * generator) and scales the rest by 1/(1 − p); in evaluation it is the identity.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkDropoutP, dropout } from './functional/dropout.js';
import { Module } from './module.js';
import { checkNumberArg } from '../options.js';

/** Inverted dropout with probability p in training; the identity in evaluation. */
export class Dropout extends Module {
  /** Probability of an element being zeroed (default 0.5). */
  readonly p: number;

  constructor(p = 0.5) {
    super();
    checkNumberArg('Dropout', 'p', p);
    checkDropoutP('Dropout', p);
    this.p = p;
  }

  /**
   * x → same shape: in training each element zeroed with probability p and the rest scaled by 1/(1 − p); x
   * itself in evaluation.
   */
  override forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
