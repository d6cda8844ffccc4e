/**
 * The op table (tests/autograd) on the gpu.js backend, for the ops the backend serves (matmul and
 * any convolution entry): forward in float32 runs on gpu.js kernels and must match the reference;
 * float64 forward and gradcheck go through the backend's CPU delegation. The backend's run counts
 * then show that gpu.js really served the float32 calls.
 */
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../../../src/gpu.js';
import type { GpujsBackend } from '../../../src/gpu.js';
import { runOpTable } from '../../autograd/op-runner.js';
import { opTable } from '../../autograd/op-table.js';

const served = opTable.filter((e) => e.name === 'matmul' || e.name.startsWith('conv'));

for (const mode of ['webasm', 'cpu'] as const) {
  let backend: GpujsBackend | null = null;
  runOpTable({
    backend: async () => (backend = await createGpujsBackend({ mode, minSize: 0 })),
    table: served,
    numRuns: { float64: 10, float32: 30, gradcheck: 10 },
  });

  describe(`op table on gpujs-${mode}: where the calls ran`, () => {
    it('ran float32 products on the gpu.js engine and nothing on a fallback', async () => {
      if (backend === null) throw new Error('the op table did not create the backend');
      const counts = backend.runCounts();
      expect(counts[mode]).toBeGreaterThan(0);
      expect(counts['cpu-backend']).toBeGreaterThan(0); // the float64 checks
      expect(backend.lastFallbackReason()).toBeNull();
      await backend.destroy();
    });
  });
}
