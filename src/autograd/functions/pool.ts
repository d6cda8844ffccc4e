/**
 * 2-d pooling as Functions over the pooling kernels (src/kernels/pool2d-*.ts), on contiguous
 * NCHW input of one float dtype.
 *
 * Max pooling routes each window's gradient to its winner; the backward is written as a
 * scatter-add of g onto the argmax positions (a tensor op), so it is itself differentiable.
 * Average pooling is linear, y = A·x; its backward y ↦ Aᵀ·g is the Function AvgPool2dAdjoint,
 * whose own backward is A again. Max unpooling places each value at its index, so its backward
 * gathers the gradient back from those indices (a tensor op, differentiable too).
 */
import type { MaxPool2dSpec } from '../../kernels/pool2d-max.js';
import { currentBackend } from '../../kernels/registry.js';
import type { Pool2dSpec } from '../../kernels/pool2d.js';
import type { FloatArray } from '../../kernels/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { gather, scatterAdd } from './indexing.js';
import { newTensor } from './util.js';

type MaxCtx = ContextWith<{ spec: MaxPool2dSpec; inputShape: readonly number[] }>;

/** Receives the winners' plane-flat indices [N, C, outH, outW] (int32), for `returnIndices`. */
export type IndicesSink = (indices: Tensor) => void;

export class MaxPool2d extends Function {
  static override forward(ctx: MaxCtx, x: Tensor, spec: MaxPool2dSpec, onIndices?: IndicesSink): Tensor {
    const out = newTensor([spec.batch, spec.channels, spec.outH, spec.outW], x.dtype);
    const argmax = new Int32Array(out.size);
    currentBackend().maxPool2d(x.data() as FloatArray, out.storage as FloatArray, argmax, spec);
    ctx.spec = spec;
    ctx.inputShape = x.shape;
    ctx.saveForBackward(new Tensor(argmax, [spec.batch * spec.channels, spec.outH * spec.outW]));
    onIndices?.(new Tensor(argmax.slice(), out.shape));
    return out;
  }
  // ∂y[w]/∂x[p] = 1 if p is window w's winner, else 0:  gradX[argmax[w]] += g[w]
  static override backward(ctx: MaxCtx, g: Tensor): (Tensor | null)[] {
    const [argmax] = ctx.savedTensors;
    const s = ctx.spec;
    const planes = newTensor([s.batch * s.channels, s.inH * s.inW], g.dtype);
    const gradX = scatterAdd(planes, 1, argmax, g.reshape(argmax.shape));
    return [gradX.reshape(ctx.inputShape), null, null];
  }
}

type UnpoolCtx = ContextWith<{ inputShape: readonly number[] }>;

/** Max unpooling: each value of x written at its plane-flat index of a zero [N, C, outH, outW]. */
export class MaxUnpool2d extends Function {
  /** x, indices [N, C, H, W] (indices contiguous int32) → [N, C, outH, outW]. */
  static override forward(ctx: UnpoolCtx, x: Tensor, indices: Tensor, outH: number, outW: number): Tensor {
    const [batch, channels, inH, inW] = x.shape;
    const out = newTensor([batch, channels, outH, outW], x.dtype);
    currentBackend().maxUnpool2d(x.data(), indices.data() as Int32Array, out.storage, batch * channels, inH * inW, outH * outW);
    ctx.inputShape = x.shape;
    ctx.saveForBackward(indices.reshape([batch * channels, inH * inW]));
    return out;
  }
  // y[idx[k]] = x[k]  ⇒  ∂L/∂x[k] = g[idx[k]]
  static override backward(ctx: UnpoolCtx, g: Tensor): (Tensor | null)[] {
    const [indices] = ctx.savedTensors;
    const planes = g.reshape([indices.shape[0], -1]);
    return [gather(planes, 1, indices).reshape(ctx.inputShape), null, null, null];
  }
}

type AvgCtx = ContextWith<{ spec: Pool2dSpec; countIncludePad: boolean }>;

export class AvgPool2d extends Function {
  static override forward(ctx: AvgCtx, x: Tensor, spec: Pool2dSpec, countIncludePad: boolean): Tensor {
    ctx.spec = spec;
    ctx.countIncludePad = countIncludePad;
    const out = newTensor([spec.batch, spec.channels, spec.outH, spec.outW], x.dtype);
    currentBackend().avgPool2d(x.data() as FloatArray, out.storage as FloatArray, spec, countIncludePad);
    return out;
  }
  // y = A·x (each y the mean of its window)  ⇒  ∂L/∂x = Aᵀ·g
  static override backward(ctx: AvgCtx, g: Tensor): (Tensor | null)[] {
    return [AvgPool2dAdjoint.apply(g, ctx.spec, ctx.countIncludePad), null, null];
  }
}

export class AvgPool2dAdjoint extends Function {
  static override forward(ctx: AvgCtx, g: Tensor, spec: Pool2dSpec, countIncludePad: boolean): Tensor {
    ctx.spec = spec;
    ctx.countIncludePad = countIncludePad;
    const out = newTensor([spec.batch, spec.channels, spec.inH, spec.inW], g.dtype);
    currentBackend().avgPool2dBackward(g.data() as FloatArray, out.storage as FloatArray, spec, countIncludePad);
    return out;
  }
  // z = Aᵀ·g is linear in g  ⇒  ∂L/∂g = A·h
  static override backward(ctx: AvgCtx, h: Tensor): (Tensor | null)[] {
    return [AvgPool2d.apply(h, ctx.spec, ctx.countIncludePad), null, null];
  }
}
