/**
 * Kernel workers sleep when they have nothing to do (Atomics.wait on their control word), both
 * between calls and, within a call, once their share is done while the calling thread is still
 * busy: process CPU time stays near wall time × busy threads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runTask, type MatmulTask } from '../../../src/backends/threads/kernel-tasks.js';
import { wasmKernelsActive } from '../../../src/backends/wasm/simd.js';
import { createThreadedBackend } from '../../../src/node/threaded-backend.js';
import { WorkerPool } from '../../../src/node/worker-pool.js';

const closers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((p) => p.close()));
});

/** Process CPU time (user + system, all threads) and wall time, in ms, spent by `work`. */
async function cpuAndWall(work: () => unknown): Promise<{ cpuMs: number; wallMs: number }> {
  const cpu0 = process.cpuUsage(), wall0 = performance.now();
  await work();
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - wall0 };
}

/** Rows [rowStart, rowEnd) of an m×k · k×n product of shared arrays. */
function rowsTask(m: number, k: number, n: number, rowStart: number, rowEnd: number): MatmulTask {
  const shared = (length: number) => new Float32Array(new SharedArrayBuffer(4 * length)).fill(0.5);
  return {
    op: 'matmul', a: shared(m * k), b: shared(k * n), out: shared(m * n), wasm: wasmKernelsActive(),
    spec: { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 },
    batchStart: 0, batchEnd: 1, rowStart, rowEnd,
  };
}

describe('idle kernel workers sleep', () => {
  it('a live pool of 3 threads uses far less CPU than wall time over an idle second', async () => {
    const backend = await createThreadedBackend({ threads: 3, minWork: 0 });
    closers.push(backend);
    const n = 256;
    const a = new Float32Array(n * n).fill(1), out = new Float32Array(n * n);
    backend.matmul(a, a, out, { batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });
    expect(out[0]).toBe(n);
    const { cpuMs, wallMs } = await cpuAndWall(() => new Promise((resolve) => setTimeout(resolve, 1000)));
    console.log(`idle second, 3 threads: process CPU ${cpuMs.toFixed(1)} ms over ${wallMs.toFixed(0)} ms wall`);
    // Spinning workers would burn up to 2 × wall; a sleeping pool costs only the process's own housekeeping.
    expect(cpuMs).toBeLessThan(0.2 * wallMs);
  });

  it('workers that finish early sleep while the calling thread still works: CPU ≈ the caller alone', async () => {
    const pool = await WorkerPool.start(2);
    closers.push(pool);
    const long = rowsTask(768, 768, 768, 0, 768);
    const short = [rowsTask(8, 8, 8, 0, 8), rowsTask(8, 8, 8, 0, 8)];
    pool.run(long, short);
    const reps = 4;
    const alone = await cpuAndWall(() => {
      for (let i = 0; i < reps; i++) runTask(long);
    });
    const pooled = await cpuAndWall(() => {
      for (let i = 0; i < reps; i++) pool.run(long, short);
    });
    const extraMs = pooled.cpuMs - alone.cpuMs;
    console.log(
      `uneven calls (caller busy, 2 workers done early): process CPU ${pooled.cpuMs.toFixed(1)} ms over ${pooled.wallMs.toFixed(0)} ms wall; ` +
        `the caller's share alone: ${alone.cpuMs.toFixed(1)} ms CPU over ${alone.wallMs.toFixed(0)} ms wall`,
    );
    // Two workers spinning until the caller is done would add up to 2 × wall on top of the caller's own CPU.
    expect(pooled.wallMs).toBeGreaterThan(40);
    expect(extraMs).toBeLessThan(0.25 * pooled.wallMs);
  });
});
