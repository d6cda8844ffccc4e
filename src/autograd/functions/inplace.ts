/**
 * In-place ops (PyTorch's trailing underscore): they overwrite the tensor's elements (through
 * a view they reach its base), bump its version counter and return the tensor itself.
 *
 * In the graph they are recorded as PyTorch records them. The new value r = f(old value,
 * operands) is computed by the out-of-place op, with its usual node, and written over the
 * elements; that node becomes the tensor's gradFn. The old gradFn stays behind for the version
 * it computed: an op that read the tensor before the change still sends its gradient there.
 * A backward that needs a tensor saved before the change fails, naming the op (the version
 * check). Where the op's own backward reads the old value (mul_ or div_ by a tensor that needs a
 * gradient, clamp_), a copy of it is kept; nothing is copied otherwise.
 *
 * Through a view of a tensor in the graph, the base's history is rewritten too
 * (view-history.ts): base ← CopySlices(base_old, r), view ← AsStrided(base).
 *
 * With grad mode on, as in PyTorch, a leaf that requires grad and any view of one are refused
 * (their value would change under their gradient), and so is a view made inside noGrad (it has
 * no history to rewrite). Inside `noGrad`, as optimizers run, nothing is recorded and every
 * in-place op is allowed.
 *
 * First the two Functions of the in-place ops that overwrite a tensor without reading it:
 * `copy_` and `fill_`/`zero_`. The old value is gone, so its gradient is zero; `copy_`'s source
 * gets the gradient, summed back over the dims it was broadcast along. Then the recording
 * machinery, and each in-place op with its Tensor method (`x.add_(1)`).
 */
import { AutogradError, DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { currentBackend } from '../../kernels/registry.js';
import { allocate, isFloating, type DType } from '../../kernels/dtype.js';
import { broadcastShapes, broadcastStrides, contiguousStrides, sameShape, shapeSize } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { zerosLike } from '../../tensor/creation.js';
import { Function } from '../function.js';
import { isGradEnabled, noGrad } from '../grad-mode.js';
import { nextNodeSerial, type ContextWith, type Node } from '../../tensor/graph-node.js';
import { currentVersion, rebaseThroughView, refreshViewHistory, replaceHistory, viewPositions } from '../view-history.js';
import { installMethods } from '../install-methods.js';
import { dataAs, type Operand } from './util.js';
import { add, div, mul, sub } from './binary.js';
import { clamp, relu } from './unary.js';
import { maskedFill } from './indexing.js';
import { clone, expand } from './shape.js';

type CopyCtx = ContextWith<{ srcDtype: DType }>;

/** `self.copy_(src)` as a value: src broadcast to self's shape, in self's dtype. */
class Copy extends Function {
  static override forward(ctx: CopyCtx, self: Tensor, src: Tensor): Tensor {
    ctx.srcDtype = src.dtype;
    // src's values in self's dtype, read through broadcast strides into a contiguous copy.
    const strides = broadcastStrides(src.shape, contiguousStrides(src.shape), self.shape);
    const broadcast = new Tensor(dataAs(src, self.dtype), self.shape, { strides, dtype: self.dtype });
    return new Tensor(broadcast.toTypedArray(), self.shape, { dtype: self.dtype });
  }
  // ∂/∂self = 0 (overwritten),  ∂/∂src = 1 (the engine sums it back over broadcast dims)
  static override backward(ctx: CopyCtx, g: Tensor): (Tensor | null)[] {
    return [ctx.needsInputGrad[0] ? zerosLike(g) : null, ctx.needsInputGrad[1] ? g.to(ctx.srcDtype) : null];
  }
}

/** `self.fill_(value)` as a value: self's shape and dtype, every element `value`. */
class Fill extends Function {
  static override forward(_ctx: ContextWith<object>, self: Tensor, value: number): Tensor {
    const out = allocate(self.dtype, shapeSize(self.shape));
    out.fill(value);
    return new Tensor(out, self.shape, { dtype: self.dtype });
  }
  // ∂/∂self = 0: every element was overwritten by a constant.
  static override backward(_ctx: ContextWith<object>, g: Tensor): (Tensor | null)[] {
    return [zerosLike(g), null];
  }
}

// ── Recording an in-place change ───────────────────────────────────────────────────────────

/** Throws unless writing a value of `shape` into t's elements (broadcast) is possible. */
function checkFits(t: Tensor, op: string, shape: readonly number[]): void {
  if (!sameShape(broadcastShapes(shape, t.shape, op), t.shape)) {
    throw new ShapeError(`${op}: the result of shape ${fmtShape(shape)} does not fit the tensor's shape ${fmtShape(t.shape)}`);
  }
}

/** Writes `values` (t's shape, or broadcast to it) over t's elements and bumps its version. */
function write(t: Tensor, values: Tensor): void {
  const full = sameShape(values.shape, t.shape) ? values : noGrad(() => expand(values, [...t.shape]));
  currentBackend().stridedWrite(dataAs(full, t.dtype), t.storage, t.shape, t.strides, t.offset);
  t.version.value++;
}

/** Does this change have to be recorded: grad mode on, and t, its base or an operand in the graph? */
function needsRecording(t: Tensor, operands: readonly Operand[]): boolean {
  if (!isGradEnabled()) return false;
  if (t.requiresGrad || t.viewRecord?.base.requiresGrad) return true;
  return operands.some((x) => x instanceof Tensor && x.requiresGrad);
}

/** The refusals of a recorded in-place change, each before anything has changed. */
function checkRecordable(t: Tensor, op: string): void {
  if (t.isLeaf && t.requiresGrad) {
    throw new AutogradError(
      `${op}: a leaf tensor that requires grad (shape ${fmtShape(t.shape)}) is being used in an in-place operation with grad mode on; wrap the update in noGrad(() => …), or change a clone()`,
    );
  }
  const view = t.viewRecord;
  if (view !== null && view.base.isLeaf && view.base.requiresGrad) {
    throw new AutogradError(
      `${op}: a view (shape ${fmtShape(t.shape)}) of a leaf tensor that requires grad (shape ${fmtShape(view.base.shape)}) is being used in an in-place operation with grad mode on; wrap the update in noGrad(() => …), or change a clone()`,
    );
  }
  if (view !== null && !view.recorded) {
    throw new AutogradError(
      `${op}: the view (shape ${fmtShape(t.shape)}) was made inside noGrad, so it has no history to record an in-place change on; make the view with grad mode on, or change it inside noGrad`,
    );
  }
  if (!isFloating(t.dtype)) {
    throw new DTypeError(`${op}: the result needs a gradient, but it would be written into a ${t.dtype} tensor (shape ${fmtShape(t.shape)}), which cannot carry one`);
  }
}

/**
 * Where the nodes recorded since `firstSerial` below r saved a tensor over t's elements (the old
 * value, about to be overwritten), a copy is saved instead. A copy of a tensor in the graph is a
 * recorded clone, so gradients of gradients still reach it.
 */
function keepOldValues(r: Tensor, t: Tensor, firstSerial: number): void {
  const stack: Node[] = r.gradFn ? [r.gradFn] : [];
  const seen = new Set<Node>();
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (seen.has(node) || node.serial < firstSerial) continue;
    seen.add(node);
    node.ctx.replaceSavedSharing(t.version, clone);
    for (const input of node.inputNodes) if (input !== null) stack.push(input);
  }
}

