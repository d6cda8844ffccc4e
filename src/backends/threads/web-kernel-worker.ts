/**
 * The Web Worker of the browser kernel pool (`web-worker-pool.ts`). Its first message is its
 * control block; every later message is a task, run on arrival, after which it sets the state
 * word to DONE, or FAILED with the error as the block's note (the page is spinning on that word
 * and cannot receive a message), and wakes a pool that sleeps on it.
 * Browsers let a worker receive messages while the page's thread is busy, so unlike the Node
 * worker this one never blocks: it returns to its event loop, where it sleeps until the next task.
 */
import { runTask, type KernelTask } from './kernel-tasks.js';
import { DONE, FAILED, describeError, writeNote } from './pool-protocol.js';

/** The worker-side global as far as this file needs it (the DOM lib types `self` as a Window). */
interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
let control: Int32Array | undefined;

scope.addEventListener('message', (event) => {
  if (control === undefined) {
    control = event.data as Int32Array;
    scope.postMessage('ready');
    return;
  }
  let outcome = DONE;
  try {
    runTask(event.data as KernelTask);
  } catch (e) {
    outcome = FAILED;
    writeNote(control, describeError(e));
  }
  Atomics.store(control, 0, outcome);
  Atomics.notify(control, 0);
});
