/**
 * The worker thread of the kernel pool. It sleeps on its control word; when the main thread
 * sets it to BUSY, it takes the task just posted on its port (synchronously, with
 * `receiveMessageOnPort`: the main thread is blocked, so no event loop turn is needed), runs
 * it, and sets the word to DONE (or FAILED, posting the error back) and wakes the main thread.
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { runTask, type KernelTask } from '../kernels/kernel-tasks.js';
import { BUSY, DONE, FAILED, IDLE } from '../kernels/pool-protocol.js';

const { control, port } = workerData as { control: Int32Array; port: MessagePort };

port.postMessage('ready');
for (;;) {
  Atomics.wait(control, 0, IDLE);
  if (Atomics.load(control, 0) !== BUSY) continue;
  const received = receiveMessageOnPort(port);
  let state = DONE;
  try {
    if (received === undefined) throw new Error('kernel worker: woken without a task');
    runTask(received.message as KernelTask);
  } catch (e) {
    state = FAILED;
    port.postMessage(e instanceof Error ? e.message : String(e));
  }
  Atomics.store(control, 0, state);
  Atomics.notify(control, 0);
}
