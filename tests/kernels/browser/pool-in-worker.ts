/**
 * Run as a dedicated worker by pool-page.ts: the Web Worker backend used from inside a worker
 * (nested workers), where the waiting thread may sleep in Atomics.wait instead of spinning.
 * Posts back whether pooled matmul and conv2d equal the single-thread results exactly.
 */
import type { Conv2dSpec, MatmulSpec } from '../../../src/kernels/backend.js';
import { cpuBackend } from '../../../src/kernels/registry.js';
import { createWebWorkerBackend } from '../../../src/kernels/web-worker-backend.js';

function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

async function check() {
  const pooled = await createWebWorkerBackend({ threads: 3, minWork: 0, createWorker: () => new Worker('/worker.js') });
  const spec: MatmulSpec = { batch: 1, m: 150, n: 70, k: 90, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
  const a = filled(150 * 90, 7), b = filled(70 * 90, 8);
  const single = new Float32Array(150 * 70), threaded = new Float32Array(single.length).fill(Number.NaN);
  cpuBackend.matmul(a, b, single, spec);
  pooled.matmul(a, b, threaded, spec);
  const cs: Conv2dSpec = {
    batch: 5, inChannels: 2, inH: 8, inW: 8, outChannels: 3, kH: 3, kW: 3, outH: 8, outW: 8,
    strideH: 1, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, groups: 1,
  };
  const x = filled(5 * 2 * 64, 9), w = filled(3 * 2 * 9, 10);
  const convSingle = new Float32Array(5 * 3 * 64), convThreaded = new Float32Array(convSingle.length).fill(Number.NaN);
  cpuBackend.conv2d(x, w, convSingle, cs);
  pooled.conv2d(x, w, convThreaded, cs);
  await pooled.close();
  (globalThis as unknown as { postMessage(m: unknown): void }).postMessage({
    threads: pooled.threads,
    matmulEqual: single.every((v, i) => v === threaded[i]),
    convEqual: convSingle.every((v, i) => v === convThreaded[i]),
  });
}

void check();
