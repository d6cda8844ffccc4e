/**
 * tsgrad's worker-pool backend as a benchmark implementation: one pool (2 threads, the main
 * thread included) shared by every case, started on first use.
 */
import { createThreadedBackend, type ThreadedBackend } from '../../src/node/threaded-backend.js';

/** Threads the pooled rows use. */
export const BENCH_THREADS = 2;

let started: Promise<ThreadedBackend> | undefined;

/** The shared pooled backend (with the default size threshold). */
export function threadedBackend(): Promise<ThreadedBackend> {
  started ??= createThreadedBackend({ threads: BENCH_THREADS });
  return started;
}

/** Stops the pool if it was started. */
export async function closeThreadedBackend(): Promise<void> {
  if (started !== undefined) await (await started).close();
}
