/**
 * LIME (Ribeiro et al., 2016): a weighted linear surrogate of the model around one input. Each
 * feature (a column of a table, a superpixel of an image: the groups of `featureMask`) is switched
 * on (its values from x) or off (its values from the baseline) by a binary vector z ∈ {0, 1}^M;
 * z is drawn with each bit on with probability ½, and the all-on z (x itself) is always included.
 * Each draw is weighted by an exponential kernel of its distance to x in that binary space,
 *   π(z) = exp(−d(z, 1)² / width²),
 *   cosine:    d = 1 − cos(z, 1) = 1 − √(|z|/M)   (d = 1 for the all-off z)   [default width 0.25]
 *   euclidean: d = ‖z − 1‖₂ = √(M − |z|)                                       [default width 0.75·√M]
 * (the defaults of the LIME package for images and for tables), and a weighted ridge regression
 * F(z) ≈ b + Σⱼ cⱼzⱼ with penalty alpha·‖c‖² (intercept unpenalised) is fitted. The coefficients c
 * are the explanation: how much switching each feature on moves the score. For a linear model
 * F(x) = w·x + b₀ and alpha 0 they are exactly Σ_{e ∈ group j} wₑ(xₑ − baselineₑ).
 */
import { checkOptions, optionKeys } from '../options.js';
import { RandomGenerator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { expandBaseline, type Baseline } from './baseline.js';
import { batchSizeOf, checkInput, scoreRows, type ExplainedFunction } from './batching.js';
import { broadcastGroups, featureGroups } from './features.js';
import { weightedRidge } from './least-squares.js';
import type { TargetOptions } from './saliency.js';
import { resolveTarget } from './target.js';

/** Options of `explain.lime`. */
export interface LimeOptions extends TargetOptions {
  /** Perturbed inputs per sample, x itself included [1000]. */
  samples?: number;
  /** Width of the exponential kernel [0.25 for cosine, 0.75·√M for euclidean]. */
  kernelWidth?: number;
  /** Distance between a perturbation z and x in the binary feature space ['cosine']. */
  distance?: 'cosine' | 'euclidean';
  /** Integer group ids: elements with one id form one feature (see `explain.gridMask`); default each element. */
  featureMask?: Tensor;
  /** Values of switched-off features: a number or a tensor broadcastable to x [0]. Use training means for tables. */
  baseline?: Baseline;
  /** Ridge penalty on the coefficients [1]. */
  alpha?: number;
  /** Seed of the perturbations [0]. */
  seed?: number;
}

/**
 * LIME coefficients of each sample of x [N, …], of x's shape (each feature group's coefficient on
 * all its elements). The perturbed inputs are evaluated in batches of `batchSize`.
 *
 * @example explain.lime(f, images, { featureMask: explain.gridMask(28, 28, 4), target: labels, seed: 0 })
 */
export function lime(f: ExplainedFunction, x: Tensor, opts: LimeOptions = {}): Tensor {
  const method = 'explain.lime';
  checkOptions(method, opts, optionKeys<LimeOptions>({
    target: true, batchSize: true, samples: true, kernelWidth: true, distance: true, featureMask: true, baseline: true, alpha: true, seed: true,
  }));
  checkInput(method, x);
  const samples = opts.samples ?? 1000;
  if (!Number.isInteger(samples) || samples < 2) throw new RangeError(`${method}: samples must be an integer ≥ 2, got ${samples}`);
  const distance = opts.distance ?? 'cosine';
  if (distance !== 'cosine' && distance !== 'euclidean') throw new RangeError(`${method}: distance must be 'cosine' or 'euclidean', got '${String(distance)}'`);
  const alpha = opts.alpha ?? 1;
  if (!Number.isFinite(alpha) || alpha < 0) throw new RangeError(`${method}: alpha must be a finite number ≥ 0, got ${alpha}`);
  const batchSize = batchSizeOf(method, opts.batchSize);
  const pick = resolveTarget(method, opts.target, x.shape[0]);
  const featureShape = x.shape.slice(1);
  const features = featureGroups(method, opts.featureMask, featureShape);
  const m = features.groups;
  const width = opts.kernelWidth ?? (distance === 'cosine' ? 0.25 : 0.75 * Math.sqrt(m));
  if (!Number.isFinite(width) || width <= 0) throw new RangeError(`${method}: kernelWidth must be a positive number, got ${width}`);
  const baseline = expandBaseline(method, opts.baseline, x).toTypedArray();
  const values = x.contiguous().toTypedArray();
  const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
  const rng = new RandomGenerator(opts.seed ?? 0);
  const n = x.shape[0];
  const size = features.groupOf.length;
  const coefficients = new Float64Array(n * m);
  const z = new Float64Array(samples * m);
  const kernel = new Float64Array(samples);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < samples; k++) {
      let on = 0;
      for (let j = 0; j < m; j++) {
        z[k * m + j] = k === 0 || rng.nextFloat() < 0.5 ? 1 : 0;
        on += z[k * m + j];
      }
      const d = distance === 'cosine' ? (on === 0 ? 1 : 1 - Math.sqrt(on / m)) : Math.sqrt(m - on);
      kernel[k] = Math.exp(-(d * d) / (width * width));
    }
    const from = i * size;
    const scores = scoreRows(method, f, pick, samples, featureShape, dtype, (k, data, offset) => {
      for (let e = 0; e < size; e++) data[offset + e] = z[k * m + features.groupOf[e]] ? values[from + e] : baseline[from + e];
    }, () => i, batchSize);
    coefficients.set(weightedRidge(z, scores, kernel, samples, m, alpha), i * m);
  }
  return broadcastGroups(coefficients, features, x.shape, dtype);
}
