/**
 * The error a threaded backend throws when one of its workers fails during a call. One call's
 * failures all go into one error (two workers that fail together are reported together, on that
 * call, never on a later one).
 */

/** How one worker failed a call. */
export interface WorkerFailure {
  /** The worker's index in its pool (0-based; the calling thread is not counted). */
  worker: number;
  /** `threw`: its kernel threw; `died`: its thread stopped mid-call; `stalled`: it did not finish in time and was terminated. */
  kind: 'threw' | 'died' | 'stalled';
  /** The worker's error message, exit code or time limit. */
  detail: string;
}

const describe = (f: WorkerFailure): string =>
  f.kind === 'threw' ? `kernel worker ${f.worker} threw ${f.detail}`
    : f.kind === 'died' ? `kernel worker ${f.worker} stopped mid-call (${f.detail})`
      : `kernel worker ${f.worker} ${f.detail} and was terminated`;

/**
 * A kernel call of a threaded backend failed in one or more workers; the call's output is
 * incomplete. A worker that threw stays in service; one that died or stalled is replaced (its
 * share of later calls runs on the calling thread until the replacement is ready).
 *
 * @example try { backend.matmul(a, b, out, spec); } catch (e) { if (e instanceof KernelWorkerError) console.log(e.failures); }
 */
export class KernelWorkerError extends Error {
  /** Always 'KernelWorkerError', so `err.name` tells the kind without `instanceof`. */
  override name = 'KernelWorkerError';

  constructor(
    /** The kernel the call ran: 'matmul', 'conv2d', 'conv2dInputGrad' or 'conv2dWeightGrad'. */
    readonly kernel: string,
    /** Every worker that failed this call. */
    readonly failures: readonly WorkerFailure[],
    /** What the calling thread's own share threw, if it threw too. */
    callerError?: unknown,
  ) {
    const replaced = failures.some((f) => f.kind !== 'threw');
    super(
      `${kernel} failed in the kernel worker pool: ${failures.map(describe).join('; ')}` +
        (callerError === undefined ? '' : `; the calling thread's share threw too (${String(callerError)})`) +
        (replaced ? '. The pool replaces a worker that died or stalled; until the replacement is ready, its share of each call runs on the calling thread.' : '.'),
      callerError === undefined ? undefined : { cause: callerError },
    );
  }
}
