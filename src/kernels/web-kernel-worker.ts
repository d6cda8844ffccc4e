/**
 * The Web Worker of the browser kernel pool (`web-worker-pool.ts`). Its first message is its
 * control word; every later message is a task, run on arrival, after which it sets the word to
 * DONE (or FAILED, logging the error: the spinning page cannot receive a message) — the page's
 * main thread is spinning on that word.
 * Browsers let a worker receive messages while the main thread is busy, so unlike the Node
 * worker this one never blocks: it simply returns to its event loop.
 */
import { runTask, type KernelTask } from './kernel-tasks.js';
import { DONE, FAILED } from './pool-protocol.js';

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
  let state = DONE;
  try {
    runTask(event.data as KernelTask);
  } catch (e) {
    state = FAILED;
    console.error('kernel web worker:', e);
  }
  Atomics.store(control, 0, state);
  Atomics.notify(control, 0);
});
