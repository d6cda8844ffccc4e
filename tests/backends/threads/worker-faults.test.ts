/**
 * Faults in the Node kernel worker pool: a worker whose kernel throws, two workers failing in one
 * call, a worker terminated mid-call, a worker that dies between calls, a worker that never
 * answers. Each failure must surface as one clear error on the call it broke (never a hang, never
 * on a later call), and the pool must then work again with results equal to the single thread.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MatmulSpec } from '../../../src/kernels/backend.js';
import { KernelThreadPool, type KernelThreadHost } from '../../../src/backends/threads/kernel-thread-pool.js';
import type { KernelTask, MatmulTask } from '../../../src/backends/threads/kernel-tasks.js';
import { KernelWorkerError } from '../../../src/backends/threads/kernel-worker-error.js';
import { currentBackend } from '../../../src/kernels/registry.js';
import { createSplitBackend, type SyncKernelPool } from '../../../src/backends/threads/split-backend.js';
import { wasmKernelsActive } from '../../../src/backends/wasm/simd.js';
import { nodeThreadHost, WorkerPool, type NodeKernelThread } from '../../../src/node/worker-pool.js';
import { seededArray } from '../../kernels/reference.js';

const pools: SyncKernelPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** A square n×n product's spec. */
const square = (n: number): MatmulSpec => ({ batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });

/** Tasks computing rows [from, to) of a shared n×n product each, plus the product's arrays. */
function matmulTasks(n: number, bounds: number[]) {
  const share = (src: Float32Array) => {
    const shared = new Float32Array(new SharedArrayBuffer(src.byteLength));
    shared.set(src);
    return shared;
  };
  const a = share(seededArray(Float32Array, n * n, 1) as Float32Array);
  const b = share(seededArray(Float32Array, n * n, 2) as Float32Array);
  const out = new Float32Array(new SharedArrayBuffer(4 * n * n));
  const tasks: MatmulTask[] = bounds.slice(1).map((to, i) => ({
    op: 'matmul', a, b, out, spec: square(n), wasm: wasmKernelsActive(), batchStart: 0, batchEnd: 1, rowStart: bounds[i], rowEnd: to,
  }));
  const expected = new Float32Array(n * n);
  currentBackend().matmul(a, b, expected, square(n));
  return { tasks, out, expected };
}

/** A task no kernel knows: runTask throws on it, wherever it runs. */
const unknownTask = { op: 'unknownKernel' } as unknown as KernelTask;

function caught(run: () => void): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

/** The Node host, but the next `start` of worker `victim` terminates that worker once it is working. */
function terminatingHost(): { host: KernelThreadHost; killNext: (victim: NodeKernelThread) => void } {
  let victim: NodeKernelThread | undefined;
  const host: KernelThreadHost = {
    waitWhileBusy: nodeThreadHost.waitWhileBusy,
    async spawn(onStopped) {
      const thread = (await nodeThreadHost.spawn(onStopped)) as NodeKernelThread;
      const wrapped: NodeKernelThread = {
        ...thread,
        start(task) {
          thread.start(task);
          if (wrapped !== victim) return;
          victim = undefined;
          const began = performance.now();
          while (performance.now() - began < 2) {
            // let the worker get into its kernel before it is terminated
          }
          void thread.worker.terminate();
        },
      };
      return wrapped;
    },
  };
  return { host, killNext: (v) => (victim = v) };
}

