/** Small float64 models for the explain tests: closures from a batch [M, D] to outputs. */
import { manualSeed, randn, type Tensor } from '../../src/index.js';

/** f(x) = x·W + b: a linear model [M, D] → [M, K] with random weights (seeded). */
export function linearModel(d: number, k: number, seed: number): { f: (x: Tensor) => Tensor; w: Tensor; b: Tensor } {
  manualSeed(seed);
  const w = randn([d, k], { dtype: 'float64' });
  const b = randn([k], { dtype: 'float64' });
  return { f: (x) => x.matmul(w).add(b), w, b };
}

/** A random two-layer tanh MLP [M, D] → [M, K] (smooth, with interactions between features). */
export function mlp(d: number, hidden: number, k: number, seed: number): (x: Tensor) => Tensor {
  manualSeed(seed);
  const w1 = randn([d, hidden], { dtype: 'float64' });
  const b1 = randn([hidden], { dtype: 'float64' });
  const w2 = randn([hidden, k], { dtype: 'float64' }).div(Math.sqrt(hidden));
  return (x) => x.matmul(w1).add(b1).tanh().matmul(w2);
}

/** Largest |a − b| over two tensors' elements. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  const [x, y] = [a.toTypedArray(), b.toTypedArray()];
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}
