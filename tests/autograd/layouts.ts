/**
 * Test inputs: seeded values in a domain, and tensors holding given values in a chosen storage
 * layout. The non-contiguous layouts are how the op tests reach the strided code paths:
 *   transposed — storage holds the last two dims swapped; the tensor is a transposed view;
 *   stepped    — every other storage slot, starting at offset 1 (slice with step 2);
 *   permuted   — storage holds the dims rotated ([d1, d2, …, d0]); the tensor is a permuted view.
 * Storage slots the view does not cover hold NaN, so an op that reads outside its view shows.
 */
import { Tensor, type DType } from '../../src/index.js';
import { sizeOf, stridesOf, unravel, type NdArray } from './reference.js';
import type { Domain, Layout } from './table/types.js';

/** mulberry32: a tiny seeded uniform generator on [0, 1), independent of the library's RNG. */
export function uniformGenerator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `shape`'s worth of values from `domain`. With `ties`, about a quarter of them are snapped to a
 * grid of halves (equal values, exact zeros and integers, the cases where ties and kinks live);
 * without, they stay `margin` away from the domain's `avoid` points, as gradcheck needs.
 */
export function sampleValues(shape: readonly number[], domain: Domain, next: () => number, ties: boolean): NdArray {
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) {
    let v = domain.lo + (domain.hi - domain.lo) * next();
    if (ties && next() < 0.25) {
      const snapped = Math.round(v * 2) / 2;
      if (snapped >= domain.lo && snapped <= domain.hi) v = snapped;
    }
    if (!ties) {
      const margin = domain.margin ?? 0.01;
      for (const a of domain.avoid ?? []) {
        if (Math.abs(v - a) < margin) v = a + (v >= a ? margin : -margin);
      }
    }
    data[i] = v;
  }
  return { shape: [...shape], data };
}

/** Rounds every value to float32 (so float32 runs and their float64 reference see the same inputs). */
export function roundToFloat32(x: NdArray): NdArray {
  return { shape: x.shape, data: Float64Array.from(Float32Array.from(x.data)) };
}

/** The storage order of each layout: which dim is outermost in memory, …, innermost. */
function storageOrder(ndim: number, layout: Layout): number[] {
  const order = Array.from({ length: ndim }, (_, d) => d);
  if (layout === 'transposed' && ndim >= 2) [order[ndim - 2], order[ndim - 1]] = [order[ndim - 1], order[ndim - 2]];
  if (layout === 'permuted' && ndim >= 2) order.push(order.shift() as number);
  return order;
}

/**
 * A leaf tensor of `dtype` with the values of `x`, laid out as `layout`. Every layout but
 * 'contiguous' gives a tensor that is not contiguous or has a nonzero offset (for a 0-d or
 * one-element tensor, stepped is the only way: offset 1 into a larger storage).
 */
export function makeTensor(x: NdArray, dtype: DType, layout: Layout): Tensor {
  const ndim = x.shape.length;
  const order = storageOrder(ndim, layout);
  const stored = order.map((d) => x.shape[d]);
  const storedStrides = stridesOf(stored);
  const strides = new Array<number>(ndim);
  order.forEach((d, k) => (strides[d] = storedStrides[k]));
  const step = layout === 'stepped' ? 2 : 1;
  const offset = layout === 'stepped' ? 1 : 0;
  const length = offset + step * Math.max(sizeOf(x.shape), 1) + (layout === 'stepped' ? 1 : 0);
  const storage = dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
  if (layout !== 'contiguous') storage.fill(NaN);
  for (let p = 0; p < x.data.length; p++) {
    const index = unravel(p, x.shape);
    let pos = offset;
    for (let d = 0; d < ndim; d++) pos += index[d] * strides[d] * step;
    storage[pos] = x.data[p];
  }
  if (layout === 'contiguous') return new Tensor(storage.subarray(0, x.data.length), x.shape, { dtype });
  return new Tensor(storage, x.shape, { strides: strides.map((s) => s * step), offset, dtype });
}
