/**
 * Normalisation kernels: batch norm (training mode) and layer norm, each forward and backward as
 * plain loops over typed arrays. They are the fast path of the `BatchNormTraining` and
 * `LayerNormRows` autograd Functions, whose files state the same math as formulas; here it is
 * written out once per element.
 *
 * Batch norm sees x as [N, C, S] (S = the product of the spatial dims) and normalises each channel
 * c over its m = N·S values; layer norm sees x as [M, n] and normalises each row of n values:
 *   μ = mean(x),  σ² = mean((x − μ)²) (biased),  r = 1/√(σ² + ε),  x̂ = (x − μ)·r,  y = x̂·γ + β
 * Backward, per channel / row, with gx̂ = g·γ:
 *   ∂L/∂x = r·(gx̂ − mean(gx̂) − x̂·mean(gx̂·x̂)),   ∂L/∂γ = Σ g·x̂,   ∂L/∂β = Σ g
 *
 * All data arrays are contiguous, row-major and of one float type per call; the statistics
 * (mean, variance, r) are kept in float64 whatever the data type.
 */
import type { FloatArray } from './dtype.js';

/** The [N, C, S] view of a batch-norm input. */
export interface BatchNormSpec {
  /** N, the batch size. */
  batch: number;
  /** C, the channels normalised separately. */
  channels: number;
  /** S, the product of the spatial dims (1 for [N, C] input). */
  spatial: number;
}

/** The [M, n] view of a layer-norm input. */
export interface LayerNormSpec {
  /** M, the number of rows normalised separately. */
  rows: number;
  /** n, the normalised elements of a row. */
  n: number;
}

/**
 * Batch-norm forward: per channel μ, σ² (biased) and r = 1/√(σ² + ε) into `mean`, `variance`,
 * `rstd`, and out = x̂·γ + β (γ = 1 and β = 0 where `weight`/`bias` is null).
 */
export function batchNormForward(
  x: FloatArray, weight: FloatArray | null, bias: FloatArray | null, eps: number, out: FloatArray,
  mean: Float64Array, variance: Float64Array, rstd: Float64Array, spec: BatchNormSpec,
): void {
  const { batch, channels, spatial } = spec;
  const count = batch * spatial;
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * spatial;
      for (let i = 0; i < spatial; i++) s += x[base + i];
    }
    const mu = s / count;
    // Second pass about the mean (not E[x²] − μ², which cancels catastrophically).
    let ss = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * spatial;
      for (let i = 0; i < spatial; i++) {
        const d = x[base + i] - mu;
        ss += d * d;
      }
    }
    const r = 1 / Math.sqrt(ss / count + eps);
    mean[c] = mu;
    variance[c] = ss / count;
    rstd[c] = r;
    // y = x·a + β − μ·a with a = r·γ: one multiply-add per element.
    const scale = weight ? r * weight[c] : r;
    const shift = (bias ? bias[c] : 0) - mu * scale;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * spatial;
      for (let i = 0; i < spatial; i++) out[base + i] = x[base + i] * scale + shift;
    }
  }
}

/**
 * Batch-norm backward from the forward's `mean` and `rstd`: gx = ∂L/∂x, gw = ∂L/∂γ = Σ g·x̂ and
 * gb = ∂L/∂β = Σ g per channel (gw and gb are written whether or not γ, β exist).
 */
export function batchNormBackward(
  x: FloatArray, g: FloatArray, weight: FloatArray | null, mean: Float64Array, rstd: Float64Array,
  gx: FloatArray, gw: FloatArray, gb: FloatArray, spec: BatchNormSpec,
): void {
  const { batch, channels, spatial } = spec;
  const count = batch * spatial;
  for (let c = 0; c < channels; c++) {
    const mu = mean[c], r = rstd[c];
    // Σ g and Σ g·x̂ over the channel; gx̂ = g·γ, so the means of gx̂ and gx̂·x̂ are γ times these.
    let sumG = 0, sumGX = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * spatial;
      for (let i = 0; i < spatial; i++) {
        const gv = g[base + i];
        sumG += gv;
        sumGX += gv * (x[base + i] - mu);
      }
    }
    sumGX *= r;
    gw[c] = sumGX;
    gb[c] = sumG;
    const gamma = weight ? weight[c] : 1;
    // ∂L/∂x = r·γ·(g − Σg/m − x̂·Σ(g·x̂)/m), with x̂ = (x − μ)·r.
    const k = r * gamma;
    const meanG = sumG / count;
    const slope = (sumGX / count) * r;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * spatial;
      for (let i = 0; i < spatial; i++) gx[base + i] = k * (g[base + i] - meanG - (x[base + i] - mu) * slope);
    }
  }
}

/**
 * Layer-norm forward: per row μ and r = 1/√(σ² + ε) into `mean` and `rstd`, and out = x̂·γ + β
 * with γ, β of length n (1 and 0 where null).
 */
export function layerNormForward(
  x: FloatArray, weight: FloatArray | null, bias: FloatArray | null, eps: number, out: FloatArray,
  mean: Float64Array, rstd: Float64Array, spec: LayerNormSpec,
): void {
  const { rows, n } = spec;
  for (let m = 0; m < rows; m++) {
    const base = m * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += x[base + i];
    const mu = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = x[base + i] - mu;
      ss += d * d;
    }
    const r = 1 / Math.sqrt(ss / n + eps);
    mean[m] = mu;
    rstd[m] = r;
    for (let i = 0; i < n; i++) {
      const xh = (x[base + i] - mu) * r;
      out[base + i] = (weight ? xh * weight[i] : xh) + (bias ? bias[i] : 0);
    }
  }
}

/**
 * Layer-norm backward from the forward's `mean` and `rstd`: gx = ∂L/∂x, and gw = ∂L/∂γ = Σ_rows g·x̂,
 * gb = ∂L/∂β = Σ_rows g, both of length n (summed in float64, then stored).
 */
export function layerNormBackward(
  x: FloatArray, g: FloatArray, weight: FloatArray | null, mean: Float64Array, rstd: Float64Array,
  gx: FloatArray, gw: FloatArray, gb: FloatArray, spec: LayerNormSpec,
): void {
  const { rows, n } = spec;
  const sumW = new Float64Array(n);
  const sumB = new Float64Array(n);
  for (let m = 0; m < rows; m++) {
    const base = m * n;
    const mu = mean[m], r = rstd[m];
    let sumG = 0, sumGX = 0;
    for (let i = 0; i < n; i++) {
      const xh = (x[base + i] - mu) * r;
      const gxh = weight ? g[base + i] * weight[i] : g[base + i];
      sumG += gxh;
      sumGX += gxh * xh;
      sumW[i] += g[base + i] * xh;
      sumB[i] += g[base + i];
    }
    const meanG = sumG / n, meanGX = sumGX / n;
    for (let i = 0; i < n; i++) {
      const xh = (x[base + i] - mu) * r;
      const gxh = weight ? g[base + i] * weight[i] : g[base + i];
      gx[base + i] = r * (gxh - meanG - xh * meanGX);
    }
  }
  gw.set(sumW);
  gb.set(sumB);
}
