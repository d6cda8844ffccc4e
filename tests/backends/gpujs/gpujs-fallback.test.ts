/**
 * gpu.js replaces a kernel it cannot run by its CPU version, silently but for a console warning.
 * The backend names the engine after the kernel class that really ran; this checks that
 * detection on a real fallback (a kernel map, which the webasm engine does not support).
 */
import { describe, expect, it, vi } from 'vitest';
import { engineOf } from '../../../src/backends/gpujs/engine.js';
import type { GpujsKernelObject } from '../../../src/backends/gpujs/gpujs-module.js';
import { loadGpujs } from '../../../src/backends/gpujs/gpujs-module.js';

interface KernelMapMaker {
  createKernelMap(sub: Record<string, (v: number) => number>, root: string, settings: { output: [number] }): ((a: Float32Array) => unknown) & { kernel: GpujsKernelObject };
}

function hasKernelMaps(gpu: unknown): gpu is KernelMapMaker {
  return typeof gpu === 'object' && gpu !== null && typeof (gpu as Record<string, unknown>).createKernelMap === 'function';
}

describe('gpu.js fallback detection', () => {
  it('reports the CPU kernel class and the reason after gpu.js falls back', async () => {
    const lib = await loadGpujs();
    const gpu: unknown = new lib.GPU({ mode: 'webasm' });
    if (!hasKernelMaps(gpu)) throw new Error('gpu.js GPU has no createKernelMap');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const map = gpu.createKernelMap({ twice: function twice(v: number) { return v * 2; } }, 'function (a) { return twice(a[this.thread.x]) + 1; }', { output: [4] });
    expect(engineOf(lib, map)).toBe('webasm');
    map(new Float32Array([1, 2, 3, 4]));
    warn.mockRestore();
    expect(engineOf(lib, map)).toBe('cpu');
    expect(map.kernel.fallbackReason).toMatch(/kernel maps are not supported on the webasm backend/);
  });
});
