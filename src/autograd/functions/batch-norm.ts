/**
 * Batch normalisation in training mode: x viewed as [N, C, S] (S = the product of the spatial
 * dims), and for each channel c over its m = N·S values
 *   μ = mean(x),  σ² = mean((x − μ)²) (biased),  r = 1/√(σ² + ε),  x̂ = (x − μ)·r,  y = x̂·γ + β
 *
 * Backward, per channel, with gx̂ = g·γ:
 *   ∂L/∂x = r·(gx̂ − mean(gx̂) − x̂·mean(gx̂·x̂))
 *   ∂L/∂γ = Σ g·x̂,   ∂L/∂β = Σ g
 * (μ and r depend on every value of the channel; the two means are what that dependence
 * contributes; the same derivation as layer norm, over channels instead of rows.)
 *
 * Two ways to compute it:
 * - the fast path, `batchNormForward`/`batchNormBackward` of the current backend
 *   (kernels/normalization.ts): one pass for the statistics and one for the output, where the
 *   composed form costs eight broadcast ops and as many full-size temporaries;
 * - the composed form below (`composedBackward`), the same formula in tensor ops, used when the
 *   backward itself is being recorded (createGraph), so second derivatives are exact.
 */
import { isGradEnabled } from '../grad-mode.js';
import { allocate, type FloatArray } from '../../kernels/dtype.js';
import { currentBackend } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { dataAs, newTensor } from './util.js';

/** Receives each channel's batch mean and biased variance (for the running statistics). */
export type BatchStatsSink = (mean: Float64Array, biasedVariance: Float64Array) => void;

type BatchNormCtx = ContextWith<{
  channels: number; spatial: number; eps: number; mean: Float64Array; rstd: Float64Array; hasWeight: boolean; hasBias: boolean;
}>;

export class BatchNormTraining extends Function {
  static override forward(
    ctx: BatchNormCtx, x: Tensor, weight: Tensor | null, bias: Tensor | null, eps: number, onStats: BatchStatsSink,
  ): Tensor {
    const dtype = x.dtype;
    const batch = x.shape[0];
    const channels = x.shape[1];
    const spatial = x.size / (batch * channels);
    const mean = new Float64Array(channels);
    const variance = new Float64Array(channels);
    const rstd = new Float64Array(channels);
    const out = allocate(dtype, x.size) as FloatArray;
    // y = (x − μ)·r·γ + β with μ, σ², r per channel (the kernel keeps them for backward).
    currentBackend().batchNormForward(
      x.data() as FloatArray, floats(weight, x), floats(bias, x), eps, out, mean, variance, rstd, { batch, channels, spatial },
    );
    onStats(mean, variance);
    Object.assign(ctx, { channels, spatial, eps, mean, rstd, hasWeight: weight !== null, hasBias: bias !== null });
    ctx.saveForBackward(x, ...(weight ? [weight] : []));
    return newTensor(x.shape, dtype, out);
  }

  static override backward(ctx: BatchNormCtx, g: Tensor): (Tensor | null)[] {
    const [x, weight] = ctx.savedTensors;
    const w = ctx.hasWeight ? weight : null;
    const grads = isGradEnabled() ? composedBackward(ctx, x, w, g) : kernelBackward(ctx, x, w, g);
    return [ctx.needsInputGrad[0] ? grads.gx : null, ctx.needsInputGrad[1] ? grads.gw : null, ctx.needsInputGrad[2] ? grads.gb : null, null, null];
  }
}

interface BatchNormGrads {
  gx: Tensor;
  gw: Tensor | null;
  gb: Tensor | null;
}

/** A parameter's values in x's dtype, or null when the parameter is absent. */
function floats(p: Tensor | null, x: Tensor): FloatArray | null {
  return p ? (dataAs(p, x.dtype) as FloatArray) : null;
}

/** The fast path: ∂L/∂x = r·(gx̂ − mean(gx̂) − x̂·mean(gx̂·x̂)), ∂L/∂γ = Σ g·x̂, ∂L/∂β = Σ g, by the backend's kernel. */
function kernelBackward(ctx: BatchNormCtx, x: Tensor, weight: Tensor | null, g: Tensor): BatchNormGrads {
  const { channels, spatial, mean, rstd } = ctx;
  const dtype = x.dtype;
  const gx = allocate(dtype, x.size) as FloatArray;
  const gw = allocate(dtype, channels) as FloatArray;
  const gb = allocate(dtype, channels) as FloatArray;
  currentBackend().batchNormBackward(
    x.data() as FloatArray, dataAs(g, dtype) as FloatArray, floats(weight, x), mean, rstd, gx, gw, gb,
    { batch: x.shape[0], channels, spatial },
  );
  return {
    gx: newTensor(x.shape, dtype, gx),
    gw: ctx.hasWeight ? newTensor([channels], dtype, gw) : null,
    gb: ctx.hasBias ? newTensor([channels], dtype, gb) : null,
  };
}

/** The composed form: the same formula in tensor ops on the [N, C, S] view, so the backward is itself differentiable. */
function composedBackward(ctx: BatchNormCtx, x: Tensor, weight: Tensor | null, g: Tensor): BatchNormGrads {
  const { channels, spatial } = ctx;
  const view = x.reshape([-1, channels, spatial]);
  const dims = [0, 2];
  const centered = view.sub(view.mean(dims, true));
  const r = centered.mul(centered).mean(dims, true).add(ctx.eps).rsqrt();
  const xh = centered.mul(r);
  const g3 = g.reshape([-1, channels, spatial]);
  const gxh = weight ? g3.mul(weight.reshape([1, channels, 1])) : g3;
  const gx = r.mul(gxh.sub(gxh.mean(dims, true)).sub(xh.mul(gxh.mul(xh).mean(dims, true))));
  return {
    gx: gx.reshape([...x.shape]),
    gw: ctx.hasWeight ? g3.mul(xh).sum(dims) : null,
    gb: ctx.hasBias ? g3.sum(dims) : null,
  };
}
