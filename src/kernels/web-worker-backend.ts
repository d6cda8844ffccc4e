/**
 * The threaded CPU backend for browsers: `useBackend(await createWebWorkerBackend({ createWorker }))`
 * on a cross-origin-isolated page splits large matmul and convolution calls over Web Workers
 * (see `split-backend.ts` and `web-worker-pool.ts`).
 */
import { createSplitBackend, DEFAULT_MIN_WORK, type ThreadedBackend } from './split-backend.js';
import { WebWorkerPool } from './web-worker-pool.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options of `createWebWorkerBackend`. */
export interface WebWorkerBackendOptions {
  /** Threads in all, the page's thread included (default: navigator.hardwareConcurrency). */
  threads?: number;
  /** Calls with fewer multiply-adds than this run on the page's thread alone (default 2²² ≈ 161³). */
  minWork?: number;
  /**
   * Makes one worker running `web-kernel-worker.js`. The default is the bundler-friendly
   * `new Worker(new URL('./web-kernel-worker.js', import.meta.url), { type: 'module' })`.
   */
  createWorker?: () => Worker;
}

/** Starts threads − 1 Web Workers and returns the backend that splits work over them. */
export async function createWebWorkerBackend(options: WebWorkerBackendOptions = {}): Promise<ThreadedBackend> {
  checkOptions('createWebWorkerBackend', options, optionKeys<WebWorkerBackendOptions>({ threads: true, minWork: true, createWorker: true }));
  const threads = Math.max(1, Math.floor(options.threads ?? globalThis.navigator?.hardwareConcurrency ?? 1));
  const createWorker = options.createWorker ?? (() => new Worker(new URL('./web-kernel-worker.js', import.meta.url), { type: 'module' }));
  const pool = await WebWorkerPool.start(threads - 1, createWorker);
  return createSplitBackend('cpu-webworkers', pool, options.minWork ?? DEFAULT_MIN_WORK);
}
