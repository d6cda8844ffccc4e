/**
 * The part of a multi-threaded CPU backend that does not depend on how threads are made: it
 * splits each large matmul or convolution call into slices, gives one slice to the calling
 * thread and one to each worker of a `SyncKernelPool` (Node worker_threads in src/node/, Web
 * Workers in `web-worker-pool.ts`), and assembles the result. Calls stay synchronous.
 *
 * Splitting: a matmul by rows of the output (or by batch entries when there are many small
 * products), a convolution by samples. Each slice is an independent, identical computation, so
 * the result equals the single-thread one exactly; the weight gradient, a sum over samples, is
 * summed from per-thread partials (the same terms, added in a different order).
 * Below `minWork` multiply-adds a call runs on the calling thread alone: waking a worker and
 * copying its inputs into shared memory costs tens of microseconds.
 */
import type { Conv2dSpec, MatmulSpec, ProductPlugin } from '../../kernels/backend.js';
import type { ConvTask, KernelTask } from './kernel-tasks.js';
import { foldBatch } from '../../kernels/matmul.js';
import { fallbackBackend } from '../../kernels/registry.js';
import { SharedArena } from './shared-arena.js';
import { wasmKernelsActive } from '../wasm/simd.js';
import type { FloatArray } from '../../kernels/dtype.js';

/** Worker threads that run kernel tasks synchronously, as seen by the splitter. */
export interface SyncKernelPool {
  /** Workers, not counting the calling thread. */
  readonly size: number;
  /** Runs `workerTasks[i]` on worker i and `mainTask` on the caller; returns when all are done. */
  run(mainTask: KernelTask, workerTasks: readonly KernelTask[]): void;
  close(): Promise<void>;
}

/**
 * A plug-in whose large matmul and convolution calls are split over a pool; smaller calls, and
 * every other kernel, run on the chain below it (`fallbackBackend()`) in the calling thread.
 * `close()` stops the workers; afterwards every call runs on the calling thread.
 */
export interface ThreadedBackend extends ProductPlugin {
  /** Threads a large call is split over, the calling thread included. */
  readonly threads: number;
  /** Stops the workers and frees their shared memory; later calls are refused. `await backend.close()` */
  close(): Promise<void>;
}

/**
 * Default `minWork`: 2²² multiply-adds, about a 161³ matmul (0.2–0.4 ms on the SIMD kernel).
 * Measured on these shared 2-core machines (bench/RESULTS.md, 2026-12-04): at 128³ two threads
 * ran 0.65–0.92× one thread in every run; between 144³ and 256³ the medians of repeated runs lay
 * at 0.95–1.27×, the crossover lost in the noise; from 2²⁵ (n = 320) threads paid 1.75–2.2×.
 */
export const DEFAULT_MIN_WORK = 1 << 22;

/** Splits [0, total) into `parts` contiguous ranges whose lengths are multiples of `unit` (but the last). */
function splitRange(total: number, parts: number, unit: number): [number, number][] {
  const units = Math.ceil(total / unit);
  const ranges: [number, number][] = [];
  for (let p = 0; p < parts; p++) {
    const start = Math.min(total, Math.floor((units * p) / parts) * unit);
    const end = Math.min(total, Math.floor((units * (p + 1)) / parts) * unit);
    if (end > start) ranges.push([start, end]);
  }
  return ranges;
}

