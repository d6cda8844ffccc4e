/**
 * The fault-handling core shared by the Node worker_threads pool (src/node/worker-pool.ts) and
 * the Web Worker pool (web-worker-pool.ts): it hands each worker its task, runs the caller's own
 * share, waits for every worker and turns whatever went wrong into one error on that call.
 *
 * Never a hang: every wait has a way out. A worker that stopped is seen at once where the
 * platform can tell synchronously (`KernelThread.hasStopped`, and the DIED word a Node thread
 * stores as it exits); a worker that neither finishes nor is seen to stop is given up on after
 * a deadline scaled by how long the caller's equal share took (`stallFloorMs` + 100 × that),
 * then terminated.
 *
 * Recovery: a worker that threw stays in service. One that died or stalled is replaced in the
 * background (replacing needs the event loop, which a synchronous call cannot wait for); until
 * the replacement is ready its share of each call runs on the calling thread, so results stay
 * correct. If a replacement cannot be started, or a slot's threads stop MAX_LOSSES + 1 times in a
 * row without finishing a task, the pool refuses further calls with an error saying so.
 */
import { runTask, type KernelTask } from './kernel-tasks.js';
import { KernelWorkerError, type WorkerFailure } from './kernel-worker-error.js';
import { DIED, DONE, FAILED, IDLE, readNote } from './pool-protocol.js';
import type { SyncKernelPool } from './split-backend.js';

/** One started worker, as the pool drives it. */
export interface KernelThread {
  /** The worker's control block (pool-protocol.ts). */
  readonly control: Int32Array;
  /** Hands the worker `task` and sets its state word to BUSY, in the order the worker's side expects. */
  start(task: KernelTask): void;
  /** True once the worker's thread is known to have stopped (false where that cannot be told synchronously). */
  hasStopped(): boolean;
  /** Stops the worker's thread (harmless when it has stopped already). */
  terminate(): Promise<void>;
}

/** How a platform makes workers and waits for them. */
export interface KernelThreadHost {
  /**
   * Starts one worker; resolves once it can take tasks, rejects if it fails or exits first.
   * `onStopped` is called if the thread later stops on its own, with what is known of why.
   */
  spawn(onStopped: (reason: string) => void): Promise<KernelThread>;
  /** Returns when `control`'s state word is no longer BUSY or after about `ms` milliseconds. */
  waitWhileBusy(control: Int32Array, ms: number): void;
}

/** Options of `KernelThreadPool.start`. */
export interface KernelThreadPoolOptions {
  /** The fixed part of the deadline for a worker's share of a call, in ms (default 10 000). */
  stallFloorMs?: number;
}

/** Default fixed part of a call's deadline: generous, for machines shared by many processes. */
const STALL_FLOOR_MS = 10_000;
/** The deadline's part that scales with the calling thread's own (equal) share of the call. */
const STALL_FACTOR = 100;
/** How often a waiting caller looks whether a busy worker's thread has stopped. */
const POLL_MS = 20;
/** A slot whose threads stop this many times in a row without finishing a task is not restarted again. */
const MAX_LOSSES = 3;

interface Slot {
  thread: KernelThread | undefined;
  /** Bumped at every spawn, so a late report from a replaced thread is ignored. */
  generation: number;
  /** Why the slot is out of service for good (its replacement failed, or its threads keep dying): the pool then refuses work. */
  broken: string | undefined;
  /** Threads of this slot that stopped since one last finished a task. */
  losses: number;
}

/** A pool of kernel workers serving synchronous calls (see the file comment). */
export class KernelThreadPool implements SyncKernelPool {
  private closed = false;
  private readonly replacing = new Set<Promise<void>>();

  private constructor(
    private readonly host: KernelThreadHost,
    private readonly slots: Slot[],
    private readonly stallFloorMs: number,
  ) {}

