/**
 * The threaded CPU backend for Node: `useBackend(await createThreadedBackend())` splits large
 * matmul and convolution calls over worker_threads (see `split-backend.ts` for how, and
 * `worker-pool.ts` for how a synchronous call waits for the workers).
 */
import { availableParallelism } from 'node:os';
import { createSplitBackend, DEFAULT_MIN_WORK, type ThreadedBackend } from '../kernels/split-backend.js';
import { startWorkerPool } from './worker-pool.js';

export type { ThreadedBackend } from '../kernels/split-backend.js';

/** Options of `createThreadedBackend`. */
export interface ThreadedBackendOptions {
  /** Threads in all, the main thread included (default: the machine's available parallelism). */
  threads?: number;
  /** Calls with fewer multiply-adds than this run single-threaded (default 2²² ≈ 161³). */
  minWork?: number;
}

/** Starts threads − 1 worker threads and returns the backend that splits work over them. */
export async function createThreadedBackend(options: ThreadedBackendOptions = {}): Promise<ThreadedBackend> {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const pool = await startWorkerPool(threads - 1);
  return createSplitBackend('cpu-threads', pool, options.minWork ?? DEFAULT_MIN_WORK);
}
