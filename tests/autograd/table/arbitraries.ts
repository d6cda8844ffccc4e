/**
 * Shape generators for the op table: small random shapes (0-d included, size-1 dims common) and
 * families of shapes that broadcast together. Sizes stay small because gradcheck costs two
 * forward passes per input element.
 */
import fc from 'fast-check';
import type { Domain } from './types.js';

/** Values anywhere in a modest range. */
export const REAL: Domain = { lo: -2, hi: 2 };
/** Strictly positive values (log, sqrt, pow bases). */
export const POSITIVE: Domain = { lo: 0.2, hi: 3 };

/** A shape of minDims..maxDims dims, each of size 1..maxSize. */
export function shapeArb(minDims = 0, maxDims = 3, maxSize = 3): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxSize }), { minLength: minDims, maxLength: maxDims });
}

/**
 * `count` shapes that broadcast together: a full shape, then for each operand a suffix of it
 * (leading dims dropped) with some dims replaced by 1.
 */
export function broadcastShapesArb(count: number, maxDims = 3): fc.Arbitrary<number[][]> {
  return shapeArb(0, maxDims).chain((full) =>
    fc.array(
      fc.tuple(fc.integer({ min: 0, max: full.length }), fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length })),
      { minLength: count, maxLength: count },
    ).map((operands) => operands.map(([drop, ones]) => full.slice(drop).map((s, i) => (ones[i + drop] ? 1 : s)))),
  );
}

/** A dim of a tensor of `ndim` dims, as a non-negative or negative number. */
export function dimArb(ndim: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: ndim - 1 }).chain((d) => fc.constantFrom(d, d - ndim));
}

/** A random permutation of 0..n−1. */
export function permutationArb(n: number): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((keys) =>
    keys.map((k, i) => [k, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i),
  );
}

/** A subset of the dims of an ndim-dim tensor (possibly empty), in random order. */
export function dimSubsetArb(ndim: number): fc.Arbitrary<number[]> {
  return fc.subarray(Array.from({ length: ndim }, (_, d) => d)).chain((dims) => permutationArb(dims.length).map((p) => p.map((i) => dims[i])));
}
