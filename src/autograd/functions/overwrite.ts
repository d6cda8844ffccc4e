/**
 * The records of the in-place ops that overwrite a tensor without reading it: `copy_` and
 * `fill_`/`zero_`. The old value is gone, so its gradient is zero; `copy_`'s source gets the
 * gradient, summed back over the dims it was broadcast along.
 */
import { allocate, type DType } from '../../kernels/dtype.js';
import { broadcastStrides, contiguousStrides, shapeSize } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { zerosLike } from '../../tensor/creation.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { dataAs } from './util.js';

type CopyCtx = ContextWith<{ srcDtype: DType }>;

/** `self.copy_(src)` as a value: src broadcast to self's shape, in self's dtype. */
export class Copy extends Function {
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
export class Fill extends Function {
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
