/** Without gpu.js installed, createGpujsBackend rejects with one error that says so and how to fix it. */
import { describe, expect, it, vi } from 'vitest';

vi.mock('gpu.js', () => {
  throw new Error("Cannot find package 'gpu.js'");
});

describe('createGpujsBackend without gpu.js', () => {
  it('rejects with a BackendUnavailableError naming the missing peer dependency', async () => {
    const { BackendUnavailableError, createGpujsBackend } = await import('../../../src/gpu.js');
    const attempt = createGpujsBackend({ mode: 'cpu' });
    await expect(attempt).rejects.toThrow(BackendUnavailableError);
    await expect(createGpujsBackend()).rejects.toThrow(/optional peer dependency gpu\.js could not be loaded .*npm install gpu\.js/);
  });
});
