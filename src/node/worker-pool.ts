/**
 * Node worker_threads for the kernel pool (the fault handling is in
 * src/backends/threads/kernel-thread-pool.ts). A call posts each worker its task, runs the caller's own
 * share on the main thread meanwhile, then blocks in `Atomics.wait` until every worker is done.
 * (Node lets the main thread block; browsers do not, which is why this lives in src/node/.)
 *
 * Workers never keep the process alive (they and their ports are unref'd once started) and an
 * idle worker costs nothing: it sleeps in `Atomics.wait`. `close()` terminates them.
 *
 * Seeing a dead worker while blocked: the 'exit' event cannot arrive while the main thread is
 * blocked, so the pool also asks synchronously. Node reports a worker's event-loop idle time as
 * −1 once its thread has stopped (`worker.performance.eventLoopUtilization()`, available after
 * the worker's event loop has started); a thread that stops is seen within one 20 ms wait. (Were
 * a Node version to report it differently, the call's deadline would still end the wait.)
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { KernelThreadPool, type KernelThread, type KernelThreadHost, type KernelThreadPoolOptions } from '../backends/threads/kernel-thread-pool.js';
import { BUSY, createControl } from '../backends/threads/pool-protocol.js';

/** A worker that has not said 'ready' after this long is given up on. */
const START_TIMEOUT_MS = 60_000;

/**
 * How to start a worker: the compiled kernel-worker.js next to this file; or, when running the
 * TypeScript sources (tests, benchmarks, examples in a checkout), a small CommonJS script that
 * registers tsx's in-thread require hook and then loads kernel-worker.ts. (Node 20 does not run
 * ES-module loader hooks such as `--import tsx` inside workers.)
 */
function workerSource(): { source: string | URL; eval: boolean } {
  const js = new URL('./kernel-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { source: js, eval: false };
  // Derived from the .js URL, not a second `new URL(…)`: webpack bundles each literal
  // `new URL(path, import.meta.url)` as an asset, and fails on the .ts that dist/ lacks.
  const ts = fileURLToPath(js).replace(/\.js$/, '.ts');
  // Resolved through Node's own `require` (process.getBuiltinModule): webpack resolves the requests
  // of a `createRequire` it sees at build time, and tsx (a dev dependency) is not in an app's
  // node_modules.
  const { createRequire } = process.getBuiltinModule('node:module');
  const tsxHook = createRequire(import.meta.url).resolve('tsx/cjs/api');
  return { source: `require(${JSON.stringify(tsxHook)}).register(); require(${JSON.stringify(ts)});`, eval: true };
}

/** A started kernel worker thread, with the Node `Worker` behind it. */
export interface NodeKernelThread extends KernelThread {
  readonly worker: Worker;
}

/**
 * Starts one worker and resolves once it is online and has said 'ready' from its event loop.
 * Its 'exit' and 'error' listeners stay for its whole life (an 'error' with no listener would
 * crash the process); an exit after that is reported through `onStopped`.
 */
function startThread(onStopped: (reason: string) => void): Promise<NodeKernelThread> {
  const { source, eval: isScript } = workerSource();
  const control = createControl();
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(source, { eval: isScript, workerData: { control, port: port2 }, transferList: [port2] });
  const thread: NodeKernelThread = {
    worker,
    control,
    start(task) {
      port1.postMessage(task);
      Atomics.store(control, 0, BUSY);
      Atomics.notify(control, 0);
    },
    hasStopped: () => worker.performance.eventLoopUtilization().idle < 0,
    terminate: async () => {
      await worker.terminate();
    },
  };
  return new Promise((resolve, reject) => {
    let ready = false, online = false, said = false, lastError = '';
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`kernel worker did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    timer.unref();
    const settle = () => {
      if (ready || !online || !said) return;
      ready = true;
      clearTimeout(timer);
      worker.performance.eventLoopUtilization(); // records the loop's start, which `hasStopped` needs
      worker.unref();
      port1.unref();
      resolve(thread);
    };
    worker.on('online', () => {
      online = true;
      settle();
    });
    port1.once('message', () => {
      said = true;
      settle();
    });
    worker.on('error', (e) => {
      lastError = e.message;
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`kernel worker failed to start: ${e.message}`));
      }
    });
    worker.on('exit', (code) => {
      port1.close();
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`kernel worker exited with code ${code} before it was ready`));
      } else {
        onStopped(`exited with code ${code}${lastError === '' ? '' : `: ${lastError}`}`);
      }
    });
  });
}

/** Makes Node worker threads and waits for them with `Atomics.wait`. */
export const nodeThreadHost: KernelThreadHost = {
  spawn: startThread,
  waitWhileBusy(control, ms) {
    Atomics.wait(control, 0, BUSY, ms);
  },
};

/** Starting pools of Node kernel workers. */
export const WorkerPool = {
  /** Starts `size` Node kernel workers (the calling thread is the size+1-th); resolves when all are ready. */
  start(size: number, options: KernelThreadPoolOptions = {}): Promise<KernelThreadPool> {
    return KernelThreadPool.start(size, nodeThreadHost, options);
  },
};
