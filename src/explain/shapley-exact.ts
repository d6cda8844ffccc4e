/**
 * Exact Shapley values by enumeration: for M features and the coalition value v (see
 * coalitions.ts),
 *   φᵢ = Σ_{S ⊆ F∖{i}} |S|!·(M − |S| − 1)!/M! · (v(S ∪ {i}) − v(S)),
 * the average marginal contribution of feature i over all orders of adding features. All 2^M
 * coalitions are evaluated (2^M·B model rows per sample), so M is limited to 12.
 */
import { checkOptions, optionKeys } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { batchSizeOf, checkInput, type ExplainedFunction } from './batching.js';
import { backgroundValues, coalitionValues, type CoalitionGame } from './coalitions.js';
import { broadcastGroups, featureGroups } from './features.js';
import type { TargetOptions } from './saliency.js';
import { resolveTarget } from './target.js';

/** The most features `explain.shapleyExact` enumerates (2^12 = 4096 coalitions). */
export const MAX_EXACT_FEATURES = 12;

/** Options of `explain.shapleyExact`. */
export interface ShapleyExactOptions extends TargetOptions {
  /** Reference inputs [B, …] (a sample of training data) standing in for absent features. */
  background: Tensor;
  /** Integer group ids: elements with one id form one feature (see `explain.gridMask`). */
  featureMask?: Tensor;
}

/** The Shapley weight |S|!(M − |S| − 1)!/M! of a coalition of size s among m features. */
function shapleyWeight(s: number, m: number): number {
  // 1 / (m · C(m − 1, s)), computed as a product to stay exact in floating point for m ≤ 12
  let binomial = 1;
  for (let k = 1; k <= s; k++) binomial = (binomial * (m - 1 - s + k)) / k;
  return 1 / (m * binomial);
}

/**
 * Exact Shapley values of each sample of x [N, …] against `background`, of x's shape (with a
 * featureMask, each group's value on all its elements). They sum to F(x) − E[F(background)].
 * Throws for more than 12 features: use `explain.kernelShap`, or group features.
 *
 * @example explain.shapleyExact(f, x, { background: trainRows.narrow(0, 0, 50) })
 */
export function shapleyExact(f: ExplainedFunction, x: Tensor, opts: ShapleyExactOptions): Tensor {
  const method = 'explain.shapleyExact';
  checkOptions(method, opts, optionKeys<ShapleyExactOptions>({ target: true, batchSize: true, background: true, featureMask: true }));
  checkInput(method, x);
  const game = coalitionGame(method, f, x, opts);
  const m = game.features.groups;
  if (m > MAX_EXACT_FEATURES) {
    throw new RangeError(`${method}: ${m} features exceed the limit of ${MAX_EXACT_FEATURES} (2^${m} coalitions); use explain.kernelShap, or group features with featureMask`);
  }
  const count = 2 ** m;
  const coalitions = new Uint8Array(count * m);
  for (let c = 0; c < count; c++) for (let j = 0; j < m; j++) coalitions[c * m + j] = (c >> j) & 1;
  const weights = Array.from({ length: m }, (_, s) => shapleyWeight(s, m));
  const n = x.shape[0];
  const values = x.contiguous().toTypedArray();
  const size = game.features.groupOf.length;
  const phi = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const v = coalitionValues(game, values.subarray(i * size, (i + 1) * size), i, coalitions, count);
    for (let c = 0; c < count; c++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += (c >> j) & 1;
      for (let j = 0; j < m; j++) if (!((c >> j) & 1)) phi[i * m + j] += weights[s] * (v[c | (1 << j)] - v[c]);
    }
  }
  return broadcastGroups(phi, game.features, x.shape, game.dtype);
}

/** The coalition game of x's samples under the options shared by the Shapley methods. */
export function coalitionGame(method: string, f: ExplainedFunction, x: Tensor, opts: ShapleyExactOptions): CoalitionGame {
  if (opts === undefined || opts === null) throw new TypeError(`${method}: options with a background tensor are required`);
  const featureShape = x.shape.slice(1);
  const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
  const { values, rows } = backgroundValues(method, opts.background, featureShape, dtype);
  return {
    method, f, pick: resolveTarget(method, opts.target, x.shape[0]), features: featureGroups(method, opts.featureMask, featureShape),
    background: values, backgroundRows: rows, featureShape, dtype, batchSize: batchSizeOf(method, opts.batchSize),
  };
}