  /** Starts `size` workers on `host`; resolves when all of them are ready. */
  static async start(size: number, host: KernelThreadHost, options: KernelThreadPoolOptions = {}): Promise<KernelThreadPool> {
    const slots: Slot[] = Array.from({ length: size }, () => ({ thread: undefined, generation: 0, broken: undefined, losses: 0 }));
    const pool = new KernelThreadPool(host, slots, options.stallFloorMs ?? STALL_FLOOR_MS);
    const started = await Promise.allSettled(slots.map((_, i) => pool.spawnInto(i)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) {
      await pool.close();
      throw failed.reason;
    }
    return pool;
  }

  /** Workers, not counting the calling thread. */
  get size(): number {
    return this.slots.length;
  }

  /** The live threads (undefined where a replacement is starting), for inspection and tests. */
  get threads(): readonly (KernelThread | undefined)[] {
    return this.slots.map((s) => s.thread);
  }

  /** Resolves once every replacement started so far is ready (or has failed to start). */
  async settled(): Promise<void> {
    while (this.replacing.size > 0) await Promise.all(this.replacing);
  }

  /**
   * Runs `workerTasks[i]` on worker i and `mainTask` here, returning when all are done. Throws
   * a KernelWorkerError naming every worker that failed this call, after all have finished.
   */
  run(mainTask: KernelTask, workerTasks: readonly KernelTask[]): void {
    if (this.closed) throw new Error(`${mainTask.op}: the kernel worker pool is closed`);
    const broken = this.slots.findIndex((s) => s.broken !== undefined);
    if (broken >= 0) {
      throw new Error(
        `${mainTask.op}: the kernel worker pool refuses work: kernel worker ${broken} ${this.slots[broken].broken}; ` +
          "close this backend and create a new one, or useBackend('cpu')",
      );
    }
    if (workerTasks.length > this.slots.length) {
      throw new Error(`${mainTask.op}: ${workerTasks.length} tasks for ${this.slots.length} kernel workers`);
    }
    const inFlight: { worker: number; thread: KernelThread }[] = [];
    const onCaller: KernelTask[] = [];
    workerTasks.forEach((task, worker) => {
      const thread = this.slots[worker].thread;
      if (thread !== undefined && !thread.hasStopped() && Atomics.load(thread.control, 0) !== DIED) {
        thread.start(task);
        inFlight.push({ worker, thread });
      } else {
        // Stopped between calls (or still being replaced): no call was broken; this share runs here.
        if (thread !== undefined) this.replace(worker);
        onCaller.push(task);
      }
    });

    let callerError: unknown;
    const began = performance.now();
    for (const task of [mainTask, ...onCaller]) {
      try {
        runTask(task);
      } catch (e) {
        callerError ??= e;
      }
    }
    const shareMs = (performance.now() - began) / (1 + onCaller.length);
    const limitMs = this.stallFloorMs + STALL_FACTOR * shareMs;
    const deadline = performance.now() + limitMs;

    const failures: WorkerFailure[] = [];
    for (const { worker, thread } of inFlight) {
      const failure = this.collect(worker, thread, deadline, limitMs);
      if (failure !== undefined) failures.push(failure);
    }
    if (failures.length > 0) throw new KernelWorkerError(mainTask.op, failures, callerError);
    if (callerError !== undefined) throw callerError;
  }

  /** Waits for one worker's outcome; returns its failure, if any, and replaces it if it is gone. */
  private collect(worker: number, thread: KernelThread, deadline: number, limitMs: number): WorkerFailure | undefined {
    const { control } = thread;
    for (;;) {
      const state = Atomics.load(control, 0);
      if (state === DONE || state === FAILED) {
        const note = state === FAILED ? readNote(control) : '';
        Atomics.store(control, 0, IDLE);
        this.slots[worker].losses = 0;
        return state === FAILED ? { worker, kind: 'threw', detail: note } : undefined;
      }
      if (state === DIED) {
        this.replace(worker);
        return { worker, kind: 'died', detail: readNote(control) };
      }
      if (thread.hasStopped()) {
        this.replace(worker);
        return { worker, kind: 'died', detail: 'its thread was terminated or crashed' };
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        this.replace(worker);
        return { worker, kind: 'stalled', detail: `did not finish within ${(limitMs / 1000).toFixed(1)} s` };
      }
      this.host.waitWhileBusy(control, Math.min(POLL_MS, left));
    }
  }

  /** Retires slot `worker`'s thread (terminating it) and starts a replacement in the background. */
  private replace(worker: number): void {
    const slot = this.slots[worker];
    const old = slot.thread;
    slot.thread = undefined;
    old?.terminate().catch(() => undefined);
    if (this.closed) return;
    if (++slot.losses > MAX_LOSSES) {
      slot.broken = `stopped ${slot.losses} times in a row without finishing a task`;
      return;
    }
    const replacing = this.spawnInto(worker).catch((e: unknown) => {
      slot.broken = `died and its replacement could not be started (${e instanceof Error ? e.message : String(e)})`;
    });
    this.replacing.add(replacing);
    void replacing.finally(() => this.replacing.delete(replacing));
  }

  /** Starts a thread for slot `worker`; a thread that stops on its own later is replaced. */
  private async spawnInto(worker: number): Promise<void> {
    const slot = this.slots[worker];
    const generation = ++slot.generation;
    const thread = await this.host.spawn(() => {
      if (slot.generation === generation && slot.thread !== undefined) this.replace(worker);
    });
    if (this.closed || slot.generation !== generation) {
      await thread.terminate();
      return;
    }
    slot.thread = thread;
  }

  /** Terminates every worker (and any replacement still starting); later `run` calls throw. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.slots.flatMap((s) => (s.thread === undefined ? [] : [s.thread]));
    for (const s of this.slots) s.thread = undefined;
    await Promise.all([...threads.map((t) => t.terminate()), this.settled()]);
  }
}