describe('kernel worker pool faults (Node worker_threads)', () => {
  it('a kernel that throws in a worker fails that call, naming the kernel and the worker; the next call is clean', async () => {
    const pool = await WorkerPool.start(2);
    pools.push(pool);
    const { tasks, out, expected } = matmulTasks(64, [0, 20, 40, 64]);
    const error = caught(() => pool.run(tasks[0], [unknownTask, tasks[2]]));
    expect(error).toBeInstanceOf(KernelWorkerError);
    const e = error as KernelWorkerError;
    expect(e.kernel).toBe('matmul');
    expect(e.failures).toEqual([{ worker: 0, kind: 'threw', detail: "Error: runTask: unknown kernel task 'unknownKernel'" }]);
    expect(e.message).toBe("matmul failed in the kernel worker pool: kernel worker 0 threw Error: runTask: unknown kernel task 'unknownKernel'.");
    console.log(`kernel throws: ${e.message}`);
    pool.run(tasks[0], [tasks[1], tasks[2]]);
    expect(Array.from(out)).toEqual(Array.from(expected));
  });

  it('two workers failing in one call give one error on that call, naming both; the next call is clean', async () => {
    const pool = await WorkerPool.start(2);
    pools.push(pool);
    const { tasks, out, expected } = matmulTasks(48, [0, 16, 32, 48]);
    const e = caught(() => pool.run(tasks[0], [unknownTask, unknownTask])) as KernelWorkerError;
    expect(e.failures.map((f) => [f.worker, f.kind])).toEqual([[0, 'threw'], [1, 'threw']]);
    expect(e.message).toMatch(/kernel worker 0 threw .*; kernel worker 1 threw /);
    console.log(`two workers throw: ${e.message}`);
    for (let call = 0; call < 3; call++) {
      out.fill(Number.NaN);
      pool.run(tasks[0], [tasks[1], tasks[2]]);
      expect(Array.from(out)).toEqual(Array.from(expected));
    }
  });

  it('a worker terminated mid-call fails that call at once (no hang); the pool recovers with exact results', async () => {
    const { host, killNext } = terminatingHost();
    const pool = await KernelThreadPool.start(2, host);
    pools.push(pool);
    const backend = createSplitBackend('faults', pool, 0);
    const n = 1024; // each worker's share takes tens of ms, so it is mid-kernel when terminated
    const a = seededArray(Float32Array, n * n, 3), b = seededArray(Float32Array, n * n, 4);
    const expected = new Float32Array(n * n);
    currentBackend().matmul(a, b, expected, square(n));
    const out = new Float32Array(n * n);

    const victim = pool.threads[0] as NodeKernelThread;
    killNext(victim);
    const began = performance.now();
    const e = caught(() => backend.matmul(a, b, out, square(n))) as KernelWorkerError;
    const ms = performance.now() - began;
    expect(e).toBeInstanceOf(KernelWorkerError);
    expect(e.kernel).toBe('matmul');
    expect(e.failures).toEqual([{ worker: 0, kind: 'died', detail: 'its thread was terminated or crashed' }]);
    expect(e.message).toContain('matmul failed in the kernel worker pool: kernel worker 0 stopped mid-call (its thread was terminated or crashed)');
    expect(e.message).toContain('The pool replaces a worker that died or stalled');
    expect(ms).toBeLessThan(5_000); // seen by the stopped-thread check, not by the 10 s stall deadline
    console.log(`terminated mid-call (${ms.toFixed(0)} ms): ${e.message}`);

    // While the replacement starts, worker 0's share runs on the calling thread.
    out.fill(Number.NaN);
    backend.matmul(a, b, out, square(n));
    expect(Array.from(out)).toEqual(Array.from(expected));

    await pool.settled();
    const replacement = pool.threads[0];
    expect(replacement).toBeDefined();
    expect(replacement).not.toBe(victim);
    out.fill(Number.NaN);
    backend.matmul(a, b, out, square(n));
    expect(Array.from(out)).toEqual(Array.from(expected));
  });

  it('a worker that died between calls breaks no call: its share runs here and it is replaced', async () => {
    const pool = await WorkerPool.start(2);
    pools.push(pool);
    const { tasks, out, expected } = matmulTasks(64, [0, 20, 40, 64]);
    const dead = pool.threads[1] as NodeKernelThread;
    await dead.worker.terminate();
    pool.run(tasks[0], [tasks[1], tasks[2]]);
    expect(Array.from(out)).toEqual(Array.from(expected));
    await pool.settled();
    expect(pool.threads[1]).toBeDefined();
    expect(pool.threads[1]).not.toBe(dead);
    out.fill(Number.NaN);
    pool.run(tasks[0], [tasks[1], tasks[2]]);
    expect(Array.from(out)).toEqual(Array.from(expected));
  });

  it('a worker that does not finish in time is given up on after the deadline, terminated and replaced', async () => {
    const pool = await WorkerPool.start(1, { stallFloorMs: 300 });
    pools.push(pool);
    // The caller's share is a tiny product, the worker's a 4096×4096 · 4096×1024 one (well over
    // a second): the deadline (300 ms + 100 × the caller's share) passes long before it is done.
    const m = 4096, k = 4096, n = 1024;
    const spec: MatmulSpec = { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
    const a = new Float32Array(new SharedArrayBuffer(4 * m * k)).fill(0.5);
    const b = new Float32Array(new SharedArrayBuffer(4 * k * n)).fill(0.25);
    const out = new Float32Array(new SharedArrayBuffer(4 * m * n));
    const task = (rowStart: number, rowEnd: number): MatmulTask => ({
      op: 'matmul', a, b, out, spec, wasm: wasmKernelsActive(), batchStart: 0, batchEnd: 1, rowStart, rowEnd,
    });
    const slow = pool.threads[0];
    const began = performance.now();
    const tiny = matmulTasks(8, [0, 8]).tasks[0];
    const e = caught(() => pool.run(tiny, [task(0, m)])) as KernelWorkerError;
    const ms = performance.now() - began;
    expect(e.failures.map((f) => [f.worker, f.kind])).toEqual([[0, 'stalled']]);
    expect(e.message).toMatch(/^matmul failed in the kernel worker pool: kernel worker 0 did not finish within 0\.\d s and was terminated\. The pool replaces/);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(5_000);
    console.log(`too slow (${ms.toFixed(0)} ms): ${e.message}`);
    await pool.settled();
    expect(pool.threads[0]).not.toBe(slow);
    const small = matmulTasks(32, [0, 16, 32]);
    pool.run(small.tasks[0], [small.tasks[1]]);
    expect(Array.from(small.out)).toEqual(Array.from(small.expected));
  });

  it('a closed pool refuses work with a clear error', async () => {
    const pool = await WorkerPool.start(1);
    await pool.close();
    const { tasks } = matmulTasks(8, [0, 4, 8]);
    expect(() => pool.run(tasks[0], [tasks[1]])).toThrow('matmul: the kernel worker pool is closed');
  });

  it('a slot whose threads keep dying is not restarted for ever: the pool refuses work, saying why', async () => {
    const host: KernelThreadHost = {
      waitWhileBusy: nodeThreadHost.waitWhileBusy,
      async spawn(onStopped) {
        const thread = (await nodeThreadHost.spawn(onStopped)) as NodeKernelThread;
        void thread.worker.terminate(); // dies as soon as it is ready, every time
        return thread;
      },
    };
    const pool = await KernelThreadPool.start(1, host);
    pools.push(pool);
    const { tasks, out, expected } = matmulTasks(16, [0, 8, 16]);
    const deadline = Date.now() + 30_000;
    let refusal: unknown;
    while (refusal === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      try {
        out.fill(Number.NaN);
        pool.run(tasks[0], [tasks[1]]);
        expect(Array.from(out)).toEqual(Array.from(expected)); // served here while the slot is replaced
      } catch (e) {
        if (!(e instanceof KernelWorkerError)) refusal = e; // a call may also catch a thread dying mid-call
      }
    }
    expect(String(refusal)).toBe(
      "Error: matmul: the kernel worker pool refuses work: kernel worker 0 stopped 4 times in a row without finishing a task; " +
        "close this backend and create a new one, or useBackend('cpu')",
    );
  });

  it('a pool whose replacement cannot start refuses further calls, saying why', async () => {
    let spawns = 0;
    const host: KernelThreadHost = {
      waitWhileBusy: nodeThreadHost.waitWhileBusy,
      spawn(onStopped) {
        spawns++;
        return spawns === 1 ? nodeThreadHost.spawn(onStopped) : Promise.reject(new Error('kernel worker failed to start: no memory'));
      },
    };
    const pool = await KernelThreadPool.start(1, host);
    pools.push(pool);
    const { tasks } = matmulTasks(16, [0, 8, 16]);
    await (pool.threads[0] as NodeKernelThread).worker.terminate();
    pool.run(tasks[0], [tasks[1]]); // the death is seen here; the call itself is served
    await pool.settled();
    expect(() => pool.run(tasks[0], [tasks[1]])).toThrow(
      "matmul: the kernel worker pool refuses work: kernel worker 0 died and its replacement could not be started " +
        "(kernel worker failed to start: no memory); close this backend and create a new one, or useBackend('cpu')",
    );
  });
});
