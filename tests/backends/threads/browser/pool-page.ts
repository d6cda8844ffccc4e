/**
 * The page script of the Web Worker pool test (bundled by serve-isolated.ts): compares the
 * pooled backend with the single-thread one and times a 512³ matmul both ways.
 * `window.runPoolCheck()` returns a JSON-able report; `window.runPoolInWorker()` reports the same
 * check run from inside a dedicated worker (pool-in-worker.ts).
 */
import type { Conv2dSpec, MatmulSpec } from '../../../../src/kernels/backend.js';
import { currentBackend } from '../../../../src/kernels/registry.js';
import { createWebWorkerBackend } from '../../../../src/backends/threads/web-worker-backend.js';
import { conv2dMatches, filled, matmulMatches } from './pool-compare.js';

function median(run: () => void, reps: number): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  return times.sort((x, y) => x - y)[reps >> 1];
}

async function runPoolCheck() {
  const pooled = await createWebWorkerBackend({ threads: 2, minWork: 0, createWorker: () => new Worker('/worker.js') });
  const spec: MatmulSpec = { batch: 3, m: 37, n: 45, k: 29, transA: true, transB: false, aBatchStride: 37 * 29, bBatchStride: 0 };
  const matmulEqual = matmulMatches(pooled, spec, 1);
  const cs: Conv2dSpec = {
    batch: 4, inChannels: 3, inH: 10, inW: 9, outChannels: 5, kH: 3, kW: 3, outH: 10, outW: 9,
    strideH: 1, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, groups: 1,
  };
  const convEqual = conv2dMatches(pooled, cs, 3);
  const n = 512;
  const big = { batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
  const ba = filled(n * n, 5), bb = filled(n * n, 6), bo = new Float32Array(n * n);
  const singleMs = median(() => currentBackend().matmul(ba, bb, bo, big), 5);
  const pooledMs = median(() => pooled.matmul(ba, bb, bo, big), 5);
  await pooled.close();
  return { isolated: crossOriginIsolated, matmulEqual, convEqual, singleMs, pooledMs };
}

/** Runs pool-in-worker.ts in a dedicated worker and returns what it reports. */
function runPoolInWorker(): Promise<unknown> {
  const worker = new Worker('/in-worker.js');
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => reject(new Error(event.message));
  });
}

Object.assign(globalThis, { runPoolCheck, runPoolInWorker });
