/**
 * 2-d convolution as three Functions, each the adjoint of the others, so gradients of any order
 * are again convolutions. With C(x, w) the convolution (cross-correlation) of x by w,
 *
 *   Conv2d:           y  = C(x, w)
 *   Conv2dInputGrad:  gx = Cₓᵀ(g, w)   the transposed convolution (also ConvTranspose2d's forward)
 *   Conv2dWeightGrad: gw = C_wᵀ(x, g)  the correlation of x with g
 *
 * C is bilinear, so ⟨C(x, w), g⟩ = ⟨x, Cₓᵀ(g, w)⟩ = ⟨w, C_wᵀ(x, g)⟩. Differentiating that one
 * scalar in each argument gives every backward below. The products come from the current
 * backend (`currentBackend()`), so a gpu.js backend serves them too. Empty operands give zeros.
 */
import type { Conv2dSpec } from '../../kernels/backend.js';
import { currentBackend } from '../../kernels/registry.js';
import { promoteTypes, type DType, type FloatArray } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { dataAs, newTensor } from './util.js';

/** Stride, top/left padding, dilation and groups of a 2-d convolution (bottom/right padding follow from the sizes). */
export interface Conv2dGeometry {
  stride: readonly [number, number];
  padding: readonly [number, number];
  dilation: readonly [number, number];
  groups: number;
}

/** The kernel spec for input x [N, Cin, H, W], weight [Cout, Cin/groups, kH, kW] and output size [outH, outW]. */
function specOf(xShape: readonly number[], wShape: readonly number[], outSize: readonly number[], geom: Conv2dGeometry): Conv2dSpec {
  return {
    batch: xShape[0], inChannels: xShape[1], inH: xShape[2], inW: xShape[3],
    outChannels: wShape[0], kH: wShape[2], kW: wShape[3], outH: outSize[0], outW: outSize[1],
    strideH: geom.stride[0], strideW: geom.stride[1], padTop: geom.padding[0], padLeft: geom.padding[1],
    dilationH: geom.dilation[0], dilationW: geom.dilation[1], groups: geom.groups,
  };
}

/** a and b's elements as contiguous arrays of their common float type. */
function operands(a: Tensor, b: Tensor): { dtype: DType; a: FloatArray; b: FloatArray } {
  const dtype = promoteTypes(a.dtype, b.dtype);
  return { dtype, a: dataAs(a, dtype) as FloatArray, b: dataAs(b, dtype) as FloatArray };
}

type ConvCtx = ContextWith<{ geom: Conv2dGeometry }>;

export class Conv2d extends Function {
  static override forward(ctx: ConvCtx, x: Tensor, w: Tensor, geom: Conv2dGeometry, outSize: readonly [number, number]): Tensor {
    ctx.geom = geom;
    ctx.saveForBackward(x, w);
    const { dtype, a, b } = operands(x, w);
    const shape = [x.shape[0], w.shape[0], outSize[0], outSize[1]];
    const out = newTensor(shape, dtype);
    if (out.size > 0 && x.size > 0 && w.size > 0) currentBackend().conv2d(a, b, out.storage as FloatArray, specOf(x.shape, w.shape, outSize, geom));
    return out;
  }
  // y = C(x, w):  ∂L/∂x = Cₓᵀ(g, w),  ∂L/∂w = C_wᵀ(x, g)
  static override backward(ctx: ConvCtx, g: Tensor): (Tensor | null)[] {
    const [x, w] = ctx.savedTensors;
    return [
      ctx.needsInputGrad[0] ? Conv2dInputGrad.apply(g, w, ctx.geom, x.shape) : null,
      ctx.needsInputGrad[1] ? Conv2dWeightGrad.apply(x, g, ctx.geom, w.shape) : null,
      null,
      null,
    ];
  }
}

type InputGradCtx = ContextWith<{ geom: Conv2dGeometry; outSize: [number, number] }>;

export class Conv2dInputGrad extends Function {
  static override forward(ctx: InputGradCtx, g: Tensor, w: Tensor, geom: Conv2dGeometry, xShape: readonly number[]): Tensor {
    ctx.geom = geom;
    ctx.saveForBackward(g, w);
    const { dtype, a, b } = operands(g, w);
    const out = newTensor(xShape, dtype);
    if (out.size > 0 && g.size > 0 && w.size > 0) currentBackend().conv2dInputGrad(a, b, out.storage as FloatArray, specOf(xShape, w.shape, [g.shape[2], g.shape[3]], geom));
    return out;
  }
  // gx = Cₓᵀ(g, w), so for upstream h: ⟨h, Cₓᵀ(g, w)⟩ = ⟨C(h, w), g⟩ gives
  //   ∂L/∂g = C(h, w),  ∂L/∂w = C_wᵀ(h, g)
  static override backward(ctx: InputGradCtx, h: Tensor): (Tensor | null)[] {
    const [g, w] = ctx.savedTensors;
    return [
      ctx.needsInputGrad[0] ? Conv2d.apply(h, w, ctx.geom, [g.shape[2], g.shape[3]]) : null,
      ctx.needsInputGrad[1] ? Conv2dWeightGrad.apply(h, g, ctx.geom, w.shape) : null,
      null,
      null,
    ];
  }
}

export class Conv2dWeightGrad extends Function {
  static override forward(ctx: ConvCtx, x: Tensor, g: Tensor, geom: Conv2dGeometry, wShape: readonly number[]): Tensor {
    ctx.geom = geom;
    ctx.saveForBackward(x, g);
    const { dtype, a, b } = operands(x, g);
    const out = newTensor(wShape, dtype);
    if (out.size > 0 && x.size > 0 && g.size > 0) {
      currentBackend().conv2dWeightGrad(a, b, out.storage as FloatArray, specOf(x.shape, wShape, [g.shape[2], g.shape[3]], geom));
    }
    return out;
  }
  // gw = C_wᵀ(x, g), so for upstream H: ⟨H, C_wᵀ(x, g)⟩ = ⟨C(x, H), g⟩ gives
  //   ∂L/∂x = Cₓᵀ(g, H),  ∂L/∂g = C(x, H)
  static override backward(ctx: ConvCtx, h: Tensor): (Tensor | null)[] {
    const [x, g] = ctx.savedTensors;
    return [
      ctx.needsInputGrad[0] ? Conv2dInputGrad.apply(g, h, ctx.geom, x.shape) : null,
      ctx.needsInputGrad[1] ? Conv2d.apply(x, h, ctx.geom, [g.shape[2], g.shape[3]]) : null,
      null,
      null,
    ];
  }
}
