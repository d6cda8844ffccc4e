/**
 * The threaded CPU backend for browsers (core entry `tsgrad`): on a cross-origin-isolated page,
 * large matmul and convolution calls are split over Web Workers, with results equal to the
 * single-thread ones (see `split-backend.ts` and `web-worker-pool.ts`).
 */
import type { WebWorkerLike } from './web-worker-pool.js';
import { createSplitBackend, DEFAULT_MIN_WORK, type ThreadedBackend } from './split-backend.js';
import { WebWorkerPool } from './web-worker-pool.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of `createWebWorkerBackend`. */
export interface WebWorkerBackendOptions {
  /** Threads in all, the page's thread included (default: navigator.hardwareConcurrency). */
  threads?: number;
  /** Calls with fewer multiply-adds than this run on the page's thread alone (default 2²² ≈ 161³). */
  minWork?: number;
  /**
   * Makes one worker running `web-kernel-worker.js` (in the package: `dist/kernels/`). The
   * default, `new Worker(new URL('./web-kernel-worker.js', import.meta.url), { type: 'module' })`,
   * is the form Vite and webpack follow; with other bundlers, bundle that file yourself and pass
   * `() => new Worker('/your/kernel-worker.js')`.
   */
  createWorker?: () => WebWorkerLike;
}

/**
 * Starts threads − 1 Web Workers and returns the backend that splits large matmul and
 * convolution calls over them and the page's thread. It needs a cross-origin-isolated page
 * (served with `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy:
 * require-corp`) and rejects with an error saying so elsewhere. Make it current with
 * `useBackend`; `close()` stops the workers (afterwards its calls run on the page's thread).
 * Idle workers sleep.
 *
 * Speed: the split is Node's `createThreadedBackend` (1024³ float32 matmul 1.87–1.97× faster on
 * two threads than on one on a quiet 2-core machine, bench/RESULTS.md), but a page's main thread
 * may not sleep while it waits for its workers: it spins, which pays only when every thread has a
 * core of its own. Headless Chromium on the shared 2-core test machine under load (2026-12-06),
 * 1024³ matmul, one thread 62 ms: split from the page 55–226 ms; split from inside a dedicated
 * worker, where the waiting thread sleeps, 65–72 ms (Node at the same time: 0.9–1.0× one thread).
 * So for steady gains, run the model in a dedicated worker and create this backend there (nested
 * workers; the test does both).
 *
 * A worker that throws fails only that call, with a `KernelWorkerError` naming the kernel and
 * the worker; a worker that stops answering is given up on after the call's deadline and replaced.
 *
 * @example useBackend(await createWebWorkerBackend({ createWorker: () => new Worker('/kernel-worker.js') }));
 */
export async function createWebWorkerBackend(options: WebWorkerBackendOptions = {}): Promise<ThreadedBackend> {
  checkOptions('createWebWorkerBackend', options, optionKeys<WebWorkerBackendOptions>({ threads: true, minWork: true, createWorker: true }));
  const threads = Math.max(1, Math.floor(options.threads ?? globalThis.navigator?.hardwareConcurrency ?? 1));
  const createWorker = options.createWorker ?? (() => new Worker(new URL('./web-kernel-worker.js', import.meta.url), { type: 'module' }));
  const pool = await WebWorkerPool.start(threads - 1, createWorker);
  return createSplitBackend('cpu-webworkers', pool, options.minWork ?? DEFAULT_MIN_WORK);
}
