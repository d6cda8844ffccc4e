/**
 * Layer normalisation of rows: x viewed as [M, n] (n = the normalised elements), each row
 *   μ = mean(x),  r = 1/√(mean((x − μ)²) + ε),  x̂ = (x − μ)·r,  y = x̂·γ + β
 * fused into one pass per row (the composed form costs a dozen full-size temporaries).
 *
 * Backward, per row, with gx̂ = g·γ:
 *   ∂L/∂x = r·(gx̂ − mean(gx̂) − x̂·mean(gx̂·x̂))
 *   ∂L/∂γ = Σ_rows g·x̂,   ∂L/∂β = Σ_rows g
 * (μ and r depend on every x of the row; the two means are what that dependence contributes.)
 * The backward runs as a loop, or — when the backward itself is being recorded (createGraph) —
 * as the same formula in tensor ops with x̂ recomputed from x, so second derivatives are exact.
 */
import { isGradEnabled } from '../grad-mode.js';
import { allocate, type DType, type FloatArray } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { dataAs, newTensor } from './util.js';

type LayerNormCtx = ContextWith<{
  n: number; eps: number; mean: Float64Array; rstd: Float64Array; hasWeight: boolean; hasBias: boolean; paramShape: readonly number[];
}>;

export class LayerNormRows extends Function {
  static override forward(ctx: LayerNormCtx, x: Tensor, weight: Tensor | null, bias: Tensor | null, n: number, eps: number): Tensor {
    const dtype: DType = x.dtype;
    const xs = x.data() as FloatArray;
    const w = weight ? (dataAs(weight, dtype) as FloatArray) : null;
    const b = bias ? (dataAs(bias, dtype) as FloatArray) : null;
    const rows = n === 0 ? 0 : xs.length / n;
    const out = allocate(dtype, xs.length) as FloatArray;
    const mean = new Float64Array(rows);
    const rstd = new Float64Array(rows);
    for (let m = 0; m < rows; m++) {
      const base = m * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += xs[base + i];
      const mu = s / n;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const d = xs[base + i] - mu;
        ss += d * d;
      }
      const r = 1 / Math.sqrt(ss / n + eps);
      mean[m] = mu;
      rstd[m] = r;
      for (let i = 0; i < n; i++) {
        const xh = (xs[base + i] - mu) * r;
        out[base + i] = (w ? xh * w[i] : xh) + (b ? b[i] : 0);
      }
    }
    const paramShape = (weight ?? bias)?.shape ?? [n];
    Object.assign(ctx, { n, eps, mean, rstd, hasWeight: weight !== null, hasBias: bias !== null, paramShape });
    ctx.saveForBackward(x, ...(weight ? [weight] : []));
    return newTensor(x.shape, dtype, out);
  }

  static override backward(ctx: LayerNormCtx, g: Tensor): (Tensor | null)[] {
    const [x, weight] = ctx.savedTensors;
    const w = ctx.hasWeight ? weight : null;
    const grads = isGradEnabled() ? recordedBackward(ctx, x, w, g) : loopBackward(ctx, x, w, g);
    return [ctx.needsInputGrad[0] ? grads.gx : null, ctx.needsInputGrad[1] ? grads.gw : null, ctx.needsInputGrad[2] ? grads.gb : null, null, null];
  }
}

interface LayerNormGrads {
  gx: Tensor;
  gw: Tensor | null;
  gb: Tensor | null;
}

/** The backward formula as one loop per row (nothing recorded). */
function loopBackward(ctx: LayerNormCtx, x: Tensor, weight: Tensor | null, g: Tensor): LayerNormGrads {
  const { n, mean, rstd } = ctx;
  const dtype = x.dtype;
  const xs = x.data() as FloatArray;
  const gs = dataAs(g, dtype) as FloatArray;
  const w = weight ? (dataAs(weight, dtype) as FloatArray) : null;
  const gx = allocate(dtype, xs.length) as FloatArray;
  const gw = new Float64Array(n);
  const gb = new Float64Array(n);
  for (let m = 0; m < mean.length; m++) {
    const base = m * n;
    const mu = mean[m], r = rstd[m];
    let sumG = 0, sumGX = 0;
    for (let i = 0; i < n; i++) {
      const xh = (xs[base + i] - mu) * r;
      const gxh = w ? gs[base + i] * w[i] : gs[base + i];
      sumG += gxh;
      sumGX += gxh * xh;
      gw[i] += gs[base + i] * xh;
      gb[i] += gs[base + i];
    }
    const meanG = sumG / n, meanGX = sumGX / n;
    for (let i = 0; i < n; i++) {
      const xh = (xs[base + i] - mu) * r;
      const gxh = w ? gs[base + i] * w[i] : gs[base + i];
      gx[base + i] = r * (gxh - meanG - xh * meanGX);
    }
  }
  const asParam = (sums: Float64Array) => {
    const out = allocate(dtype, n);
    out.set(sums);
    return newTensor(ctx.paramShape, dtype, out);
  };
  return { gx: newTensor(x.shape, dtype, gx), gw: ctx.hasWeight ? asParam(gw) : null, gb: ctx.hasBias ? asParam(gb) : null };
}

/** The same formula in tensor ops, x̂ recomputed from x, so the backward is itself differentiable. */
function recordedBackward(ctx: LayerNormCtx, x: Tensor, weight: Tensor | null, g: Tensor): LayerNormGrads {
  const n = ctx.n;
  const rows = x.reshape([-1, n]);
  const centered = rows.sub(rows.mean(1, true));
  const r = centered.mul(centered).mean(1, true).add(ctx.eps).rsqrt();
  const xh = centered.mul(r);
  const g2 = g.reshape([-1, n]);
  const gxh = weight ? g2.mul(weight.reshape([n])) : g2;
  const gx = r.mul(gxh.sub(gxh.mean(1, true)).sub(xh.mul(gxh.mul(xh).mean(1, true))));
  const paramShape = [...ctx.paramShape];
  return {
    gx: gx.reshape([...x.shape]),
    gw: ctx.hasWeight ? g2.mul(xh).sum(0).reshape(paramShape) : null,
    gb: ctx.hasBias ? g2.sum(0).reshape(paramShape) : null,
  };
}
