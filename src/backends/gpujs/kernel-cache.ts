/**
 * Compiled kernels, cached by (op, shape). Compiling a gpu.js kernel costs milliseconds to
 * seconds, so each shape is compiled once on the backend's one context and reused; the least
 * recently used kernel is released when the cache is full.
 */
import { engineOf } from './engine.js';
import type { GpujsEngine } from './engine.js';
import type { GpujsInstance, GpujsKernel, GpujsModule } from './gpujs-module.js';

/** What is needed to compile one kernel for one shape. */
export interface KernelRecipe {
  source: string;
  /** Number of output elements (a 1-d output). */
  length: number;
  constants: Record<string, number>;
  /** The largest loop bound in the kernel: gpu.js stops such loops silently at loopMaxIterations. */
  longestLoop: number;
}

/** A run's result and the kernel class that really computed it (gpu.js may fall back to its CPU one). */
export interface KernelRun {
  result: Float32Array;
  ranOn: GpujsEngine | null;
  fallbackReason: string | null;
}

const CAPACITY = 64;

/** A cache of compiled kernels on one gpu.js context. */
export class KernelCache {
  private readonly kernels = new Map<string, GpujsKernel>();

  constructor(
    private readonly lib: GpujsModule,
    private readonly gpu: GpujsInstance,
  ) {}

  /** Runs the kernel for `key`, compiling it from `recipe()` on first use. */
  run(key: string, recipe: () => KernelRecipe, args: Float32Array[]): KernelRun {
    let kernel = this.kernels.get(key);
    if (kernel === undefined) {
      kernel = this.compile(recipe());
      if (this.kernels.size >= CAPACITY) this.evictOldest();
    } else {
      this.kernels.delete(key); // re-inserted below: Map order is recency order
    }
    this.kernels.set(key, kernel);
    const result = kernel(...args);
    if (!(result instanceof Float32Array)) {
      throw new Error(`gpujs kernel ${key} returned ${Object.prototype.toString.call(result)}, not a Float32Array`);
    }
    return { result, ranOn: engineOf(this.lib, kernel), fallbackReason: kernel.kernel.fallbackReason ?? null };
  }

  /** Releases every compiled kernel. */
  clear(): void {
    for (const kernel of this.kernels.values()) kernel.destroy(false);
    this.kernels.clear();
  }

  private compile(recipe: KernelRecipe): GpujsKernel {
    return this.gpu.createKernel(recipe.source, {
      output: [recipe.length],
      constants: recipe.constants,
      loopMaxIterations: Math.max(1, recipe.longestLoop),
      precision: 'single',
      tactic: 'precision',
    });
  }

  private evictOldest(): void {
    const oldest = this.kernels.keys().next();
    if (oldest.done === true) return;
    this.kernels.get(oldest.value)?.destroy(false);
    this.kernels.delete(oldest.value);
  }
}
