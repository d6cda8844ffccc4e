/**
 * Opening a gpu.js context for a requested mode and proving which kernel class really runs.
 *
 * gpu.js picks a kernel class per mode, and may silently replace a kernel by its CPU version.
 * So every context is probed with a tiny kernel whose result and kernel class are checked; the
 * class that ran (not the one asked for) names the engine, and later runs are checked the same way.
 */
import type { GpujsInstance, GpujsKernel, GpujsKernelClass, GpujsModule } from './gpujs-module.js';
import { glRendererName, isSoftwareRenderer } from './software-renderer.js';
import { BackendUnavailableError } from './unavailable-error.js';

/** What a caller may ask for: an engine by name, or `'gpu'` for automatic hardware selection. */
export type GpujsMode = 'gpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu';

/** The gpu.js kernel classes that can serve synchronous kernels. */
export type GpujsEngine = 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu';

/** A context whose engine was verified by a probe run. */
export interface OpenedEngine {
  gpu: GpujsInstance;
  engine: GpujsEngine;
  /** The GL renderer string (null for webasm and cpu, which are not GPUs). */
  renderer: string | null;
  /** True for software renderers and for the webasm and cpu engines. */
  software: boolean;
}

const ENGINE_CLASS: Record<GpujsEngine, keyof GpujsModule> = {
  webgl2: 'WebGL2Kernel',
  webgl: 'WebGLKernel',
  headlessgl: 'HeadlessGLKernel',
  webasm: 'WebAssemblyKernel',
  cpu: 'CPUKernel',
};

/** Hardware candidates for `'gpu'`, best first (as gpu.js orders them). */
const AUTO_ORDER: readonly GpujsEngine[] = ['headlessgl', 'webgl2', 'webgl'];

function kernelClass(lib: GpujsModule, engine: GpujsEngine): GpujsKernelClass {
  return lib[ENGINE_CLASS[engine]] as GpujsKernelClass;
}

/** The engine whose kernel class built `kernel.kernel` (exact class: WebGL2Kernel extends WebGLKernel). */
export function engineOf(lib: GpujsModule, kernel: Pick<GpujsKernel, 'kernel'>): GpujsEngine | null {
  const ctor: unknown = Object.getPrototypeOf(kernel.kernel)?.constructor;
  for (const engine of Object.keys(ENGINE_CLASS) as GpujsEngine[]) {
    if (ctor === kernelClass(lib, engine)) return engine;
  }
  return null;
}

const PROBE_SOURCE = 'function (a) { return a[this.thread.x] * 2 + 1; }';
const PROBE_INPUT = new Float32Array([0, 1, 2.5, -3, 7]);

/** Opens `engine`, runs the probe, and says why not if it cannot. */
function tryOpen(lib: GpujsModule, engine: GpujsEngine): OpenedEngine | string {
  if (!kernelClass(lib, engine).isSupported) {
    return engine === 'headlessgl'
      ? 'not supported (the optional package "gl" is not installed or cannot make a context)'
      : 'not supported (gpu.js finds no such context here)';
  }
  let gpu: GpujsInstance;
  try {
    gpu = new lib.GPU({ mode: engine });
  } catch (e: unknown) {
    return `context creation failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  const probe = gpu.createKernel(PROBE_SOURCE, {
    output: [PROBE_INPUT.length],
    constants: {},
    loopMaxIterations: 1,
    precision: 'single',
    tactic: 'precision',
  });
  try {
    const result = probe(PROBE_INPUT);
    const ran = engineOf(lib, probe);
    if (ran !== engine) {
      const reason = probe.kernel.fallbackReason;
      return `gpu.js ran the probe kernel on ${ran ?? 'an unknown kernel class'} instead${reason ? ` (${reason})` : ''}`;
    }
    const ok = result instanceof Float32Array && PROBE_INPUT.every((v, i) => result[i] === v * 2 + 1);
    if (!ok) return 'the probe kernel returned wrong values';
    const renderer = engine === 'webasm' || engine === 'cpu' ? null : glRendererName(probe.kernel.context);
    const software = renderer === null || isSoftwareRenderer(renderer);
    return { gpu, engine, renderer, software };
  } catch (e: unknown) {
    return `the probe kernel failed: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    probe.destroy(false);
  }
}

/**
 * Opens the engine for `mode`. An explicit mode is used even when it is a software renderer;
 * `'gpu'` takes the first hardware GL context and rejects when there is none, listing why.
 */
export function openEngine(lib: GpujsModule, mode: GpujsMode): OpenedEngine {
  if (mode !== 'gpu') {
    const opened = tryOpen(lib, mode);
    if (typeof opened === 'string') {
      throw new BackendUnavailableError(`createGpujsBackend: mode '${mode}' is unavailable: ${opened}`);
    }
    return opened;
  }
  const reasons: string[] = [];
  for (const engine of AUTO_ORDER) {
    const opened = tryOpen(lib, engine);
    if (typeof opened === 'string') {
      reasons.push(`${engine}: ${opened}`);
    } else if (opened.software) {
      reasons.push(`${engine}: software renderer "${opened.renderer ?? 'unknown'}" (slower than the CPU backend)`);
      void opened.gpu.destroy();
    } else {
      return opened;
    }
  }
  throw new BackendUnavailableError(
    `createGpujsBackend: no hardware GPU context could be made (${reasons.join('; ')}); ` +
      `pass an explicit mode ('webgl2', 'webgl', 'webasm' or 'cpu') to use one anyway`,
  );
}
