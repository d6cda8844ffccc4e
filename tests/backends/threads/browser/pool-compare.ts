/**
 * What the Web Worker pool checks share (the page, pool-page.ts, and the nested worker,
 * pool-in-worker.ts): seeded float32 operands, and one matmul and one conv2d through the pooled
 * backend against the single-thread CPU backend, compared bit for bit.
 */
import type { Conv2dSpec, MatmulSpec, ProductPlugin } from '../../../../src/kernels/backend.js';
import { currentBackend } from '../../../../src/kernels/registry.js';

/** n seeded float32 numbers in [−1, 1) (an LCG, the same in every thread). */
export function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function equal(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** One product of `spec` on `pooled` and on the CPU backend: are the results the same bits? */
export function matmulMatches(pooled: ProductPlugin, spec: MatmulSpec, seed: number): boolean {
  const aLen = (spec.aBatchStride === 0 ? 1 : spec.batch) * spec.m * spec.k;
  const bLen = (spec.bBatchStride === 0 ? 1 : spec.batch) * spec.k * spec.n;
  const a = filled(aLen, seed), b = filled(bLen, seed + 1);
  const single = new Float32Array(spec.batch * spec.m * spec.n), threaded = new Float32Array(single.length).fill(Number.NaN);
  currentBackend().matmul(a, b, single, spec);
  pooled.matmul(a, b, threaded, spec);
  return equal(single, threaded);
}

/** One convolution of `spec` on `pooled` and on the CPU backend: are the results the same bits? */
export function conv2dMatches(pooled: ProductPlugin, spec: Conv2dSpec, seed: number): boolean {
  const x = filled(spec.batch * spec.inChannels * spec.inH * spec.inW, seed);
  const w = filled(spec.outChannels * (spec.inChannels / spec.groups) * spec.kH * spec.kW, seed + 1);
  const single = new Float32Array(spec.batch * spec.outChannels * spec.outH * spec.outW);
  const threaded = new Float32Array(single.length).fill(Number.NaN);
  currentBackend().conv2d(x, w, single, spec);
  pooled.conv2d(x, w, threaded, spec);
  return equal(single, threaded);
}
