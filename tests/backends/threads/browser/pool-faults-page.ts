/**
 * The page script of the Web Worker pool fault test (bundled by serve-isolated.ts):
 * `window.runPoolFaults()` makes two workers throw in one call, then terminates a worker behind
 * the pool's back and calls again, and reports each call's error text, timing and results.
 */
import type { KernelTask, MatmulTask } from '../../../../src/backends/threads/kernel-tasks.js';
import { KernelWorkerError } from '../../../../src/backends/threads/kernel-worker-error.js';
import { currentBackend } from '../../../../src/kernels/registry.js';
import { wasmKernelsActive } from '../../../../src/backends/wasm/simd.js';
import { WebWorkerPool } from '../../../../src/backends/threads/web-worker-pool.js';
import { filled } from './pool-compare.js';

function sharedFilled(n: number, seed: number): Float32Array {
  const out = new Float32Array(new SharedArrayBuffer(4 * n));
  out.set(filled(n, seed));
  return out;
}

/** The outcome of one pool call: its error (if any) and whether the product came out exact. */
interface CallReport {
  error: string | null;
  failures: string[];
  ms: number;
  exact: boolean;
}

async function runPoolFaults() {
  const workers: Worker[] = [];
  const pool = await WebWorkerPool.start(2, () => {
    const w = new Worker('/worker.js');
    workers.push(w);
    return w;
  }, { stallFloorMs: 500 });
  const n = 96;
  const spec = { batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
  const a = sharedFilled(n * n, 1), b = sharedFilled(n * n, 2), out = new Float32Array(new SharedArrayBuffer(4 * n * n));
  const expected = new Float32Array(n * n);
  currentBackend().matmul(a, b, expected, spec);
  const rows = (rowStart: number, rowEnd: number): MatmulTask => ({
    op: 'matmul', a, b, out, spec, wasm: wasmKernelsActive(), batchStart: 0, batchEnd: 1, rowStart, rowEnd,
  });
  const unknown = { op: 'unknownKernel' } as unknown as KernelTask;
  const call = (workerTasks: KernelTask[]): CallReport => {
    out.fill(Number.NaN);
    const began = performance.now();
    let error: unknown = null;
    try {
      pool.run(rows(0, 32), workerTasks);
    } catch (e) {
      error = e;
    }
    return {
      error: error === null ? null : String(error instanceof Error ? error.message : error),
      failures: error instanceof KernelWorkerError ? error.failures.map((f) => `${f.worker}:${f.kind}`) : [],
      ms: performance.now() - began,
      exact: out.every((v, i) => v === expected[i]),
    };
  };
  const bothThrow = call([unknown, unknown]);
  const afterThrow = call([rows(32, 64), rows(64, 96)]);
  workers[1].terminate();
  const terminated = call([rows(32, 64), rows(64, 96)]);
  const whileReplacing = call([rows(32, 64), rows(64, 96)]);
  await pool.settled();
  const replaced = call([rows(32, 64), rows(64, 96)]);
  await pool.close();
  return { bothThrow, afterThrow, terminated, whileReplacing, replaced, workersMade: workers.length };
}

(globalThis as unknown as { runPoolFaults: typeof runPoolFaults }).runPoolFaults = runPoolFaults;
