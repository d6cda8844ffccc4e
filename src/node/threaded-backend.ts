/**
 * The threaded CPU backend for Node (entry `tsgrad/node`): large matmul and convolution calls
 * are split over worker_threads, with results equal to the single-thread ones (see
 * `split-backend.ts` for how, and `worker-pool.ts` for how a synchronous call waits for them).
 */
import { availableParallelism } from 'node:os';
import { createSplitBackend, DEFAULT_MIN_WORK, type ThreadedBackend } from '../backends/threads/split-backend.js';
import { WorkerPool } from './worker-pool.js';
import { checkOptions, optionKeys } from '../options.js';

export type { ThreadedBackend } from '../backends/threads/split-backend.js';

/** Options of `createThreadedBackend`. */
export interface ThreadedBackendOptions {
  /** Threads in all, the main thread included (default: the machine's available parallelism). */
  threads?: number;
  /** Calls with fewer multiply-adds than this run single-threaded (default 2²² ≈ 161³). */
  minWork?: number;
}

/**
 * Starts threads − 1 worker threads and returns the backend that splits large matmul and
 * convolution calls over them and the calling thread. Make it current with `useBackend`; `close()`
 * stops the workers (afterwards its calls run on the calling thread), and the workers never keep
 * the process alive. Results are bit-identical to the single-thread backend for matmul and the
 * convolution forward and input gradient; the weight gradient sums per-thread partials, so it
 * matches to rounding.
 *
 * Measured on a shared 2-core machine, two threads against one (bench/RESULTS.md, 2026-12-04):
 * a 1024³ float32 matmul 1.87–1.97× faster, 512³ 1.61–1.89×, 256³ 1.40×; a conv forward+backward
 * (W2, 32 samples) 1.56×. Below `minWork` (about a 161³ product) calls stay on one thread, where
 * waking workers costs more than it saves.
 *
 * A worker that throws, dies or stalls fails only the call it was in, with a `KernelWorkerError`
 * naming the kernel and the worker; a dead worker is replaced in the background.
 *
 * @example useBackend(await createThreadedBackend({ threads: 2 })); // …train…; then useBackend('cpu') and await backend.close()
 */
export async function createThreadedBackend(options: ThreadedBackendOptions = {}): Promise<ThreadedBackend> {
  checkOptions('createThreadedBackend', options, optionKeys<ThreadedBackendOptions>({ threads: true, minWork: true }));
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const pool = await WorkerPool.start(threads - 1);
  return createSplitBackend('cpu-threads', pool, options.minWork ?? DEFAULT_MIN_WORK);
}
