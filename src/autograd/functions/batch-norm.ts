/**
 * Batch normalisation in training mode, fused: x viewed as [N, C, S] (S = the product of the
 * spatial dims), and for each channel c over its m = N·S values
 *   μ = mean(x),  σ² = mean((x − μ)²) (biased),  r = 1/√(σ² + ε),  x̂ = (x − μ)·r,  y = x̂·γ + β
 * in one pass for the statistics and one for the output (the composed form costs eight
 * broadcast ops and as many full-size temporaries).
 *
 * Backward, per channel, with gx̂ = g·γ:
 *   ∂L/∂x = r·(gx̂ − mean(gx̂) − x̂·mean(gx̂·x̂))
 *   ∂L/∂γ = Σ g·x̂,   ∂L/∂β = Σ g
 * (μ and r depend on every value of the channel; the two means are what that dependence
 * contributes; the same derivation as layer norm, over channels instead of rows.)
 * The backward runs as loops, or — when the backward itself is being recorded (createGraph) —
 * as the same formula in tensor ops with x̂ recomputed from x, so second derivatives are exact.
 */
import { isGradEnabled } from '../grad-mode.js';
import { allocate, type DType, type FloatArray } from '../../kernels/dtype.js';
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
    const dtype: DType = x.dtype;
    const xs = x.data() as FloatArray;
    const channels = x.shape[1];
    const spatial = xs.length / (x.shape[0] * channels);
    const batch = x.shape[0];
    const count = batch * spatial;
    const w = weight ? (dataAs(weight, dtype) as FloatArray) : null;
    const b = bias ? (dataAs(bias, dtype) as FloatArray) : null;
    const out = allocate(dtype, xs.length) as FloatArray;
    const mean = new Float64Array(channels);
    const variance = new Float64Array(channels);
    const rstd = new Float64Array(channels);
    for (let c = 0; c < channels; c++) {
      let s = 0;
      for (let n = 0; n < batch; n++) {
        const base = (n * channels + c) * spatial;
        for (let i = 0; i < spatial; i++) s += xs[base + i];
      }
      const mu = s / count;
      // Second pass about the mean (not E[x²] − μ², which cancels catastrophically).
      let ss = 0;
      for (let n = 0; n < batch; n++) {
        const base = (n * channels + c) * spatial;
        for (let i = 0; i < spatial; i++) {
          const d = xs[base + i] - mu;
          ss += d * d;
        }
      }
      const r = 1 / Math.sqrt(ss / count + eps);
      mean[c] = mu;
      variance[c] = ss / count;
      rstd[c] = r;
      // y = x·a + β − μ·a with a = r·γ: one multiply-add per element.
      const scale = w ? r * w[c] : r;
      const shift = (b ? b[c] : 0) - mu * scale;
      for (let n = 0; n < batch; n++) {
        const base = (n * channels + c) * spatial;
        for (let i = 0; i < spatial; i++) out[base + i] = xs[base + i] * scale + shift;
      }
    }
    onStats(mean, variance);
    Object.assign(ctx, { channels, spatial, eps, mean, rstd, hasWeight: weight !== null, hasBias: bias !== null });
    ctx.saveForBackward(x, ...(weight ? [weight] : []));
    return newTensor(x.shape, dtype, out);
  }

  static override backward(ctx: BatchNormCtx, g: Tensor): (Tensor | null)[] {
    const [x, weight] = ctx.savedTensors;
    const w = ctx.hasWeight ? weight : null;
    const grads = isGradEnabled() ? recordedBackward(ctx, x, w, g) : loopBackward(ctx, x, w, g);
    return [ctx.needsInputGrad[0] ? grads.gx : null, ctx.needsInputGrad[1] ? grads.gw : null, ctx.needsInputGrad[2] ? grads.gb : null, null, null];
  }
}

interface BatchNormGrads {
  gx: Tensor;
  gw: Tensor | null;
  gb: Tensor | null;
}

/** The backward formula as loops over each channel's values (nothing recorded). */
function loopBackward(ctx: BatchNormCtx, x: Tensor, weight: Tensor | null, g: Tensor): BatchNormGrads {
  const { channels, spatial, mean, rstd } = ctx;
  const dtype = x.dtype;
  const xs = x.data() as FloatArray;
  const gs = dataAs(g, dtype) as FloatArray;
  const w = weight ? (dataAs(weight, dtype) as FloatArray) : null;
  const batch = x.shape[0];
  const count = batch * spatial;
  const gx = allocate(dtype, xs.length) as FloatArray;
  const gw = allocate(dtype, channels) as FloatArray;
  const gb = allocate(dtype, channels) as FloatArray;
  for (let c = 0; c < channels; c++) {
    const mu = mean[c], r = rstd[c];
    // Σ g and Σ g·x̂ over the channel; gx̂ = g·γ, so the means of gx̂ and gx̂·x̂ are γ times these.
    let sumG = 0, sumGX = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * spatial;
      for (let i = 0; i < spatial; i++) {
        const gv = gs[base + i];
        sumG += gv;
        sumGX += gv * (xs[base + i] - mu);
      }
    }
    sumGX *= r;
    gw[c] = sumGX;
    gb[c] = sumG;
    const gamma = w ? w[c] : 1;
    // ∂L/∂x = r·γ·(g − Σg/m − x̂·Σ(g·x̂)/m), with x̂ = (x − μ)·r.
    const k = r * gamma;
    const meanG = sumG / count;
    const slope = (sumGX / count) * r;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * spatial;
      for (let i = 0; i < spatial; i++) gx[base + i] = k * (gs[base + i] - meanG - (xs[base + i] - mu) * slope);
    }
  }
  return {
    gx: newTensor(x.shape, dtype, gx),
    gw: ctx.hasWeight ? newTensor([channels], dtype, gw) : null,
    gb: ctx.hasBias ? newTensor([channels], dtype, gb) : null,
  };
}

/** The same formula in tensor ops on the [N, C, S] view, so the backward is itself differentiable. */
function recordedBackward(ctx: BatchNormCtx, x: Tensor, weight: Tensor | null, g: Tensor): BatchNormGrads {
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
