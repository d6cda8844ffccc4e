/**
 * Naive float64 references for the group and instance norms: plain loops over flat arrays in
 * (N, C, S) order, written from PyTorch's documented definitions.
 */

/** Mean and biased/unbiased variance of `vals`. */
export function stats(vals: number[]): { mean: number; biased: number; unbiased: number } {
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  const ss = vals.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, biased: ss / vals.length, unbiased: ss / (vals.length - 1) };
}

/** Group norm of x (N, C, S flat): each sample's group of C/G channels normalised together, then γ_c, β_c. */
export function groupNormRef(x: number[], shape: readonly number[], groups: number, w: number[] | null, b: number[] | null, eps = 1e-5): number[] {
  const [N, C] = shape;
  const S = shape.slice(2).reduce((a, v) => a * v, 1);
  const perGroup = C / groups;
  const out = new Array<number>(x.length);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const idx: number[] = [];
      for (let c = g * perGroup; c < (g + 1) * perGroup; c++) for (let s = 0; s < S; s++) idx.push((n * C + c) * S + s);
      const { mean, biased } = stats(idx.map((i) => x[i]));
      for (const i of idx) {
        const c = Math.floor(i / S) % C;
        out[i] = ((x[i] - mean) / Math.sqrt(biased + eps)) * (w ? w[c] : 1) + (b ? b[c] : 0);
      }
    }
  }
  return out;
}

/** Per-(sample, channel) statistics of x (N, C, S flat). */
export function planeStats(x: number[], shape: readonly number[]): { mean: number; biased: number; unbiased: number }[][] {
  const [N, C] = shape;
  const S = shape.slice(2).reduce((a, v) => a * v, 1);
  return Array.from({ length: N }, (_, n) => Array.from({ length: C }, (_, c) => stats(x.slice((n * C + c) * S, (n * C + c + 1) * S))));
}