/**
 * Overwrites t with `compute(old)`: unrecorded when nothing is in the graph, else recorded as
 * described at the top of this file. Every check runs before anything changes.
 */
function inPlace(t: Tensor, op: string, operands: readonly Operand[], compute: (old: Tensor) => Tensor): Tensor {
  if (t.size > 0 && t.shape.some((s, i) => s > 1 && t.strides[i] === 0)) {
    throw new ShapeError(`${op}: the tensor of shape ${fmtShape(t.shape)} is an expanded view where several elements share one memory location; clone() it first`);
  }
  if (!needsRecording(t, operands)) {
    const result = noGrad(() => compute(t));
    checkFits(t, op, result.shape);
    write(t, result);
    return t;
  }
  checkRecordable(t, op);
  refreshViewHistory(t);
  const view = t.viewRecord;
  const positions = view === null ? null : viewPositions(t, op);
  const firstSerial = nextNodeSerial();
  const old = currentVersion(t);
  let r = compute(old);
  // r is computed from old, so its shape is t's unless an operand broadcast it wider.
  checkFits(t, op, r.shape);
  keepOldValues(r, t, firstSerial);
  if (r.dtype !== t.dtype) r = r.to(t.dtype);
  write(t, r);
  if (view === null || positions === null) replaceHistory(t, r.gradFn, old, true);
  else rebaseThroughView(t, r, positions, currentVersion(view.base), old);
  return t;
}

