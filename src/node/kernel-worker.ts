/**
 * The worker thread of the Node kernel pool (worker-pool.ts). It sleeps in `Atomics.wait` on its
 * state word whatever the word holds (IDLE, or DONE/FAILED until the pool has read them), so an
 * idle worker costs no CPU. When the pool sets the word to BUSY it takes the task just posted on
 * its port (synchronously, with `receiveMessageOnPort`: the pool's thread is blocked, so no event
 * loop turn is needed), runs it, and sets the word to DONE, or FAILED with the error as the
 * control block's note, and wakes the pool.
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { runTask, type KernelTask } from '../backends/threads/kernel-tasks.js';
import { BUSY, DIED, DONE, FAILED, describeError, writeNote } from '../backends/threads/pool-protocol.js';

const { control, port } = workerData as { control: Int32Array; port: MessagePort };

// A thread that exits on its own (process.exit, an uncaught error) says so, waking a waiting pool.
process.on('exit', (code) => {
  writeNote(control, `its thread exited with code ${code}`);
  Atomics.store(control, 0, DIED);
  Atomics.notify(control, 0);
});

/** Serves tasks forever. */
function serve(): void {
  port.postMessage('ready');
  for (;;) {
    const state = Atomics.load(control, 0);
    if (state !== BUSY) {
      Atomics.wait(control, 0, state);
      continue;
    }
    let outcome = DONE;
    try {
      const received = receiveMessageOnPort(port);
      if (received === undefined) throw new Error('kernel worker: woken without a task');
      runTask(received.message as KernelTask);
    } catch (e) {
      outcome = FAILED;
      writeNote(control, describeError(e));
    }
    Atomics.store(control, 0, outcome);
    Atomics.notify(control, 0);
  }
}

// Started from the event loop, not at the top level: Node can tell that a thread has stopped
// (worker-pool.ts) only once its event loop has started.
setImmediate(serve);
