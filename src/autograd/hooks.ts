/**
 * Running a tensor's gradient hooks during backward. A hook may return a replacement gradient;
 * it must be a tensor of the gradient's shape and dtype (PyTorch: "hook changed the size of
 * value"), or nothing to keep the gradient. Anything else would be stored as `.grad` or flow on
 * into the graph and fail far from its cause (a `[2]` leaf ending with a `[5]` gradient).
 */
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Passes `grad` through each of `t`'s hooks in registration order and returns the result;
 * throws TypeError, ShapeError or DTypeError naming `registerHook` when a hook returns a
 * non-tensor, or a tensor of another shape or dtype.
 */
export function runHooks(t: Tensor, grad: Tensor): Tensor {
  let g = grad;
  t.hooks.forEach((hook, i) => {
    const out: unknown = hook(g);
    if (out === undefined || out === null) return;
    if (!(out instanceof Tensor)) {
      throw new TypeError(`registerHook: hook ${i} returned ${typeof out}; a hook returns a Tensor (the new gradient) or nothing`);
    }
    if (!sameShape(out.shape, g.shape)) {
      throw new ShapeError(`registerHook: hook ${i} changed the size of the gradient from ${fmtShape(g.shape)} to ${fmtShape(out.shape)}`);
    }
    if (out.dtype !== g.dtype) {
      throw new DTypeError(`registerHook: hook ${i} changed the dtype of the gradient from ${g.dtype} to ${out.dtype}`);
    }
    g = out;
  });
  return g;
}
