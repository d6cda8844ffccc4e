/**
 * The gpu.js backend: a plug-in (`ProductPlugin`) that serves matmul and the three convolution
 * products on gpu.js kernels; every other kernel falls back along the chain. Work below `minSize`
 * multiply-adds, float64 work (GPU kernels compute in float32; gradient checks need float64) and
 * empty work go to `fallbackBackend()` (the chain below: WebAssembly SIMD where on, then the CPU)
 * unchanged. Everything else runs in batch shards that keep every buffer below 2^24
 * elements (see shards.ts), on kernels compiled once per shape (see kernel-cache.ts).
 */
import { ShapeError } from '../../errors.js';
import type { FloatArray } from '../../kernels/dtype.js';
import type { Conv2dSpec, MatmulSpec, ProductPlugin } from '../../kernels/backend.js';
import { fallbackBackend } from '../../kernels/registry.js';
import { openEngine } from './engine.js';
import type { GpujsEngine, GpujsMode } from './engine.js';
import { loadGpujs } from './gpujs-module.js';
import { KernelCache } from './kernel-cache.js';
import type { KernelRun } from './kernel-cache.js';
import { CONV_CONSTANTS, conv2dInputGradSource, conv2dSource, conv2dWeightGradSource, matmulSource } from './kernel-sources.js';
import { FLOAT_INDEX_LIMIT, itemsPerShard } from './shards.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of `createGpujsBackend`. */
export interface GpujsBackendOptions {
  /** `'gpu'` (default) picks a hardware GL context and rejects on software renderers; a named mode forces that engine. */
  mode?: GpujsMode;
  /** Products with fewer multiply-adds than this run on the CPU backend (default `DEFAULT_MIN_SIZE`). */
  minSize?: number;
  /** Largest buffer a kernel may touch, in elements (default and maximum 2^24); lower values shard sooner. */
  maxBufferElements?: number;
}

/** Where a call really ran: a gpu.js engine ('cpu' = gpu.js's CPU kernel), or tsgrad's CPU backend. */
export type RunPlace = GpujsEngine | 'cpu-backend';

/** A gpu.js backend, with what it runs on and where its calls really ran. */
export interface GpujsBackend extends ProductPlugin {
  /** `gpujs-<engine>`, the engine verified by a probe kernel (never the one merely asked for). */
  readonly name: string;
  /** The gpu.js engine the kernels run on, as verified by the probe. */
  readonly engine: GpujsEngine;
  /** The GL renderer string, or null for webasm and cpu. */
  readonly renderer: string | null;
  /** True when the engine is not a hardware GPU (software renderer, webasm, cpu): its timings are no GPU speed. */
  readonly software: boolean;
  /** Products with fewer multiply-adds than this run on the CPU backend. */
  readonly minSize: number;
  /** How many kernel runs (shards) ran on each place, including gpu.js's silent CPU fallbacks. */
  runCounts(): Readonly<Record<RunPlace, number>>;
  /** The reason gpu.js gave for its last CPU fallback, or null when none happened. */
  lastFallbackReason(): string | null;
  /** Releases the compiled kernels and the context. */
  destroy(): Promise<void>;
}

/**
 * Default crossover, in multiply-adds (≈ a 128×128×64 matmul). Not measured on a real GPU yet (no
 * GPU was available): it is the work a ~2 GFLOP/s CPU kernel does in about the 0.5 ms that one GL
 * upload, draw and readback costs. Re-measure with `npm run bench:gpu` on real hardware.
 */
export const DEFAULT_MIN_SIZE = 2 ** 20;

function requireLength(op: string, name: string, array: FloatArray, needed: number): void {
  if (array.length < needed) {
    throw new ShapeError(`${op}: ${name} has ${array.length} elements, the spec needs ${needed}`);
  }
}

function convConstants(s: Conv2dSpec, batch: number): Record<string, number> {
  const values: Record<(typeof CONV_CONSTANTS)[number], number> = {
    N: batch, INC: s.inChannels, INH: s.inH, INW: s.inW, OUTC: s.outChannels, OUTH: s.outH, OUTW: s.outW,
    KH: s.kH, KW: s.kW, SH: s.strideH, SW: s.strideW, PT: s.padTop, PL: s.padLeft, DH: s.dilationH, DW: s.dilationW,
    CING: s.inChannels / s.groups, COUTG: s.outChannels / s.groups,
  };
  return values;
}

function convKey(op: string, s: Conv2dSpec, batch: number): string {
  return `${op}:${Object.values(convConstants(s, batch)).join(',')}`;
}

/**
 * Creates the gpu.js backend: loads gpu.js, opens and probes the engine for `opts.mode`.
 * Rejects with a `BackendUnavailableError` saying which and why when gpu.js is missing or no
 * context can be made (or, for `'gpu'`, only a software renderer exists).
 */
