/**
 * The two ways to run backward: `t.backward()` accumulates into leaves' `.grad`;
 * `grad(outputs, inputs)` returns the gradients of the given inputs and leaves `.grad` alone.
 */
import { AutogradError, ShapeError, fmtShape } from '../errors.js';
import { sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { assertDifferentiable, runBackward } from './engine.js';
import { onesLike } from '../tensor/creation.js';
import { checkOptions, optionKeys } from '../options.js';
import { refreshViewHistory } from './view-history.js';

/** Upstream gradients for `outputs`: the given ones (shape-checked) or 1 for scalars. */
export function upstream(outputs: readonly Tensor[], given: readonly (Tensor | null)[] | undefined, op: string): Tensor[] {
  return outputs.map((out, i) => {
    const g = given?.[i] ?? null;
    if (g !== null) {
      if (!sameShape(g.shape, out.shape)) {
        throw new ShapeError(`${op}: gradient of shape ${fmtShape(g.shape)} does not match output of shape ${fmtShape(out.shape)}`);
      }
      return g;
    }
    if (out.size !== 1) {
      throw new AutogradError(`${op}: a gradient can be created implicitly only for one-element outputs, got shape ${fmtShape(out.shape)}; pass the upstream gradient`);
    }
    return onesLike(out);
  });
}

/** `t.backward(grad?, { retainGraph })`: accumulates ∂t/∂leaf into every leaf's `.grad`. */
export function backward(t: Tensor, grad?: Tensor, opts: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
  checkOptions('backward', opts, ['retainGraph', 'createGraph']);
  if (grad !== undefined && grad !== null && !(grad instanceof Tensor)) {
    throw new TypeError('backward: the first argument is the upstream gradient (a Tensor); options such as { retainGraph } go second');
  }
  refreshViewHistory(t);
  assertDifferentiable(t, 'backward');
  const createGraph = opts.createGraph ?? false;
  runBackward([t], upstream([t], grad ? [grad] : undefined, 'backward'), { retainGraph: opts.retainGraph ?? createGraph, createGraph });
}

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
