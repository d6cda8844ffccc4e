/**
 * Gradient saliency (Simonyan et al., 2014): |∂F/∂xᵢ|, how much a small change of input element i
 * would move the score F (the output picked by `target`).
 */
import { checkOptions, optionKeys } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { batchSizeOf, checkInput, gradientRows, type ExplainedFunction } from './batching.js';
import { resolveTarget, type ExplainTarget } from './target.js';

/** Options shared by every attribution method: which score, and how many rows per forward call. */
export interface TargetOptions {
  /** The score explained: a class index, one per sample, or a function of f's output (see `ExplainTarget`); omit when f returns one score per input. */
  target?: ExplainTarget;
  /** Inputs per forward call of f [256]. */
  batchSize?: number;
}

/** Options of `explain.saliency`. */
export interface SaliencyOptions extends TargetOptions {
  /** Return |∂F/∂x| (true, the saliency map) or the signed gradient ∂F/∂x [true]. */
  abs?: boolean;
}

/**
 * Saliency map of each sample of x [N, …]: |∂F/∂x| (or ∂F/∂x with `abs: false`), of x's shape,
 * where F is the score chosen by `target` (f's output [N, K] at class target[i], by default f's
 * output when it is one score per input).
 *
 * @example explain.saliency(model.forward.bind(model), images, { target: labels })
 */
export function saliency(f: ExplainedFunction, x: Tensor, opts: SaliencyOptions = {}): Tensor {
  checkOptions('explain.saliency', opts, optionKeys<SaliencyOptions>({ target: true, batchSize: true, abs: true }));
  checkInput('explain.saliency', x);
  const pick = resolveTarget('explain.saliency', opts.target, x.shape[0]);
  const g = gradientRows('explain.saliency', f, pick, x, (row) => row, batchSizeOf('explain.saliency', opts.batchSize));
  return (opts.abs ?? true) ? g.abs() : g;
}
