/**
 * The small part of gpu.js this backend uses, described structurally. gpu.js is an optional peer
 * dependency: it is loaded with a dynamic `import()` only when a gpu.js backend is asked for, and
 * what comes back is checked against these shapes before use.
 */
import { BackendUnavailableError } from './unavailable-error.js';

/** Settings passed to `gpu.createKernel` (only the ones this backend sets). */
export interface GpujsKernelSettings {
  /** A 1-d output `[length]`: no 2-d texture-size limit, a flat Float32Array back. */
  output: [number];
  constants: Record<string, number>;
  /** Loops bounded by a non-literal stop silently at this count, so it is set to the largest bound. */
  loopMaxIterations: number;
  precision: 'single';
  tactic: 'precision';
}

/** The compiled kernel object behind a run shortcut; gpu.js swaps it for a CPU one on fallback. */
export interface GpujsKernelObject {
  fallbackReason?: string | null;
  context?: unknown;
}

/** A callable kernel as `createKernel` returns it. */
export interface GpujsKernel {
  (...args: Float32Array[]): unknown;
  kernel: GpujsKernelObject;
  destroy(removeCanvasReferences?: boolean): void;
}

/** A `GPU` instance: one context, many kernels. */
export interface GpujsInstance {
  createKernel(source: string, settings: GpujsKernelSettings): GpujsKernel;
  destroy(): Promise<void> | void;
}

/** A gpu.js kernel class; `isSupported` says whether a context of its kind can be made here. */
export interface GpujsKernelClass {
  readonly isSupported: boolean;
}

/** The gpu.js module exports used here. */
export interface GpujsModule {
  GPU: new (settings: { mode: string }) => GpujsInstance;
  CPUKernel: GpujsKernelClass;
  WebGLKernel: GpujsKernelClass;
  WebGL2Kernel: GpujsKernelClass;
  HeadlessGLKernel: GpujsKernelClass;
  WebAssemblyKernel: GpujsKernelClass;
}

const KERNEL_CLASSES = ['CPUKernel', 'WebGLKernel', 'WebGL2Kernel', 'HeadlessGLKernel', 'WebAssemblyKernel'] as const;

function isGpujsModule(m: unknown): m is GpujsModule {
  if (typeof m !== 'object' || m === null) return false;
  const record = m as Record<string, unknown>;
  return typeof record.GPU === 'function' && KERNEL_CLASSES.every((name) => typeof record[name] === 'function');
}

/** Loads gpu.js, or rejects with a `BackendUnavailableError` that says it is missing and how to add it. */
export async function loadGpujs(): Promise<GpujsModule> {
  let loaded: unknown;
  try {
    loaded = await import('gpu.js');
  } catch (cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new BackendUnavailableError(
      `createGpujsBackend: the optional peer dependency gpu.js could not be loaded (${why}); install it with \`npm install gpu.js@2.24.1\``,
      { cause },
    );
  }
  // gpu.js is CommonJS: Node's ESM loader puts module.exports on `default`; bundlers may not.
  const candidates = [loaded, typeof loaded === 'object' && loaded !== null ? (loaded as { default?: unknown }).default : undefined];
  const found = candidates.find(isGpujsModule);
  if (found === undefined) {
    throw new BackendUnavailableError('createGpujsBackend: the module "gpu.js" loaded but does not export GPU and its kernel classes (gpu.js 2.24 is required)');
  }
  return found;
}
