/**
 * Layer normalisation of rows: x viewed as [M, n] (n = the normalised elements), each row
 *   μ = mean(x),  r = 1/√(mean((x − μ)²) + ε),  x̂ = (x − μ)·r,  y = x̂·γ + β
 *
 * Backward, per row, with gx̂ = g·γ:
 *   ∂L/∂x = r·(gx̂ − mean(gx̂) − x̂·mean(gx̂·x̂))
 *   ∂L/∂γ = Σ_rows g·x̂,   ∂L/∂β = Σ_rows g
 * (μ and r depend on every x of the row; the two means are what that dependence contributes.)
 *
 * Two ways to compute it:
 * - the fast path, `layerNormForward`/`layerNormBackward` of the current backend
 *   (kernels/normalization.ts): one pass per row, where the composed form costs a dozen
 *   full-size temporaries;
 * - the composed form below (`composedBackward`), the same formula in tensor ops with x̂
 *   recomputed from x, used when the backward itself is being recorded (createGraph), so second
 *   derivatives are exact.
 */
import { isGradEnabled } from '../grad-mode.js';
import { allocate, type FloatArray } from '../../kernels/dtype.js';
import { currentBackend } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { dataAs, newTensor } from './util.js';

type LayerNormCtx = ContextWith<{
  n: number; eps: number; mean: Float64Array; rstd: Float64Array; hasWeight: boolean; hasBias: boolean; paramShape: readonly number[];
}>;

export class LayerNormRows extends Function {
  static override forward(ctx: LayerNormCtx, x: Tensor, weight: Tensor | null, bias: Tensor | null, n: number, eps: number): Tensor {
    const dtype = x.dtype;
    const rows = n === 0 ? 0 : x.size / n;
    const mean = new Float64Array(rows);
    const rstd = new Float64Array(rows);
    const out = allocate(dtype, x.size) as FloatArray;
    // y = (x − μ)·r·γ + β with μ, r per row (the kernel keeps them for backward).
    currentBackend().layerNormForward(x.data() as FloatArray, floats(weight, x), floats(bias, x), eps, out, mean, rstd, { rows, n });
    const paramShape = (weight ?? bias)?.shape ?? [n];
    Object.assign(ctx, { n, eps, mean, rstd, hasWeight: weight !== null, hasBias: bias !== null, paramShape });
    ctx.saveForBackward(x, ...(weight ? [weight] : []));
    return newTensor(x.shape, dtype, out);
  }

  static override backward(ctx: LayerNormCtx, g: Tensor): (Tensor | null)[] {
    const [x, weight] = ctx.savedTensors;
    const w = ctx.hasWeight ? weight : null;
    const grads = isGradEnabled() ? composedBackward(ctx, x, w, g) : kernelBackward(ctx, x, w, g);
    return [ctx.needsInputGrad[0] ? grads.gx : null, ctx.needsInputGrad[1] ? grads.gw : null, ctx.needsInputGrad[2] ? grads.gb : null, null, null];
  }
}

interface LayerNormGrads {
  gx: Tensor;
  gw: Tensor | null;
  gb: Tensor | null;
}

/** A parameter's values in x's dtype, or null when the parameter is absent. */
function floats(p: Tensor | null, x: Tensor): FloatArray | null {
  return p ? (dataAs(p, x.dtype) as FloatArray) : null;
}

/** The fast path: ∂L/∂x = r·(gx̂ − mean(gx̂) − x̂·mean(gx̂·x̂)), ∂L/∂γ = Σ g·x̂, ∂L/∂β = Σ g, by the backend's kernel. */
function kernelBackward(ctx: LayerNormCtx, x: Tensor, weight: Tensor | null, g: Tensor): LayerNormGrads {
  const { n, mean, rstd, paramShape } = ctx;
  const dtype = x.dtype;
  const gx = allocate(dtype, x.size) as FloatArray;
  const gw = allocate(dtype, n) as FloatArray;
  const gb = allocate(dtype, n) as FloatArray;
  currentBackend().layerNormBackward(
    x.data() as FloatArray, dataAs(g, dtype) as FloatArray, floats(weight, x), mean, rstd, gx, gw, gb, { rows: mean.length, n },
  );
  return {
    gx: newTensor(x.shape, dtype, gx),
    gw: ctx.hasWeight ? newTensor(paramShape, dtype, gw) : null,
    gb: ctx.hasBias ? newTensor(paramShape, dtype, gb) : null,
  };
}

/** The composed form: the same formula in tensor ops, x̂ recomputed from x, so the backward is itself differentiable. */
function composedBackward(ctx: LayerNormCtx, x: Tensor, weight: Tensor | null, g: Tensor): LayerNormGrads {
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
