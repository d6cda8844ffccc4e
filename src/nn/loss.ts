/**
 * The loss modules: each holds its options (reduction 'mean' by default, class weights, …)
 * and its forward(input, target) calls the matching function of nn.functional, naming itself
 * in errors. See the functional files for the formulas.
 */
import type { Tensor } from '../tensor/tensor.js';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits } from './functional/loss-binary.js';
import { crossEntropy, nllLoss } from './functional/loss-classification.js';
import { klDiv } from './functional/loss-kl.js';
import { huberLoss, l1Loss, mseLoss } from './functional/loss-regression.js';
import type { Reduction } from './functional/reduction.js';
import { Module } from './module.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options every loss module takes. */
export interface LossModuleOptions {
  /** 'mean' (default), 'sum' or 'none' (one loss per element). */
  reduction?: Reduction;
}

/** What every loss module shares: its reduction, printed, and the check of its options against `keys`. */
abstract class Loss extends Module {
  /** How the per-element losses combine: 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  constructor(opts: LossModuleOptions, keys: readonly string[]) {
    super();
    checkOptions(new.target.name, opts, keys);
    this.reduction = opts.reduction ?? 'mean';
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}'`;
  }
}

/** Mean squared error: (input − target)². */
export class MSELoss extends Loss {
  constructor(opts: LossModuleOptions = {}) {
    super(opts, optionKeys<LossModuleOptions>({ reduction: true }));
  }
  /** input and target of one shape → the loss (a 0-d tensor, or input's shape with 'none'). */
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction }, 'MSELoss');
  }
}

/** Mean absolute error: |input − target|. */
export class L1Loss extends Loss {
  constructor(opts: LossModuleOptions = {}) {
    super(opts, optionKeys<LossModuleOptions>({ reduction: true }));
  }
  /** input and target of one shape → the loss (a 0-d tensor, or input's shape with 'none'). */
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction }, 'L1Loss');
  }
}

/** Huber loss: quadratic for |d| < delta, linear beyond (default delta 1). */
export class HuberLoss extends Loss {
  /** Where the loss turns from quadratic to linear. */
  readonly delta: number;
  constructor(opts: LossModuleOptions & { delta?: number } = {}) {
    super(opts, optionKeys<LossModuleOptions & { delta?: number }>({ reduction: true, delta: true }));
    this.delta = opts.delta ?? 1;
  }
  /** input and target of one shape → the loss (a 0-d tensor, or input's shape with 'none'). */
  override forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta }, 'HuberLoss');
  }
  override extraRepr(): string {
    return `${super.extraRepr()}, delta=${this.delta}`;
  }
}

/** Options of the class-index losses. */
export interface NLLLossModuleOptions extends LossModuleOptions {
  /** A rescaling weight per class, shape [C]. */
  weight?: Tensor | null;
  /** Labels equal to this contribute nothing (default −100). */
  ignoreIndex?: number;
}

/** Negative log-likelihood of int32 labels under log-probabilities. */
export class NLLLoss extends Loss {
  /** A rescaling weight per class [C], or null. */
  readonly weight: Tensor | null;
  /** Labels equal to this contribute nothing. */
  readonly ignoreIndex: number;
  constructor(opts: NLLLossModuleOptions = {}) {
    super(opts, optionKeys<NLLLossModuleOptions>({ reduction: true, weight: true, ignoreIndex: true }));
    this.weight = opts.weight ?? null;
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }
  /**
   * log-probabilities [N, C] (or [N, C, d1, …], or [C]) and int32 labels [N] (or [N, d1, …], or []) → the loss
   * (0-d; per label with 'none').
   */
  override forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction }, 'NLLLoss');
  }
}

/** Options of CrossEntropyLoss. */
export interface CrossEntropyLossModuleOptions extends NLLLossModuleOptions {
  /** ε in [0, 1] mixing the target with the uniform distribution (default 0). */
  labelSmoothing?: number;
}

/** Cross-entropy of logits against int32 class indices or class probabilities. */
export class CrossEntropyLoss extends Loss {
  /** A rescaling weight per class [C], or null. */
  readonly weight: Tensor | null;
  /** Labels equal to this contribute nothing. */
  readonly ignoreIndex: number;
  /** ε: the target mixes (1 − ε)·target with ε·uniform. */
  readonly labelSmoothing: number;
  constructor(opts: CrossEntropyLossModuleOptions = {}) {
    super(opts, optionKeys<CrossEntropyLossModuleOptions>({ reduction: true, weight: true, ignoreIndex: true, labelSmoothing: true }));
    this.weight = opts.weight ?? null;
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }
  /**
   * logits [N, C] (or [N, C, d1, …], or [C]) and int32 class indices [N] (…) or class probabilities shaped like
   * the logits → the loss (0-d; per row with 'none'). `new nn.CrossEntropyLoss().forward(model.forward(x), y)`
   */
  override forward(input: Tensor, target: Tensor): Tensor {
    const opts = { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing };
    return crossEntropy(input, target, opts, 'CrossEntropyLoss');
  }
  override extraRepr(): string {
    return `${super.extraRepr()}${this.labelSmoothing ? `, labelSmoothing=${this.labelSmoothing}` : ''}`;
  }
}

/** Binary cross-entropy of probabilities. */
export class BCELoss extends Loss {
  /** A rescaling weight broadcast over the elements, or null. */
  readonly weight: Tensor | null;
  constructor(opts: LossModuleOptions & { weight?: Tensor | null } = {}) {
    super(opts, optionKeys<LossModuleOptions & { weight?: Tensor | null }>({ reduction: true, weight: true }));
    this.weight = opts.weight ?? null;
  }
  /** probabilities and targets in [0, 1], of one shape → the loss (0-d, or per element with 'none'). */
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction }, 'BCELoss');
  }
}

/** Binary cross-entropy of logits, computed stably; `posWeight` weighs the positive term per class. */
export class BCEWithLogitsLoss extends Loss {
  /** A rescaling weight broadcast over the elements, or null. */
  readonly weight: Tensor | null;
  /** Weight of the positive term per class (broadcast over the last dim), or null. */
  readonly posWeight: Tensor | null;
  constructor(opts: LossModuleOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {}) {
    super(opts, optionKeys<LossModuleOptions & { weight?: Tensor | null; posWeight?: Tensor | null }>({ reduction: true, weight: true, posWeight: true }));
    this.weight = opts.weight ?? null;
    this.posWeight = opts.posWeight ?? null;
  }
  /** logits and targets in [0, 1], of one shape → the loss (0-d, or per element with 'none'). */
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction }, 'BCEWithLogitsLoss');
  }
}

/** KL divergence of log-probabilities `input` from probabilities `target`; reduction also 'batchmean'. */
export class KLDivLoss extends Module {
  /** 'mean' over all elements, 'batchmean' (sum / batch size), 'sum' or 'none'. */
  readonly reduction: Reduction | 'batchmean';
  /** Whether the target is given as log-probabilities. */
  readonly logTarget: boolean;
  constructor(opts: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}) {
    super();
    checkOptions('KLDivLoss', opts, ['reduction', 'logTarget']);
    this.reduction = opts.reduction ?? 'mean';
    this.logTarget = opts.logTarget ?? false;
  }
  /**
   * log-probabilities `input` and probabilities `target` (log-probabilities with logTarget), of one shape → the
   * loss.
   */
  override forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget }, 'KLDivLoss');
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}', logTarget=${this.logTarget}`;
  }
}