/** t += x (x broadcast to t's shape). `a.mul(b).add_(1)` is recorded like `a.mul(b).add(1)`. */
function add_(t: Tensor, x: Operand): Tensor {
  return inPlace(t, 'add_', [x], (old) => add(old, x));
}
/** t −= x (x broadcast to t's shape). */
function sub_(t: Tensor, x: Operand): Tensor {
  return inPlace(t, 'sub_', [x], (old) => sub(old, x));
}
/** t ·= x (x broadcast to t's shape); when x needs a gradient, a copy of t's old value is kept for it. */
function mul_(t: Tensor, x: Operand): Tensor {
  return inPlace(t, 'mul_', [x], (old) => mul(old, x));
}
/** t /= x (x broadcast to t's shape); when x needs a gradient, a copy of t's old value is kept for it. */
function div_(t: Tensor, x: Operand): Tensor {
  return inPlace(t, 'div_', [x], (old) => div(old, x));
}
/** Clamps t into [min, max] in place (either bound may be null). */
function clamp_(t: Tensor, min?: number | null, max?: number | null): Tensor {
  return inPlace(t, 'clamp_', [], (old) => clamp(old, min, max));
}
/** max(t, 0) in place: `x.relu_()`. */
function relu_(t: Tensor): Tensor {
  return inPlace(t, 'relu_', [], (old) => relu(old));
}
/** Sets t to `value` where `mask` (bool, broadcast to t's shape) is true: `x.maskedFill_(x.lt(0), 0)`. */
function maskedFill_(t: Tensor, mask: Tensor, value: number): Tensor {
  return inPlace(t, 'maskedFill_', [mask], (old) => maskedFill(old, mask, value));
}
/** Sets every element of t to `value`; in the graph, t's old value gets a zero gradient. */
function fill_(t: Tensor, value: number): Tensor {
  return inPlace(t, 'fill_', [], (old) => (isGradEnabled() ? Fill.apply(old, value) : new Tensor(Float64Array.of(value), [])));
}
/** Sets every element of t to 0. */
function zero_(t: Tensor): Tensor {
  return fill_(t, 0);
}
/** Copies src (broadcast to t's shape, cast to t's dtype) into t; in the graph, src gets the gradient. */
function copy_(t: Tensor, src: Tensor): Tensor {
  checkFits(t, 'copy_', src.shape);
  return inPlace(t, 'copy_', [src], (old) => (isGradEnabled() ? Copy.apply(old, src) : src));
}

// ── Tensor methods ─────────────────────────────────────────────────────────────────────────

declare module '../../tensor/tensor.js' {
  interface Tensor {
    /**
     * In place: x += other (broadcast to x's shape); returns x. In the graph it is recorded as PyTorch
     * records it (x gets a new gradFn and version); refused on a leaf that requires grad while grad
     * mode is on (wrap optimizer-style updates in `noGrad`).
     */
    add_(other: Operand): this;
    /**
     * In place: x −= other (broadcast to x's shape); returns x. In the graph it is recorded as PyTorch
     * records it (x gets a new gradFn and version); refused on a leaf that requires grad while grad
     * mode is on (wrap optimizer-style updates in `noGrad`).
     */
    sub_(other: Operand): this;
    /**
     * In place: x ·= other (broadcast to x's shape); returns x. In the graph it is recorded as PyTorch
     * records it (x gets a new gradFn and version); refused on a leaf that requires grad while grad
     * mode is on (wrap optimizer-style updates in `noGrad`).
     */
    mul_(other: Operand): this;
    /**
     * In place: x /= other (broadcast to x's shape); returns x. In the graph it is recorded as PyTorch
     * records it (x gets a new gradFn and version); refused on a leaf that requires grad while grad
     * mode is on (wrap optimizer-style updates in `noGrad`).
     */
    div_(other: Operand): this;
    /** In place: clamps x into [min, max] (either bound may be null/undefined); returns x. */
    clamp_(min?: number | null, max?: number | null): this;
    /** In place: max(x, 0); returns x (recorded in the graph like the other in-place ops). */
    relu_(): this;
    /** In place: sets the elements where the bool `mask` (broadcast to x's shape) is true to `value`; returns x. */
    maskedFill_(mask: Tensor, value: number): this;
    /** In place: sets every element to `value`; returns x. `noGrad(() => bias.fill_(0.1))` */
    fill_(value: number): this;
    /** In place: sets every element to 0; returns x. `p.grad?.zero_()` */
    zero_(): this;
    /** In place: copies `src` (broadcast to x's shape, cast to x's dtype) into x; returns x. */
    copy_(src: Tensor): this;
  }
}

installMethods({
  add_(other: Operand) { return add_(this, other); },
  sub_(other: Operand) { return sub_(this, other); },
  mul_(other: Operand) { return mul_(this, other); },
  div_(other: Operand) { return div_(this, other); },
  clamp_(min?: number | null, max?: number | null) { return clamp_(this, min, max); },
  relu_() { return relu_(this); },
  maskedFill_(mask: Tensor, value: number) { return maskedFill_(this, mask, value); },
  fill_(value: number) { return fill_(this, value); },
  zero_() { return zero_(this); },
  copy_(src: Tensor) { return copy_(this, src); },
});