/** The splitting backend over `pool` (pool.size workers + the calling thread). */
export function createSplitBackend(name: string, pool: SyncKernelPool, minWork: number = DEFAULT_MIN_WORK): ThreadedBackend {
  const threads = pool.size + 1;
  let arena = new SharedArena();
  let closed = false;

  /**
   * Runs one split call on the pool. After a failure the arena is replaced, so a worker that was
   * given up on and has not quite stopped cannot write into a later call's shared arrays.
   */
  function runPooled(mainTask: KernelTask, workerTasks: readonly KernelTask[]): void {
    try {
      pool.run(mainTask, workerTasks);
    } catch (e) {
      arena = new SharedArena();
      throw e;
    }
  }

  function matmul(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void {
    const s = foldBatch(spec);
    if (closed || threads === 1 || s.batch * s.m * s.n * s.k < minWork) return fallbackBackend().matmul(a, b, out, spec);
    // Many small products: whole batch entries per thread; otherwise rows, in multiples of the 4-row tile.
    const byBatch = s.batch >= threads && s.m < 64;
    const ranges = byBatch ? splitRange(s.batch, threads, 1) : splitRange(s.m, threads, 4);
    const tasks: KernelTask[] = ranges.map(([start, end]) => ({
      op: 'matmul', a, b, out, spec: s, wasm: wasmKernelsActive(),
      batchStart: byBatch ? start : 0, batchEnd: byBatch ? end : s.batch,
      rowStart: byBatch ? 0 : start, rowEnd: byBatch ? s.m : end,
    }));
    if (tasks.length === 1) return fallbackBackend().matmul(a, b, out, spec);
    arena.begin(SharedArena.bytesFor(a, a.length) + SharedArena.bytesFor(b, b.length) + SharedArena.bytesFor(out, out.length));
    const aS = arena.share(a), bS = arena.share(b);
    const outS = out.buffer instanceof SharedArrayBuffer ? out : arena.take(out, out.length);
    const [mainTask, ...workerTasks] = tasks;
    runPooled(mainTask, workerTasks.map((t) => ({ ...t, a: aS, b: bS, out: outS })));
    if (outS === out) return;
    const rowLen = s.n;
    for (const t of workerTasks) {
      if (t.op !== 'matmul') continue;
      for (let bi = t.batchStart; bi < t.batchEnd; bi++) {
        const from = (bi * s.m + t.rowStart) * rowLen, to = (bi * s.m + t.rowEnd) * rowLen;
        out.set(outS.subarray(from, to), from);
      }
    }
  }

  /**
   * Runs a convolution kernel split by samples. `firstPer`/`secondPer`/`outPer` are elements
   * per sample of each array, 0 for an array every slice uses whole (the weights); a weight
   * gradient (outPer = 0) gets one partial sum per worker, added into `out` at the end.
   */
  function convBySamples(
    op: ConvTask['op'], first: FloatArray, second: FloatArray, out: FloatArray, spec: Conv2dSpec,
    firstPer: number, secondPer: number, outPer: number,
  ): void {
    const ranges = splitRange(spec.batch, threads, 1);
    const sliceOf = (arr: FloatArray, per: number, [n0, n1]: [number, number]) => (per === 0 ? arr : arr.subarray(n0 * per, n1 * per));
    let bytes = 0;
    for (const r of ranges.slice(1)) {
      bytes += SharedArena.bytesFor(first, (r[1] - r[0]) * firstPer) + SharedArena.bytesFor(second, (r[1] - r[0]) * secondPer);
      bytes += SharedArena.bytesFor(out, outPer === 0 ? out.length : (r[1] - r[0]) * outPer);
    }
    bytes += SharedArena.bytesFor(first, firstPer === 0 ? first.length : 0) + SharedArena.bytesFor(second, secondPer === 0 ? second.length : 0);
    arena.begin(bytes);
    const firstWhole = firstPer === 0 ? arena.share(first) : first;
    const secondWhole = secondPer === 0 ? arena.share(second) : second;
    const wasm = wasmKernelsActive();
    const tasks: ConvTask[] = ranges.map((r, i) => {
      const sub = { ...spec, batch: r[1] - r[0] };
      if (i === 0) return { op, wasm, first: sliceOf(first, firstPer, r), second: sliceOf(second, secondPer, r), out: sliceOf(out, outPer, r), spec: sub };
      return {
        op, wasm, spec: sub,
        first: firstPer === 0 ? firstWhole : arena.share(sliceOf(first, firstPer, r)),
        second: secondPer === 0 ? secondWhole : arena.share(sliceOf(second, secondPer, r)),
        out: arena.take(out, outPer === 0 ? out.length : (r[1] - r[0]) * outPer),
      };
    });
    const [mainTask, ...workerTasks] = tasks;
    runPooled(mainTask, workerTasks);
    workerTasks.forEach((t, i) => {
      if (outPer === 0) {
        for (let j = 0; j < out.length; j++) out[j] += t.out[j];
      } else {
        out.set(t.out, ranges[i + 1][0] * outPer);
      }
    });
  }

  const convWork = (s: Conv2dSpec) => (s.batch * s.outChannels * s.outH * s.outW * s.inChannels * s.kH * s.kW) / s.groups;
  const single = (s: Conv2dSpec) => closed || threads === 1 || s.batch < 2 || convWork(s) < minWork;
  const xPer = (s: Conv2dSpec) => s.inChannels * s.inH * s.inW;
  const outPer = (s: Conv2dSpec) => s.outChannels * s.outH * s.outW;

  return {
    name: `${name}-${threads}`,
    threads,
    matmul,
    conv2d(x, w, out, s) {
      if (single(s)) return fallbackBackend().conv2d(x, w, out, s);
      convBySamples('conv2d', x, w, out, s, xPer(s), 0, outPer(s));
    },
    conv2dInputGrad(gradOut, w, gradX, s) {
      if (single(s)) return fallbackBackend().conv2dInputGrad(gradOut, w, gradX, s);
      convBySamples('conv2dInputGrad', gradOut, w, gradX, s, outPer(s), 0, xPer(s));
    },
    conv2dWeightGrad(x, gradOut, gradW, s) {
      if (single(s)) return fallbackBackend().conv2dWeightGrad(x, gradOut, gradW, s);
      convBySamples('conv2dWeightGrad', x, gradOut, gradW, s, xPer(s), outPer(s), 0);
    },
    close: () => {
      closed = true;
      return pool.close();
    },
    // int8 products (quantized layers) run in this thread on the SIMD kernel
  };
}