export async function createGpujsBackend(opts: GpujsBackendOptions = {}): Promise<GpujsBackend> {
  checkOptions('createGpujsBackend', opts, optionKeys<GpujsBackendOptions>({ mode: true, minSize: true, maxBufferElements: true }));
  const minSize = opts.minSize ?? DEFAULT_MIN_SIZE;
  const limit = Math.min(opts.maxBufferElements ?? FLOAT_INDEX_LIMIT, FLOAT_INDEX_LIMIT);
  if (!(minSize >= 0) || !(limit >= 1)) {
    throw new RangeError(`createGpujsBackend: minSize must be >= 0 and maxBufferElements >= 1 (got ${minSize}, ${limit})`);
  }
  const lib = await loadGpujs();
  const opened = openEngine(lib, opts.mode ?? 'gpu');
  const cache = new KernelCache(lib, opened.gpu);
  const counts: Record<RunPlace, number> = { webgl2: 0, webgl: 0, headlessgl: 0, webasm: 0, cpu: 0, 'cpu-backend': 0 };
  let fallbackReason: string | null = null;
  const name = `gpujs-${opened.engine}`;

  function record(run: KernelRun): Float32Array {
    if (run.ranOn === null) throw new Error(`${name}: a kernel ran on an unknown gpu.js kernel class`);
    counts[run.ranOn] += 1;
    if (run.ranOn !== opened.engine) fallbackReason = run.fallbackReason ?? 'gpu.js gave no reason';
    return run.result;
  }

  function delegated(): void {
    counts['cpu-backend'] += 1;
  }

  function matmul(a: FloatArray, b: FloatArray, out: FloatArray, s: MatmulSpec): void {
    const work = s.batch * s.m * s.n * s.k;
    if (work === 0 || work < minSize || !(a instanceof Float32Array) || !(b instanceof Float32Array) || !(out instanceof Float32Array)) {
      delegated();
      fallbackBackend().matmul(a, b, out, s);
      return;
    }
    const aSize = s.m * s.k;
    const bSize = s.k * s.n;
    const outSize = s.m * s.n;
    requireLength('matmul', 'A', a, s.aBatchStride * (s.batch - 1) + aSize);
    requireLength('matmul', 'B', b, s.bBatchStride * (s.batch - 1) + bSize);
    requireLength('matmul', 'out', out, s.batch * outSize);
    const per = itemsPerShard(`matmul (${name})`, s.batch, [
      { name: `A [${s.m},${s.k}]`, perItem: s.aBatchStride, shared: s.aBatchStride === 0 ? aSize : 0 },
      { name: `B [${s.k},${s.n}]`, perItem: s.bBatchStride, shared: s.bBatchStride === 0 ? bSize : 0 },
      { name: `out [${s.m},${s.n}]`, perItem: outSize, shared: 0 },
    ], limit);
    const source = matmulSource(s.transA, s.transB);
    for (let b0 = 0; b0 < s.batch; b0 += per) {
      const count = Math.min(per, s.batch - b0);
      const aStart = b0 * s.aBatchStride;
      const bStart = b0 * s.bBatchStride;
      const aPart = a.subarray(aStart, aStart + (count - 1) * s.aBatchStride + aSize);
      const bPart = b.subarray(bStart, bStart + (count - 1) * s.bBatchStride + bSize);
      const key = `matmul:${s.transA ? 'T' : 'N'}${s.transB ? 'T' : 'N'}:${count},${s.m},${s.n},${s.k},${s.aBatchStride},${s.bBatchStride}`;
      const recipe = () => ({
        source,
        length: count * outSize,
        constants: { M: s.m, N: s.n, K: s.k, MN: outSize, A_STRIDE: s.aBatchStride, B_STRIDE: s.bBatchStride },
        longestLoop: s.k,
      });
      out.set(record(cache.run(key, recipe, [aPart, bPart])), b0 * outSize);
    }
  }

  /** Shards a convolution product over the batch; `each` runs one shard of `count` entries from `n0`. */
  function convShards(op: string, s: Conv2dSpec, each: (n0: number, count: number) => void): void {
    const per = itemsPerShard(`${op} (${name})`, s.batch, [
      { name: `x [${s.inChannels},${s.inH},${s.inW}] per batch entry`, perItem: s.inChannels * s.inH * s.inW, shared: 0 },
      { name: `out [${s.outChannels},${s.outH},${s.outW}] per batch entry`, perItem: s.outChannels * s.outH * s.outW, shared: 0 },
      { name: `w [${s.outChannels},${s.inChannels / s.groups},${s.kH},${s.kW}]`, perItem: 0, shared: (s.outChannels * s.inChannels * s.kH * s.kW) / s.groups },
    ], limit);
    for (let n0 = 0; n0 < s.batch; n0 += per) each(n0, Math.min(per, s.batch - n0));
  }

  function convWork(s: Conv2dSpec): number {
    return s.batch * s.outChannels * s.outH * s.outW * (s.inChannels / s.groups) * s.kH * s.kW;
  }

  function checkConvLengths(op: string, s: Conv2dSpec, x: FloatArray, w: FloatArray, out: FloatArray): void {
    requireLength(op, 'x', x, s.batch * s.inChannels * s.inH * s.inW);
    requireLength(op, 'w', w, (s.outChannels * s.inChannels * s.kH * s.kW) / s.groups);
    requireLength(op, 'out', out, s.batch * s.outChannels * s.outH * s.outW);
  }

  function conv2d(x: FloatArray, w: FloatArray, out: FloatArray, s: Conv2dSpec): void {
    const work = convWork(s);
    if (work === 0 || work < minSize || !(x instanceof Float32Array) || !(w instanceof Float32Array) || !(out instanceof Float32Array)) {
      delegated();
      fallbackBackend().conv2d(x, w, out, s);
      return;
    }
    checkConvLengths('conv2d', s, x, w, out);
    const xItem = s.inChannels * s.inH * s.inW;
    const outItem = s.outChannels * s.outH * s.outW;
    const wPart = w.subarray(0, (s.outChannels * s.inChannels * s.kH * s.kW) / s.groups);
    convShards('conv2d', s, (n0, count) => {
      const recipe = () => ({
        source: conv2dSource,
        length: count * outItem,
        constants: convConstants(s, count),
        longestLoop: Math.max(s.inChannels / s.groups, s.kH, s.kW),
      });
      const xPart = x.subarray(n0 * xItem, (n0 + count) * xItem);
      out.set(record(cache.run(convKey('conv2d', s, count), recipe, [xPart, wPart])), n0 * outItem);
    });
  }

  function conv2dInputGrad(gradOut: FloatArray, w: FloatArray, gradX: FloatArray, s: Conv2dSpec): void {
    const work = convWork(s);
    if (work === 0 || work < minSize || !(gradOut instanceof Float32Array) || !(w instanceof Float32Array) || !(gradX instanceof Float32Array)) {
      delegated();
      fallbackBackend().conv2dInputGrad(gradOut, w, gradX, s);
      return;
    }
    checkConvLengths('conv2dInputGrad', s, gradX, w, gradOut);
    const xItem = s.inChannels * s.inH * s.inW;
    const outItem = s.outChannels * s.outH * s.outW;
    const wPart = w.subarray(0, (s.outChannels * s.inChannels * s.kH * s.kW) / s.groups);
    convShards('conv2dInputGrad', s, (n0, count) => {
      const recipe = () => ({
        source: conv2dInputGradSource,
        length: count * xItem,
        constants: convConstants(s, count),
        longestLoop: Math.max(s.outChannels / s.groups, s.kH, s.kW),
      });
      const gPart = gradOut.subarray(n0 * outItem, (n0 + count) * outItem);
      gradX.set(record(cache.run(convKey('conv2dInputGrad', s, count), recipe, [gPart, wPart])), n0 * xItem);
    });
  }

  function conv2dWeightGrad(x: FloatArray, gradOut: FloatArray, gradW: FloatArray, s: Conv2dSpec): void {
    const work = convWork(s);
    if (work === 0 || work < minSize || !(x instanceof Float32Array) || !(gradOut instanceof Float32Array) || !(gradW instanceof Float32Array)) {
      delegated();
      fallbackBackend().conv2dWeightGrad(x, gradOut, gradW, s);
      return;
    }
    checkConvLengths('conv2dWeightGrad', s, x, gradW, gradOut);
    const xItem = s.inChannels * s.inH * s.inW;
    const outItem = s.outChannels * s.outH * s.outW;
    const wSize = (s.outChannels * s.inChannels * s.kH * s.kW) / s.groups;
    // ∂L/∂w sums over the batch, so each shard's partial sum is added to the previous ones.
    let first = true;
    convShards('conv2dWeightGrad', s, (n0, count) => {
      const recipe = () => ({
        source: conv2dWeightGradSource,
        length: wSize,
        constants: convConstants(s, count),
        longestLoop: Math.max(count, s.outH, s.outW),
      });
      const xPart = x.subarray(n0 * xItem, (n0 + count) * xItem);
      const gPart = gradOut.subarray(n0 * outItem, (n0 + count) * outItem);
      const partial = record(cache.run(convKey('conv2dWeightGrad', s, count), recipe, [xPart, gPart]));
      if (first) gradW.set(partial);
      else for (let i = 0; i < wSize; i++) gradW[i] += partial[i];
      first = false;
    });
  }

  return {
    name,
    engine: opened.engine,
    renderer: opened.renderer,
    software: opened.software,
    minSize,
    matmul,
    conv2d,
    conv2dInputGrad,
    conv2dWeightGrad,
    runCounts: () => ({ ...counts }),
    lastFallbackReason: () => fallbackReason,
    async destroy() {
      cache.clear();
      await opened.gpu.destroy();
    },
    // int8 products (quantized layers) run on the CPU's SIMD kernel
  };
}
