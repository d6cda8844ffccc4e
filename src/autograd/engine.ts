/**
 * The backward engine, and the Tensor method that starts it: `loss.backward()` checks its
 * arguments here and calls `runBackward`, which walks the graph and accumulates every leaf's
 * `.grad` in this file; each step runs one node's backward (src/tensor/graph-node.ts), which is
 * the op's own `backward` (src/autograd/functions/). Given output tensors and their upstream
 * gradients, `runBackward`
 *   1. sorts the graph below them topologically (iteratively — a 10,000-op chain must not
 *      overflow the stack), so every tensor comes after all the tensors computed from it;
 *   2. walks that order, running each node's backward once its output's gradient is complete,
 *      adding the input gradients it returns into their tensors' running totals;
 *   3. hands the totals of the leaves (backward) or of the asked-for inputs (grad) to the caller,
 *      and frees the saved tensors unless the graph is retained.
 * Step 2 is `backwardStep`, one tensor's turn: `runBackward` loops over it, and `backwardSteps`
 * (backward-steps.ts) runs the same steps one at a time for a learner to watch.
 */
import { AutogradError, ShapeError, fmtShape } from '../errors.js';
import { sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { onesLike } from '../tensor/creation.js';
import { checkOptions } from '../options.js';
import { asBackward, checkFinite, isAnomalyEnabled } from './anomaly.js';
import { withGradMode } from './grad-mode.js';
import { runHooks } from './hooks.js';
import { installMethods } from './install-methods.js';
import { sumToShape } from './functions/util.js';
import { refreshViewHistory } from './view-history.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * Reverse-mode autodiff from this tensor: accumulates ∂x/∂leaf into every leaf's `.grad`. `grad` (the
     * upstream gradient, shaped like x) may be omitted for a one-element x; `retainGraph` keeps the graph for a
     * second backward, `createGraph` records the backward itself for higher-order gradients. `loss.backward()`
     */
    backward(grad?: Tensor, opts?: { retainGraph?: boolean; createGraph?: boolean }): void;
  }
}

installMethods({
  backward(grad?: Tensor, opts?: { retainGraph?: boolean; createGraph?: boolean }) { backward(this, grad, opts); },
});

/** `t.backward(grad?, { retainGraph })`: accumulates ∂t/∂leaf into every leaf's `.grad` (runBackward below). */
function backward(t: Tensor, grad?: Tensor, opts: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
  checkOptions('backward', opts, ['retainGraph', 'createGraph']);
  if (grad !== undefined && grad !== null && !(grad instanceof Tensor)) {
    throw new TypeError('backward: the first argument is the upstream gradient (a Tensor); options such as { retainGraph } go second');
  }
  refreshViewHistory(t);
  assertDifferentiable(t, 'backward');
  const createGraph = opts.createGraph ?? false;
  runBackward([t], upstream([t], grad ? [grad] : undefined, 'backward'), { retainGraph: opts.retainGraph ?? createGraph, createGraph });
}

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

// guide:topological-order
/** Tensors in the graph below `roots`, each listed after every tensor computed from it. */
function topologicalOrder(roots: readonly Tensor[]): Tensor[] {
  // BEGIN SOLUTION m3 — topologicalOrder: every tensor of the graph below roots once, each after all the tensors computed from it (follow gradFn.inputVersion(i); iterative, no recursion — a 10,000-op chain must not overflow the stack)
  const postOrder: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: { tensor: Tensor; next: number }[] = [];
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    stack.push({ tensor: root, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const node = top.tensor.gradFn;
      if (node !== null && top.next < node.inputs.length) {
        const child = node.inputVersion(top.next++);
        if (child && !visited.has(child)) {
          visited.add(child);
          stack.push({ tensor: child, next: 0 });
        }
      } else {
        postOrder.push(top.tensor);
        stack.pop();
      }
    }
  }
  return postOrder.reverse();
  // END SOLUTION
}
// guide:end

let strictGradShapes = false;

/**
 * @internal Runs `fn` with strict gradient shapes (gradcheck's `strictGradShapes`): a backward
 * may return an input's gradient in the input's own shape, or in the op's output shape when the
 * input was broadcast into it (the engine then sums it down); any other shape — a gradient of a
 * broadcast, larger shape for an input that was not broadcast — is refused instead of summed down.
 */
export function withStrictGradShapes<T>(fn: () => T): T {
  const before = strictGradShapes;
  strictGradShapes = true;
  try {
    return fn();
  } finally {
    strictGradShapes = before;
  }
}

/**
 * Brings a gradient to its tensor's shape (undoing broadcasting) and dtype. `outputShape`, the
 * shape of the op's output, is given for the gradients a node's backward returned.
 */
function fitGradient(grad: Tensor, target: Tensor, nodeName: string, outputShape?: readonly number[], inputIndex = 0): Tensor {
  let g = grad;
  if (!sameShape(g.shape, target.shape)) {
    if (strictGradShapes && outputShape !== undefined && (sameShape(target.shape, outputShape) || !sameShape(g.shape, outputShape))) {
      throw new ShapeError(
        `${nodeName}: backward returned a gradient of shape ${fmtShape(g.shape)} for input ${inputIndex} of shape ${fmtShape(target.shape)} ` +
          `(output shape ${fmtShape(outputShape)}), and that input was not broadcast to this shape; strictGradShapes refuses to sum it down — ` +
          `return the gradient in the input's shape (sumToShape) or fix the backward`,
      );
    }
    try {
      g = sumToShape(g, target.shape);
    } catch {
      throw new ShapeError(`${nodeName}: returned a gradient of shape ${fmtShape(grad.shape)} for an input of shape ${fmtShape(target.shape)}`);
    }
  }
  return g.dtype === target.dtype ? g : g.to(target.dtype);
}

