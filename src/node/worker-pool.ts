/**
 * A pool of kernel worker threads that serves *synchronous* calls: `run` posts one task per
 * worker, runs the caller's own task on the main thread meanwhile, then blocks in
 * `Atomics.wait` until every worker is done. (Node lets the main thread block; browsers do not,
 * which is why this pool lives in src/node/.)
 *
 * Workers never keep the process alive (they and their ports are unref'd once started) and an
 * idle worker costs nothing: it sleeps in `Atomics.wait`. `close()` terminates them.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { runTask, type KernelTask } from '../kernels/kernel-tasks.js';
import { BUSY, FAILED, IDLE } from '../kernels/pool-protocol.js';

interface PoolThread {
  worker: Worker;
  port: MessagePort;
  control: Int32Array;
}

/**
 * How to start a worker: the compiled kernel-worker.js next to this file; or, when running the
 * TypeScript sources (tests, benchmarks, examples in a checkout), a small CommonJS script that
 * registers tsx's in-thread require hook and then loads kernel-worker.ts. (Node 20 does not run
 * ES-module loader hooks such as `--import tsx` inside workers.)
 */
function workerSource(): { source: string | URL; eval: boolean } {
  const js = new URL('./kernel-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { source: js, eval: false };
  const ts = fileURLToPath(new URL('./kernel-worker.ts', import.meta.url));
  const tsxHook = createRequire(import.meta.url).resolve('tsx/cjs/api');
  return { source: `require(${JSON.stringify(tsxHook)}).register(); require(${JSON.stringify(ts)});`, eval: true };
}

/** Starts one worker and resolves once it has loaded its code and said 'ready'. */
function startThread(): Promise<PoolThread> {
  const { source, eval: isScript } = workerSource();
  const control = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(source, { eval: isScript, workerData: { control, port: port2 }, transferList: [port2] });
  return new Promise((resolve, reject) => {
    const fail = (e: unknown) => reject(e instanceof Error ? e : new Error(String(e)));
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`kernel worker exited with code ${code} before it was ready`)));
    port1.once('message', () => {
      worker.removeAllListeners('error');
      worker.removeAllListeners('exit');
      worker.unref();
      port1.unref();
      resolve({ worker, port: port1, control });
    });
  });
}

/** A started pool of `size` worker threads (the main thread is the size+1-th). */
export class WorkerPool {
  private closed = false;

  private constructor(private readonly threads: PoolThread[]) {}

  /** Starts `size` workers; resolves when all of them are ready to take tasks. */
  static async start(size: number): Promise<WorkerPool> {
    return new WorkerPool(await Promise.all(Array.from({ length: size }, startThread)));
  }

  /** How many worker threads there are (not counting the main thread). */
  get size(): number {
    return this.threads.length;
  }

  /**
   * Runs `workerTasks[i]` on worker i and `mainTask` here, returning when all are done.
   * A task that throws in a worker is rethrown here (after every worker has finished).
   */
  run(mainTask: KernelTask, workerTasks: readonly KernelTask[]): void {
    if (this.closed) throw new Error('WorkerPool.run: the pool is closed');
    if (workerTasks.length > this.threads.length) {
      throw new Error(`WorkerPool.run: ${workerTasks.length} tasks for ${this.threads.length} workers`);
    }
    workerTasks.forEach((task, i) => {
      const t = this.threads[i];
      t.port.postMessage(task);
      Atomics.store(t.control, 0, BUSY);
      Atomics.notify(t.control, 0);
    });
    let failure: unknown;
    try {
      runTask(mainTask);
    } catch (e) {
      failure = e;
    }
    for (let i = 0; i < workerTasks.length; i++) {
      const t = this.threads[i];
      while (Atomics.load(t.control, 0) === BUSY) Atomics.wait(t.control, 0, BUSY);
      if (Atomics.load(t.control, 0) === FAILED) {
        failure ??= new Error(`kernel worker: ${String(receiveMessageOnPort(t.port)?.message)}`);
      }
      Atomics.store(t.control, 0, IDLE);
    }
    if (failure !== undefined) throw failure;
  }

  /** Terminates every worker; later `run` calls throw. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
