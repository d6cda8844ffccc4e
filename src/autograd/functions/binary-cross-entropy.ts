/**
 * Binary cross-entropy on probabilities, elementwise:
 *   ℓ = −[t·log x + (1 − t)·log(1 − x)],  each log clamped to ≥ −100 (PyTorch's rule, so
 *   x = 0 or 1 gives a large finite loss instead of ∞).
 * It is a Function because the composed form would differentiate log at 0 (∞·0 = NaN); the
 * backward uses PyTorch's guarded derivative instead.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { Context } from '../../tensor/graph-node.js';

/** log(v) clamped to ≥ −100. */
function clampedLog(v: Tensor): Tensor {
  return v.log().clamp(-100, null);
}

export class BinaryCrossEntropy extends Function {
  static override forward(ctx: Context, x: Tensor, t: Tensor): Tensor {
    ctx.saveForBackward(x, t);
    return t.mul(clampedLog(x)).add(t.neg().add(1).mul(clampedLog(x.neg().add(1)))).neg();
  }
  // ∂ℓ/∂x = (x − t) / (x·(1 − x)), the denominator kept ≥ 1e-12;
  // ∂ℓ/∂t = log(1 − x) − log x (clamped logs).
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    const [x, t] = ctx.savedTensors;
    const gx = ctx.needsInputGrad[0] ? g.mul(x.sub(t)).div(x.mul(x.neg().add(1)).clamp(1e-12, null)) : null;
    const gt = ctx.needsInputGrad[1] ? g.mul(clampedLog(x.neg().add(1)).sub(clampedLog(x))) : null;
    return [gx, gt];
  }
}