export interface BackwardOptions {
  retainGraph: boolean;
  createGraph: boolean;
}

/**
 * One backward pass in progress: the walk order, each tensor's running gradient total (the sum
 * of what the steps so far sent it), and where the finished gradients go. `runBackward` drives
 * it to the end in one loop; `backwardSteps` drives the same steps one at a time.
 */
export interface BackwardWalk {
  /** Every tensor below the roots, each after all the tensors computed from it. */
  readonly order: readonly Tensor[];
  /** The gradients received so far by tensors whose turn has not come yet. */
  readonly totals: Map<Tensor, Tensor>;
  /** Whether the graph is kept after the walk, and whether the walk records a graph of its own. */
  readonly options: BackwardOptions;
  /** The inputs `grad()` asked for (null: backward(), which fills `.grad` instead). */
  readonly wanted: ReadonlySet<Tensor> | null;
  /** The gradients of the asked-for inputs, as their turns come. */
  readonly results: Map<Tensor, Tensor>;
}

/** What one step sent to one forward argument (backwardSteps' record of a step). */
export interface SentGradient {
  /** The gradient, summed to the input's shape and cast to its dtype. */
  grad: Tensor;
  /** It was added onto a gradient the input had already received. */
  accumulated: boolean;
}

/** Starts a backward pass from `roots` with upstream gradients `rootGrads` (see runBackward). */
export function startBackward(
  roots: readonly Tensor[],
  rootGrads: readonly Tensor[],
  options: BackwardOptions,
  inputs?: readonly Tensor[],
): BackwardWalk {
  const totals = new Map<Tensor, Tensor>();
  roots.forEach((root, i) => {
    const g = fitGradient(rootGrads[i], root, 'backward');
    const prev = totals.get(root);
    totals.set(root, prev ? prev.add(g) : g);
  });
  return { order: topologicalOrder(roots), totals, options, wanted: inputs ? new Set(inputs) : null, results: new Map() };
}

// guide:engine-step
/**
 * Tensor t's turn in the walk. Every tensor computed from t came before it, so its gradient
 * total is complete: take it, run t's hooks on it, keep it (in `.grad` for a leaf, or for
 * `grad()`), then run the backward of the node that computed t and add the gradient it returns
 * for each input into that input's total — an input read twice gets both shares (chain rule:
 * ∂L/∂x is the sum over every path from x to L). Returns t's gradient, or undefined when no
 * gradient reached t. `sent`, when given, records what each input received (backwardSteps).
 * Grad mode must be the walk's createGraph (the caller sets it).
 */
export function backwardStep(walk: BackwardWalk, t: Tensor, sent?: (SentGradient | null)[]): Tensor | undefined {
  const { totals, options, wanted } = walk;
  let g = totals.get(t);
  if (g === undefined) return undefined;
  totals.delete(t);
  g = runHooks(t, g);
  if (wanted) {
    if (wanted.has(t)) walk.results.set(t, g);
  } else if (t.isLeaf || t.retainsGrad) {
    const stored: Tensor = options.createGraph ? g : g.detach();
    t.grad = t.grad === null ? stored : t.grad.add(stored);
    if (!options.createGraph) t.grad = t.grad.detach();
  }
  const node = t.gradFn;
  if (node === null) return g;
  const grads = isAnomalyEnabled() ? asBackward(() => node.backward(g)) : node.backward(g);
  grads.forEach((gi, i) => {
    const input = node.inputVersion(i);
    if (input === null || gi === null || gi === undefined) return;
    if (isAnomalyEnabled()) checkFinite(gi, node.name, node.creationSite);
    const fitted = fitGradient(gi, input, node.name, t.shape, i);
    const prev = totals.get(input);
    totals.set(input, prev ? prev.add(fitted) : fitted);
    if (sent !== undefined) sent[i] = { grad: fitted, accumulated: prev !== undefined };
  });
  return g;
}
// guide:end

/**
 * Ends a backward pass: frees the saved tensors unless the graph is retained, and returns the
 * gradients of the asked-for inputs (null where none reached them).
 */
export function finishBackward(walk: BackwardWalk, inputs?: readonly Tensor[]): (Tensor | null)[] {
  if (!walk.options.retainGraph) {
    for (const t of walk.order) t.gradFn?.ctx.release();
  }
  return inputs ? inputs.map((t) => walk.results.get(t) ?? null) : [];
}

// guide:engine-run
/**
 * Runs backward from `roots` (with upstream gradients `rootGrads`). With `inputs` given, returns
 * their gradients (null where none reached them) and leaves `.grad` alone, as `grad()` does;
 * without, accumulates into the `.grad` of every leaf that requires grad, as `backward()` does.
 */
export function runBackward(
  roots: readonly Tensor[],
  rootGrads: readonly Tensor[],
  options: BackwardOptions,
  inputs?: readonly Tensor[],
): (Tensor | null)[] {
  const walk = startBackward(roots, rootGrads, options, inputs);
  withGradMode(options.createGraph, () => {
    for (const t of walk.order) backwardStep(walk, t);
  });
  return finishBackward(walk, inputs);
}
// guide:end

/** Checks that backward can start from `t`. */
export function assertDifferentiable(t: Tensor, op: string): void {
  if (!t.requiresGrad) {
    throw new AutogradError(`${op}: the tensor (shape ${fmtShape(t.shape)}) does not require grad and has no gradFn; nothing to differentiate`);
  }
}
