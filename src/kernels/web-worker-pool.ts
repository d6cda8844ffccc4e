/**
 * Kernel threads for browsers: Web Workers sharing memory with the page, which needs a
 * cross-origin-isolated page (COOP/COEP headers) for SharedArrayBuffer.
 *
 * A browser's main thread may not block (`Atomics.wait` throws there), so `run` posts each
 * worker its task, computes its own slice, then spins on the workers' control words until they
 * read DONE. The workers receive the tasks on their own event loops, which keep running while
 * the page's thread is busy. Spinning costs nothing extra here: the main thread's own slice
 * takes about as long as a worker's, so it rarely spins long.
 */
import { runTask, type KernelTask } from './kernel-tasks.js';
import { BUSY, FAILED, IDLE } from './pool-protocol.js';
import type { SyncKernelPool } from './split-backend.js';

/** A worker that has not finished after this long is taken to be dead (its error cannot reach a spinning page). */
const STALL_MS = 120_000;

interface WebThread {
  worker: Worker;
  control: Int32Array;
}

/** Starts one worker and resolves once it has its control word. */
function startThread(createWorker: () => Worker): Promise<WebThread> {
  const worker = createWorker();
  const thread: WebThread = { worker, control: new Int32Array(new SharedArrayBuffer(4)) };
  return new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error(`kernel web worker failed to start: ${e.message}`));
    worker.onmessage = () => {
      worker.onerror = null;
      worker.onmessage = null;
      resolve(thread);
    };
    worker.postMessage(thread.control);
  });
}

/** A started pool of Web Workers serving synchronous kernel calls (see the file comment). */
export class WebWorkerPool implements SyncKernelPool {
  private closed = false;

  private constructor(private readonly threads: WebThread[]) {}

  /**
   * Starts `size` workers made by `createWorker` (each must run `web-kernel-worker.ts`).
   * Rejects with a clear error when the page is not cross-origin isolated.
   */
  static async start(size: number, createWorker: () => Worker): Promise<WebWorkerPool> {
    if (!globalThis.crossOriginIsolated) {
      throw new Error(
        'WebWorkerPool: SharedArrayBuffer needs a cross-origin-isolated page (serve it with ' +
          'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
      );
    }
    return new WebWorkerPool(await Promise.all(Array.from({ length: size }, () => startThread(createWorker))));
  }

  get size(): number {
    return this.threads.length;
  }

  run(mainTask: KernelTask, workerTasks: readonly KernelTask[]): void {
    if (this.closed) throw new Error('WebWorkerPool.run: the pool is closed');
    if (workerTasks.length > this.threads.length) {
      throw new Error(`WebWorkerPool.run: ${workerTasks.length} tasks for ${this.threads.length} workers`);
    }
    workerTasks.forEach((task, i) => {
      Atomics.store(this.threads[i].control, 0, BUSY);
      this.threads[i].worker.postMessage(task);
    });
    let failure: unknown;
    try {
      runTask(mainTask);
    } catch (e) {
      failure = e;
    }
    const started = performance.now();
    for (let i = 0; i < workerTasks.length; i++) {
      const t = this.threads[i];
      while (Atomics.load(t.control, 0) === BUSY) {
        if (performance.now() - started > STALL_MS) {
          this.closed = true;
          throw new Error(`WebWorkerPool.run: worker ${i} did not finish within ${STALL_MS / 1000} s; the pool is closed`);
        }
      }
      // The worker's error message cannot reach a thread that is not returning to its event loop.
      if (Atomics.load(t.control, 0) === FAILED) failure ??= new Error(`kernel web worker ${i}: a task failed (see the worker's console)`);
      Atomics.store(t.control, 0, IDLE);
    }
    if (failure !== undefined) throw failure;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.threads) t.worker.terminate();
  }
}
