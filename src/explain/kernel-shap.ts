/**
 * KernelSHAP (Lundberg & Lee, 2017): Shapley values as the solution of a weighted linear
 * regression. For M features and coalitions z ∈ {0, 1}^M with value v(z) (see coalitions.ts), the
 * Shapley values are the φ minimising
 *   Σ_z π(z)·(v(z) − v(∅) − Σⱼ zⱼφⱼ)²   subject to   Σⱼ φⱼ = v(all) − v(∅) = F(x) − E[F(background)],
 * with the Shapley kernel π(z) = (M − 1) / (C(M, |z|)·|z|·(M − |z|)) over the coalitions with
 * 0 < |z| < M. Summed over the C(M, s) coalitions of one size s the kernel is (M − 1)/(s(M − s)),
 * so coalitions are drawn by size from that distribution, then uniformly within the size, and each
 * draw gets weight 1 (a coalition drawn twice counts twice). Draws come in complementary pairs
 * (z and 1 − z), which halves the variance for a smooth v.
 *
 * The constraint is exact: φ_M = Δ − Σ_{j<M} φⱼ is substituted, leaving an unconstrained
 * weighted least squares in φ₁ … φ_{M−1}. When the budget reaches the number of coalitions,
 * 2^M − 2, all are enumerated with their exact kernel weights, and the result is the exact
 * Shapley values (up to rounding).
 */
import { checkOptions, optionKeys } from '../options.js';
import { RandomGenerator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInput, type ExplainedFunction } from './batching.js';
import { coalitionValues } from './coalitions.js';
import { broadcastGroups } from './features.js';
import { solveSymmetric } from './least-squares.js';
import { coalitionGame, type ShapleyExactOptions } from './shapley-exact.js';

/** Options of `explain.kernelShap`. */
export interface KernelShapOptions extends ShapleyExactOptions {
  /** Coalitions evaluated per sample, drawn in complementary pairs [2·M + 2048]. */
  samples?: number;
  /** Seed of the coalition draws [0]. */
  seed?: number;
}

/** The coalitions and their regression weights for M features: enumerated, or drawn. */
function chooseCoalitions(m: number, samples: number, rng: RandomGenerator): { coalitions: Uint8Array; weights: Float64Array; count: number } {
  if (m < 31 && samples >= 2 ** m - 2) {
    const count = 2 ** m - 2;
    const coalitions = new Uint8Array(count * m);
    const weights = new Float64Array(count);
    for (let c = 1; c <= count; c++) {
      let s = 0;
      for (let j = 0; j < m; j++) {
        coalitions[(c - 1) * m + j] = (c >> j) & 1;
        s += (c >> j) & 1;
      }
      let binomial = 1;
      for (let k = 1; k <= s; k++) binomial = (binomial * (m - s + k)) / k;
      weights[c - 1] = (m - 1) / (binomial * s * (m - s));
    }
    return { coalitions, weights, count };
  }
  // sizes 1 … M−1 with probability ∝ 1/(s(M − s))
  const cumulative: number[] = [];
  let total = 0;
  for (let s = 1; s < m; s++) cumulative.push((total += 1 / (s * (m - s))));
  const drawn = new Map<string, number>();
  const order = Int32Array.from({ length: m }, (_, j) => j);
  const add = (z: Uint8Array) => {
    const key = z.join('');
    drawn.set(key, (drawn.get(key) ?? 0) + 1);
  };
  for (let pair = 0; pair < Math.ceil(samples / 2); pair++) {
    const u = rng.nextFloat() * total;
    let size = 1;
    while (size < m - 1 && cumulative[size - 1] <= u) size++;
    // the first `size` entries of a partial Fisher–Yates shuffle form the coalition
    for (let k = 0; k < size; k++) {
      const j = rng.nextInt(k, m);
      [order[k], order[j]] = [order[j], order[k]];
    }
    const z = new Uint8Array(m);
    for (let k = 0; k < size; k++) z[order[k]] = 1;
    add(z);
    add(z.map((b) => 1 - b));
  }
  const count = drawn.size;
  const coalitions = new Uint8Array(count * m);
  const weights = new Float64Array(count);
  let c = 0;
  for (const [key, times] of drawn) {
    for (let j = 0; j < m; j++) coalitions[c * m + j] = key.charCodeAt(j) - 48;
    weights[c++] = times;
  }
  return { coalitions, weights, count };
}

/**
 * KernelSHAP values of each sample of x [N, …] against `background`, of x's shape (with a
 * featureMask, each group's value on all its elements). They satisfy efficiency exactly:
 * per sample they sum to F(x) − E[F(background)]. Per sample, samples·B + 2·B model rows are
 * evaluated, in batches of `batchSize`.
 *
 * @example explain.kernelShap(f, x, { background: trainRows.narrow(0, 0, 20), samples: 1000, seed: 0 })
 */
export function kernelShap(f: ExplainedFunction, x: Tensor, opts: KernelShapOptions): Tensor {
  const method = 'explain.kernelShap';
  checkOptions(method, opts, optionKeys<KernelShapOptions>({ target: true, batchSize: true, background: true, featureMask: true, samples: true, seed: true }));
  checkInput(method, x);
  const game = coalitionGame(method, f, x, opts);
  const m = game.features.groups;
  const samples = opts.samples ?? 2 * m + 2048;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`${method}: samples must be a positive integer, got ${samples}`);
  const rng = new RandomGenerator(opts.seed ?? 0);
  const n = x.shape[0];
  const values = x.contiguous().toTypedArray();
  const size = game.features.groupOf.length;
  const phi = new Float64Array(n * m);
  const ends = new Uint8Array(2 * m).fill(1, m); // ∅ and the full coalition
  for (let i = 0; i < n; i++) {
    const xi = values.subarray(i * size, (i + 1) * size);
    const [empty, whole] = coalitionValues(game, xi, i, ends, 2);
    const delta = whole - empty;
    if (m === 1) {
      phi[i] = delta;
      continue;
    }
    const { coalitions, weights, count } = chooseCoalitions(m, samples, rng);
    const v = coalitionValues(game, xi, i, coalitions, count);
    // substitute φ_last = Δ − Σ_{j<last} φⱼ: regress v − v(∅) − z_last·Δ on (zⱼ − z_last)
    const k = m - 1;
    const gram = new Float64Array(k * k);
    const rhs = new Float64Array(k);
    const row = new Float64Array(k);
    for (let c = 0; c < count; c++) {
      const last = coalitions[c * m + k];
      for (let j = 0; j < k; j++) row[j] = coalitions[c * m + j] - last;
      const y = v[c] - empty - last * delta;
      for (let a = 0; a < k; a++) {
        if (row[a] === 0) continue;
        const wa = weights[c] * row[a];
        rhs[a] += wa * y;
        for (let b = 0; b < k; b++) gram[a * k + b] += wa * row[b];
      }
    }
    const solution = solveSymmetric(gram, rhs, k);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      phi[i * m + j] = solution[j];
      sum += solution[j];
    }
    phi[i * m + k] = delta - sum;
  }
  return broadcastGroups(phi, game.features, x.shape, game.dtype);
}
