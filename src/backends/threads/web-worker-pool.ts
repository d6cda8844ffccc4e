/**
 * Kernel threads for browsers: Web Workers sharing memory with the page, which needs a
 * cross-origin-isolated page (COOP/COEP headers) for SharedArrayBuffer. The fault handling
 * (one clear error per broken call, deadlines, replacing dead workers) is in
 * kernel-thread-pool.ts.
 *
 * A browser's main thread may not block (`Atomics.wait` throws there), so a call posts each
 * worker its task, computes its own share, then spins on the workers' state words until they
 * leave BUSY. The workers receive the tasks on their own event loops, which keep running while
 * the page's thread is busy. Spinning costs little: the page's own share takes about as long as
 * a worker's, so it rarely spins long. (Inside a worker, where blocking is allowed, the pool
 * sleeps in `Atomics.wait` instead.) An idle kernel worker sleeps in its event loop.
 *
 * A page cannot see synchronously that a worker died (its 'error' event waits for the event
 * loop), so a worker that stops mid-call is found by the call's deadline (10 s + 100 × the
 * page's own share).
 */
import { KernelThreadPool, type KernelThread, type KernelThreadHost, type KernelThreadPoolOptions } from './kernel-thread-pool.js';
import { BUSY, createControl } from './pool-protocol.js';

/** The part of a Web Worker the pool uses (a DOM `Worker` has it). */
export interface WebWorkerLike {
  /** Sends a message to the worker (the shared memory and the worker's index at start). */
  postMessage(message: unknown): void;
  /** Listens for the worker's messages ('message') and its uncaught errors ('error'). */
  addEventListener(type: 'message' | 'error', listener: (event: { readonly message?: unknown }) => void): void;
  /** Stops the worker at once. */
  terminate(): void;
}

/** A worker that has not said it is ready after this long is given up on. */
const START_TIMEOUT_MS = 60_000;

/** Whether this thread may block in Atomics.wait (workers may; a page's main thread may not). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts one worker made by `createWorker`; resolves once it has its control block and said so. */
function startThread(createWorker: () => WebWorkerLike, onStopped: (reason: string) => void): Promise<KernelThread> {
  const worker = createWorker();
  const control = createControl();
  let stopped = false;
  const thread: KernelThread = {
    control,
    start(task) {
      // BUSY first: the worker may finish (and store DONE) before postMessage returns.
      Atomics.store(control, 0, BUSY);
      worker.postMessage(task);
    },
    hasStopped: () => stopped,
    terminate: async () => {
      stopped = true;
      worker.terminate();
    },
  };
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      worker.terminate();
      reject(new Error(`kernel web worker did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    worker.addEventListener('error', (event) => {
      const why = `kernel web worker error: ${String(event.message ?? 'unknown (see the browser console)')}`;
      if (!ready) {
        clearTimeout(timer);
        worker.terminate();
        reject(new Error(`kernel web worker failed to start: ${why}`));
      } else {
        stopped = true;
        onStopped(why);
      }
    });
    worker.addEventListener('message', () => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      resolve(thread);
    });
    worker.postMessage(control);
  });
}

/** Makes Web Workers with `createWorker`; waits by spinning on the page's thread, by sleeping in a worker. */
export function webThreadHost(createWorker: () => WebWorkerLike): KernelThreadHost {
  const blocking = canBlock();
  return {
    spawn: (onStopped) => startThread(createWorker, onStopped),
    waitWhileBusy(control, ms) {
      if (blocking) {
        Atomics.wait(control, 0, BUSY, ms);
        return;
      }
      const until = performance.now() + ms;
      while (Atomics.load(control, 0) === BUSY && performance.now() < until) {
        // spin: the page's thread may not block
      }
    },
  };
}

/** Starting pools of kernel Web Workers. */
export const WebWorkerPool = {
  /**
   * Starts `size` workers made by `createWorker` (each must run `web-kernel-worker.ts`).
   * Rejects with a clear error when the page is not cross-origin isolated.
   */
  async start(size: number, createWorker: () => WebWorkerLike, options: KernelThreadPoolOptions = {}): Promise<KernelThreadPool> {
    if (!globalThis.crossOriginIsolated) {
      throw new Error(
        'createWebWorkerBackend: SharedArrayBuffer needs a cross-origin-isolated page (serve it with ' +
          'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
      );
    }
    return KernelThreadPool.start(size, webThreadHost(createWorker), options);
  },
};
