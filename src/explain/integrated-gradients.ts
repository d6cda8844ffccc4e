/**
 * Integrated gradients (Sundararajan et al., 2017): for a score F, an input x and a baseline x',
 *   IGᵢ = (xᵢ − x'ᵢ) · ∫₀¹ ∂F(x' + α(x − x'))/∂xᵢ dα.
 * Along the straight path the fundamental theorem of calculus gives completeness:
 * Σᵢ IGᵢ = F(x) − F(x'). The integral is taken by the midpoint rule over `steps` points
 * α = (k + ½)/steps, whose error falls as 1/steps² for a smooth F (as 1/steps at the kinks of ReLU
 * networks), so Σ IG approaches F(x) − F(x') as steps grow.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { checkOptions, optionKeys } from '../options.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { expandBaseline, type Baseline } from './baseline.js';
import { batchSizeOf, checkInput, gradientRows, type ExplainedFunction } from './batching.js';
import type { TargetOptions } from './saliency.js';
import { resolveTarget } from './target.js';

/** Options of `explain.integratedGradients`. */
export interface IntegratedGradientsOptions extends TargetOptions {
  /** The starting point x': a number or a tensor broadcastable to x [0, a black image]. */
  baseline?: Baseline;
  /** Points of the midpoint rule on the path [50]. */
  steps?: number;
}

/**
 * Integrated gradients of each sample of x [N, …] from `baseline`, of x's shape; they sum
 * (per sample) to F(x) − F(baseline) up to the integration error. The N·steps path points are
 * evaluated in batches of `batchSize`.
 *
 * @example explain.integratedGradients(f, x, { target: 3, steps: 64 })
 */
export function integratedGradients(f: ExplainedFunction, x: Tensor, opts: IntegratedGradientsOptions = {}): Tensor {
  const method = 'explain.integratedGradients';
  checkOptions(method, opts, optionKeys<IntegratedGradientsOptions>({ target: true, batchSize: true, baseline: true, steps: true }));
  checkInput(method, x);
  const steps = opts.steps ?? 50;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`${method}: steps must be a positive integer, got ${steps}`);
  const batchSize = batchSizeOf(method, opts.batchSize);
  const pick = resolveTarget(method, opts.target, x.shape[0]);
  const baseline = expandBaseline(method, opts.baseline, x);
  const [n, ...features] = x.shape;
  const ones = features.map(() => 1);
  const alphas = tensor(Array.from({ length: steps }, (_, k) => (k + 0.5) / steps), { dtype: x.dtype }).reshape(1, steps, ...ones);
  const difference = noGrad(() => x.sub(baseline));
  // path point k of sample i is row i·steps + k
  const path = noGrad(() => baseline.unsqueeze(1).add(difference.unsqueeze(1).mul(alphas)).reshape(n * steps, ...features));
  const gradients = gradientRows(method, f, pick, path, (row) => Math.floor(row / steps), batchSize);
  return noGrad(() => gradients.reshape(n, steps, ...features).mean(1).mul(difference));
}
