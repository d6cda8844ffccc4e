/**
 * `grad(outputs, inputs)`: the gradients of the given inputs, leaving `.grad` alone (the other
 * way to run backward, `t.backward()`, lives in engine.ts beside the engine it starts).
 */
import { AutogradError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { assertDifferentiable, runBackward, upstream } from './engine.js';
import { checkOptions, optionKeys } from '../options.js';
import { refreshViewHistory } from './view-history.js';

/** Options of `grad`, as PyTorch's `torch.autograd.grad`. */
export interface GradOptions {
  /** Upstream gradients, one per output (default 1 for one-element outputs). */
  gradOutputs?: (Tensor | null)[] | Tensor;
  /** Keep the graph for another backward (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward itself, so the gradients can be differentiated again. */
  createGraph?: boolean;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

/** Gradients of `outputs` with respect to `inputs`, without touching `.grad`. */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  checkOptions('grad', opts, optionKeys<GradOptions>({ gradOutputs: true, retainGraph: true, createGraph: true, allowUnused: true }));
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  // A view whose base was changed in place since is differentiated as it is now.
  for (const t of [...outs, ...inputs]) refreshViewHistory(t);
  outs.forEach((o) => assertDifferentiable(o, 'grad'));
  inputs.forEach((x, i) => {
    if (!x.requiresGrad) throw new AutogradError(`grad: input ${i} (shape ${fmtShape(x.shape)}) does not require grad`);
  });
  const given = opts.gradOutputs instanceof Tensor ? [opts.gradOutputs] : opts.gradOutputs;
  const createGraph = opts.createGraph ?? false;
  const result = runBackward(outs, upstream(outs, given, 'grad'), { retainGraph: opts.retainGraph ?? createGraph, createGraph }, inputs);
  if (!opts.allowUnused) {
    const unused = result.findIndex((g) => g === null);
    if (unused >= 0) {
      throw new AutogradError(`grad: input ${unused} was not used to compute the outputs; pass { allowUnused: true } to get null for it`);
    }
  }
  return result;
}
