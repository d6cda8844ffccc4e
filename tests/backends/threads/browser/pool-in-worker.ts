/**
 * Run as a dedicated worker by pool-page.ts: the Web Worker backend used from inside a worker
 * (nested workers), where the waiting thread may sleep in Atomics.wait instead of spinning.
 * Posts back whether pooled matmul and conv2d equal the single-thread results exactly.
 */
import type { Conv2dSpec, MatmulSpec } from '../../../../src/kernels/backend.js';
import { createWebWorkerBackend } from '../../../../src/backends/threads/web-worker-backend.js';
import { conv2dMatches, matmulMatches } from './pool-compare.js';

async function check() {
  const pooled = await createWebWorkerBackend({ threads: 3, minWork: 0, createWorker: () => new Worker('/worker.js') });
  const spec: MatmulSpec = { batch: 1, m: 150, n: 70, k: 90, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
  const matmulEqual = matmulMatches(pooled, spec, 7);
  const cs: Conv2dSpec = {
    batch: 5, inChannels: 2, inH: 8, inW: 8, outChannels: 3, kH: 3, kW: 3, outH: 8, outW: 8,
    strideH: 1, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, groups: 1,
  };
  const convEqual = conv2dMatches(pooled, cs, 9);
  await pooled.close();
  (globalThis as unknown as { postMessage(m: unknown): void }).postMessage({
    threads: pooled.threads,
    matmulEqual,
    convEqual,
  });
}

void check();
