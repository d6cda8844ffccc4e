/**
 * SmoothGrad (Smilkov et al., 2017): the saliency map averaged over noisy copies of the input,
 *   SGᵢ(x) = (1/n) Σₖ |∂F(x + εₖ)/∂xᵢ|,  εₖ ~ N(0, σ²),
 * which removes the high-frequency speckle of single gradients. As in the paper, the noise level
 * is relative to the input's range: σ = sigma · (max(x) − min(x)), taken per sample (the paper
 * finds 10–20 % works best). With sigma 0 every copy is x itself and SmoothGrad is the saliency map.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { checkOptions, optionKeys } from '../options.js';
import { RandomGenerator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../kernels/dtype.js';
import { batchSizeOf, checkInput, gradientRows, type ExplainedFunction } from './batching.js';
import type { TargetOptions } from './saliency.js';
import { resolveTarget } from './target.js';

/** Options of `explain.smoothGrad`. */
export interface SmoothGradOptions extends TargetOptions {
  /** Noisy copies per sample [50]. */
  samples?: number;
  /** Noise standard deviation as a fraction of each sample's range max(x) − min(x) [0.15]. */
  sigma?: number;
  /** Seed of the noise [0]: the same seed gives the same map. */
  seed?: number;
  /** Average |∂F/∂x| (true, as the saliency map) or the signed gradients [true]. */
  abs?: boolean;
}

/**
 * SmoothGrad map of each sample of x [N, …], of x's shape. The N·samples noisy copies are
 * evaluated in batches of `batchSize`.
 *
 * @example explain.smoothGrad(f, images, { target: labels, samples: 50, sigma: 0.15, seed: 1 })
 */
export function smoothGrad(f: ExplainedFunction, x: Tensor, opts: SmoothGradOptions = {}): Tensor {
  const method = 'explain.smoothGrad';
  checkOptions(method, opts, optionKeys<SmoothGradOptions>({ target: true, batchSize: true, samples: true, sigma: true, seed: true, abs: true }));
  checkInput(method, x);
  const samples = opts.samples ?? 50;
  const sigma = opts.sigma ?? 0.15;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`${method}: samples must be a positive integer, got ${samples}`);
  if (!Number.isFinite(sigma) || sigma < 0) throw new RangeError(`${method}: sigma must be a finite number ≥ 0, got ${sigma}`);
  const batchSize = batchSizeOf(method, opts.batchSize);
  const pick = resolveTarget(method, opts.target, x.shape[0]);
  const [n, ...features] = x.shape;
  const size = x.size / n;
  const values = x.contiguous().toTypedArray();
  const rng = new RandomGenerator(opts.seed ?? 0);
  // copy k of sample i is row i·samples + k
  const noisy = allocate(x.dtype, n * samples * size);
  for (let i = 0; i < n; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let e = 0; e < size; e++) {
      lo = Math.min(lo, values[i * size + e]);
      hi = Math.max(hi, values[i * size + e]);
    }
    const std = sigma * (hi - lo);
    for (let k = 0; k < samples; k++) {
      const offset = (i * samples + k) * size;
      for (let e = 0; e < size; e++) noisy[offset + e] = values[i * size + e] + (std > 0 ? std * rng.nextNormal() : 0);
    }
  }
  const inputs = new Tensor(noisy, [n * samples, ...features], { dtype: x.dtype });
  const gradients = gradientRows(method, f, pick, inputs, (row) => Math.floor(row / samples), batchSize);
  return noGrad(() => ((opts.abs ?? true) ? gradients.abs() : gradients).reshape(n, samples, ...features).mean(1));
}
