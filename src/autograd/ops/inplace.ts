/**
 * In-place ops (PyTorch's trailing underscore): they overwrite the tensor's elements (through
 * a view they reach its base), bump its version counter and return the tensor itself.
 *
 * They are not recorded in the graph. While grad mode is on, they refuse a tensor that requires
 * grad (a leaf's value would silently change under its gradient) and an operand that requires
 * grad (its gradient would be lost); inside `noGrad`, as optimizers run, they are free. A saved
 * tensor changed in place is caught by the version check when backward reaches it.
 */
import { AutogradError, ShapeError, fmtShape } from '../../errors.js';
import { stridedWrite } from '../../kernels/strided.js';
import { broadcastShapes, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { isGradEnabled, noGrad } from '../grad-mode.js';
import { dataAs, type Operand } from '../functions/util.js';
import { add, clamp, div, mul, sub } from './elementwise.js';
import { expand } from './shape.js';

/** Overwrites t with `compute()` (broadcast to t's shape), after every check has passed. */
function assign(t: Tensor, op: string, operands: readonly Operand[], compute: () => Tensor): Tensor {
  if (isGradEnabled()) {
    if (t.requiresGrad) {
      throw new AutogradError(
        t.isLeaf
          ? `${op}: a leaf tensor that requires grad (shape ${fmtShape(t.shape)}) cannot be changed in place while grad mode is on; wrap the update in noGrad(() => …)`
          : `${op}: in-place changes to a tensor that is part of the graph (made by ${t.gradFn?.name}) are not recorded; use the out-of-place op`,
      );
    }
    if (operands.some((x) => x instanceof Tensor && x.requiresGrad)) {
      throw new AutogradError(`${op}: an operand requires grad, but in-place ops are not recorded in the graph; use the out-of-place op`);
    }
  }
  // A tensor without elements has none to share (its strides may be 0, as Linear(0, 3)'s weight's).
  if (t.size > 0 && t.shape.some((s, i) => s > 1 && t.strides[i] === 0)) {
    throw new ShapeError(`${op}: the tensor of shape ${fmtShape(t.shape)} is an expanded view where several elements share one memory location; clone() it first`);
  }
  const result = noGrad(compute);
  if (!sameShape(broadcastShapes(result.shape, t.shape, op), t.shape)) {
    throw new ShapeError(`${op}: the result of shape ${fmtShape(result.shape)} does not fit the tensor's shape ${fmtShape(t.shape)}`);
  }
  const full = sameShape(result.shape, t.shape) ? result : noGrad(() => expand(result, [...t.shape]));
  stridedWrite(dataAs(full, t.dtype), t.storage, t.shape, t.strides, t.offset);
  t.version.value++;
  return t;
}

/** t += x. */
export function add_(t: Tensor, x: Operand): Tensor {
  return assign(t, 'add_', [x], () => add(t, x));
}
/** t −= x. */
export function sub_(t: Tensor, x: Operand): Tensor {
  return assign(t, 'sub_', [x], () => sub(t, x));
}
/** t ·= x. */
export function mul_(t: Tensor, x: Operand): Tensor {
  return assign(t, 'mul_', [x], () => mul(t, x));
}
/** t /= x. */
export function div_(t: Tensor, x: Operand): Tensor {
  return assign(t, 'div_', [x], () => div(t, x));
}
/** Clamps t into [min, max] in place. */
export function clamp_(t: Tensor, min?: number | null, max?: number | null): Tensor {
  return assign(t, 'clamp_', [], () => clamp(t, min, max));
}
/** Sets every element of t to `value`. */
export function fill_(t: Tensor, value: number): Tensor {
  return assign(t, 'fill_', [], () => new Tensor(Float64Array.of(value), []));
}
/** Sets every element of t to 0. */
export function zero_(t: Tensor): Tensor {
  return fill_(t, 0);
}
/** Copies src (broadcast to t's shape, cast to t's dtype) into t. */
export function copy_(t: Tensor, src: Tensor): Tensor {
  return assign(t, 'copy_', [src], () => src);
}
