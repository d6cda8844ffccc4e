/**
 * Sample orders (the DataLoader's and randperm's). Random permutations by Fisher–Yates: walking i
 * from the end, swap element i with a uniformly chosen j ≤ i. Every one of the n! orders is
 * equally likely.
 */

/** Draws a uniform integer in [low, high): the library's global generator or a RandomGenerator. */
export type IntSource = (low: number, high: number) => number;

/** 0, 1, …, n−1 in order. */
export function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** A uniformly random permutation of 0 … n−1. */
export function randomPermutation(n: number, nextInt: IntSource): Int32Array {
  const order = identityOrder(n);
  for (let i = n - 1; i > 0; i--) {
    const j = nextInt(0, i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
