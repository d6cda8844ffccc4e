/**
 * Multi-core from the package entries, as a user reaches it: `tsgrad/node` gives the
 * worker_threads backend, the core entry the Web Worker backend (for cross-origin-isolated
 * pages), and both the same KernelWorkerError class.
 */
import { describe, expect, it } from 'vitest';
import * as core from 'tsgrad';
import * as node from 'tsgrad/node';

describe('threaded backends from the package entries', () => {
  it('tsgrad/node: createThreadedBackend serves tensor ops through useBackend, bit-identical to one thread, then closes', async () => {
    const threaded = await node.createThreadedBackend({ threads: 2 });
    expect(threaded.threads).toBe(2);
    expect(threaded.name).toBe('cpu-threads-2');
    core.manualSeed(5);
    const a = core.randn([3, 200, 180]), b = core.randn([180, 170]);
    const single = core.matmul(a, b).toTypedArray();
    const before = core.currentBackend();
    core.useBackend(threaded);
    try {
      expect(core.currentBackend().name).toBe('cpu-threads-2');
      const split = core.matmul(a, b).toTypedArray(); // 3·200·170·180 multiply-adds: above minWork, so split
      expect(Array.from(split)).toEqual(Array.from(single));
    } finally {
      core.useBackend('cpu');
      await threaded.close();
    }
    expect(core.currentBackend()).toBe(before);
  });

  it('the core entry exports createWebWorkerBackend, which refuses clearly where SharedArrayBuffer cannot be shared with workers', async () => {
    expect(typeof core.createWebWorkerBackend).toBe('function');
    await expect(core.createWebWorkerBackend({ threads: 2, createWorker: () => { throw new Error('not reached'); } })).rejects.toThrow(
      'createWebWorkerBackend: SharedArrayBuffer needs a cross-origin-isolated page',
    );
  });

  it('both entries export the same KernelWorkerError', () => {
    expect(node.KernelWorkerError).toBe(core.KernelWorkerError);
    const e = new core.KernelWorkerError('conv2d', [{ worker: 1, kind: 'died', detail: 'its thread exited with code 1' }]);
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe(
      'conv2d failed in the kernel worker pool: kernel worker 1 stopped mid-call (its thread exited with code 1). ' +
        'The pool replaces a worker that died or stalled; until the replacement is ready, its share of each call runs on the calling thread.',
    );
  });
});
