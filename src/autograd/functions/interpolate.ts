/**
 * Resampling (nearest or bilinear interpolation) as Functions over the kernels in
 * src/kernels/interpolate.ts, on contiguous [N, C, H, W] input. For fixed taps the resampling is
 * linear, y = R·x, so
 *   ∂L/∂x = Rᵀ·g          (Interpolate2dAdjoint: each output's gradient goes back to its taps)
 * and the adjoint's own backward is R again, which makes second derivatives exact.
 */
import type { AxisTaps } from '../../kernels/interpolate.js';
import { currentBackend } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { newTensor } from './util.js';

type InterpCtx = ContextWith<{ h: AxisTaps; w: AxisTaps }>;

/** Resampling y = R·x of x [N, C, H, W] by the taps of each axis. */
export class Interpolate2d extends Function {
  static override forward(ctx: InterpCtx, x: Tensor, h: AxisTaps, w: AxisTaps): Tensor {
    Object.assign(ctx, { h, w });
    const [batch, channels] = x.shape;
    const out = newTensor([batch, channels, h.index0.length, w.index0.length], x.dtype);
    currentBackend().interpolate2d(x.data(), out.storage, batch * channels, h, w);
    return out;
  }
  // y = R·x  ⇒  ∂L/∂x = Rᵀ·g
  static override backward(ctx: InterpCtx, g: Tensor): (Tensor | null)[] {
    return [Interpolate2dAdjoint.apply(g.contiguous(), ctx.h, ctx.w), null, null];
  }
}

/** The adjoint z = Rᵀ·g of Interpolate2d, from g [N, C, outH, outW] back to [N, C, inH, inW]. */
export class Interpolate2dAdjoint extends Function {
  static override forward(ctx: InterpCtx, g: Tensor, h: AxisTaps, w: AxisTaps): Tensor {
    Object.assign(ctx, { h, w });
    const [batch, channels] = g.shape;
    const out = newTensor([batch, channels, h.inSize, w.inSize], g.dtype);
    currentBackend().interpolate2dBackward(g.data(), out.storage, batch * channels, h, w);
    return out;
  }
  // z = Rᵀ·g is linear in g  ⇒  ∂L/∂g = R·u
  static override backward(ctx: InterpCtx, u: Tensor): (Tensor | null)[] {
    return [Interpolate2d.apply(u.contiguous(), ctx.h, ctx.w), null, null];
  }
}
