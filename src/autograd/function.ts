/**
 * `Function`: a differentiable op, PyTorch's protocol. A subclass defines
 *
 *   static forward(ctx, ...args): Tensor        — computes the output (grad mode is off inside)
 *   static backward(ctx, gradOutput): grads     — one gradient (or null) per forward argument
 *
 * and is called as `MyOp.apply(...args)`. `apply` runs forward, and when grad mode is on and an
 * input requires grad, attaches a graph `Node` to the output so backward can reach the inputs.
 *
 * Backward is written with tensor ops; under `grad(..., { createGraph: true })` those ops are
 * recorded too, which is how gradients of gradients work. A gradient may come back in a
 * broadcast shape: the engine sums it down to its input's shape (`sumToShape`).
 */
import { AutogradError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { isFloating } from '../kernels/dtype.js';
import { checkFinite, isAnomalyEnabled, shouldCheckOpOutputs } from './anomaly.js';
import { isGradEnabled, withGradMode } from './grad-mode.js';
import { Context, Node } from '../tensor/graph-node.js';
import { refreshViewHistory } from './view-history.js';

/** The arguments of an op class's forward, after the context. */
export type ForwardArgs<F> = F extends { forward(ctx: never, ...args: infer A): Tensor } ? A : never;

/** Base class of differentiable ops: define static `forward` and `backward`, call `apply`. */
export class Function {
  /** Computes the op's output. Subclasses must define it. */
  static forward(_ctx: Context, ..._args: never[]): Tensor {
    throw new AutogradError(`${this.name}.forward: a Function subclass must define static forward(ctx, ...args)`);
  }

  /** Returns one gradient per forward argument (null where none is needed). Subclasses must define it. */
  static backward(_ctx: Context, _grad: Tensor): Tensor | null | (Tensor | null)[] {
    throw new AutogradError(`${this.name}.backward: a Function subclass must define static backward(ctx, grad)`);
  }

  /** Runs the op on `args`, recording it in the graph when an input requires grad. */
  static apply<F extends typeof Function>(this: F, ...args: ForwardArgs<F>): Tensor {
    const recording = isGradEnabled();
    const list = args as unknown[];
    // A view whose base was changed in place since its gradFn was set gets an up-to-date one.
    for (const a of list) if (a instanceof Tensor && a.viewRecord !== null) refreshViewHistory(a);
    const needsInputGrad = list.map((a) => recording && a instanceof Tensor && a.requiresGrad);
    const ctx = new Context(needsInputGrad);
    const forward = this.forward as (ctx: Context, ...rest: unknown[]) => Tensor;
    // Forward's own ops are not recorded: grad mode goes off around it (it already is off in
    // noGrad and in backward passes, which then skip the switch).
    // Under a trace (observeApplies), the depth tells this call's own ops from outermost ones.
    const observer = applyObserver;
    if (observer !== null) applyDepth++;
    let out: Tensor;
    try {
      out = recording ? withGradMode(false, () => forward.call(this, ctx, ...list)) : forward.call(this, ctx, ...list);
    } finally {
      if (observer !== null) applyDepth--;
    }
    // An op may hand back one of its inputs unchanged (a reshape to the same shape); the output
    // must still be a tensor of its own, or labelling it would relabel the input.
    if (list.includes(out)) out = alias(out);
    markView(out, list, recording);
    if (shouldCheckOpOutputs()) checkFinite(out, this.name);
    if (observer !== null && applyDepth === 0) observer({ op: this, args: list, output: out, ctx });
    if (needsInputGrad.some(Boolean)) {
      if (!isFloating(out.dtype)) {
        throw new AutogradError(`${this.name}: forward returned a ${out.dtype} tensor from inputs that require grad; only float outputs can carry gradients`);
      }
      const inputs = list.map((a, i) => (needsInputGrad[i] ? (a as Tensor) : null));
      const site = isAnomalyEnabled() ? new Error().stack : undefined;
      out.gradFn = new Node(this, ctx, inputs, list, site);
      out.requiresGrad = true;
    }
    return out;
  }
}

/**
 * @internal One call of an op's `apply` as a tracer sees it: the op class, every argument as
 * passed (tensors that need no gradient and plain values included, which the graph's Node does
 * not keep), the output and the context.
 */
export interface AppliedOp {
  /**
   * The op class, e.g. `Mul` (its graph node is `MulBackward`); for an op without gradient
   * reported by `reportUntrackedOp`, an object carrying its name (`Gt`, `Cast`).
   */
  readonly op: { readonly name: string };
  /** The forward arguments after the context, as passed to `apply`. */
  readonly args: readonly unknown[];
  /** The tensor `apply` returned. */
  readonly output: Tensor;
  /** The op's context, with what its forward saved (null for an untracked op). */
  readonly ctx: Context | null;
}

let applyObserver: ((call: AppliedOp) => void) | null = null;
/** How many applies are running their forward now: ops called inside another op's forward are its details. */
let applyDepth = 0;

/**
 * @internal The tracing hook (used by the ONNX exporter): runs `fn` with every outermost op
 * call reported to `observer` after it ran — whether or not grad mode is on or an input
 * requires grad. Ops an op's forward calls itself are not reported. Hooks do not nest.
 */
export function observeApplies<T>(observer: (call: AppliedOp) => void, fn: () => T): T {
  if (applyObserver !== null) throw new AutogradError('observeApplies: a trace is already running; traces do not nest');
  applyObserver = observer;
  try {
    return fn();
  } finally {
    applyObserver = null;
  }
}

/**
 * @internal For ops that are not Functions because they have no gradient (comparisons, logical
 * ops, casts to or from int32/bool): reports one call to a running trace, as `apply` reports a Function's,
 * so a mask computed from a model input stays part of the traced graph. A no-op outside traces.
 */
export function reportUntrackedOp(name: string, args: readonly unknown[], output: Tensor): void {
  if (applyObserver !== null && applyDepth === 0) applyObserver({ op: { name }, args, output, ctx: null });
}

/**
 * An output that shares an input's elements is a view of it: it remembers the input's base, so
 * an in-place change through it (or to the base) can rewrite both histories (view-history.ts).
 */
function markView(out: Tensor, args: readonly unknown[], recording: boolean): void {
  for (const a of args) {
    if (a instanceof Tensor && a.storage === out.storage) {
      const base = a.viewRecord?.base ?? a;
      out.viewRecord = { base, recorded: recording, baseGradFn: base.gradFn };
      return;
    }
  }
}

/** A new tensor object over the same elements (shares storage and version counter). */
export function alias(t: Tensor): Tensor {
  return new Tensor(t.storage, t.shape, { strides: t.strides, offset: t.offset, dtype: t.dtype, version: t.version });
}
