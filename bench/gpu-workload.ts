/**
 * The GPU benchmark workload, shared by the Node rows and the headless-Chromium rows of
 * bench/gpu.ts: matmul n×n·n×n (n = 256…2048) and the W2 conv workload (N=32, 16→32 channels,
 * 28×28, 3×3, padding 1: forward, input gradient, weight gradient), timed per engine as the median
 * of whole calls including upload and readback (the first call, which compiles, is not timed).
 */
import type { Conv2dSpec, MatmulSpec } from '../src/kernels/backend.js';
import type { FloatArray } from '../src/kernels/dtype.js';
import { randomFloat32 } from './workloads/random.js';

/** The products one row times; async ones (WebGPU) are awaited. */
export interface BenchRunner {
  /** The engine that really runs, with "software" when it is not a hardware GPU. */
  label: string;
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, s: MatmulSpec): void | Promise<void>;
  conv2d(x: FloatArray, w: FloatArray, out: FloatArray, s: Conv2dSpec): void | Promise<void>;
  conv2dInputGrad(g: FloatArray, w: FloatArray, gx: FloatArray, s: Conv2dSpec): void | Promise<void>;
  conv2dWeightGrad(x: FloatArray, g: FloatArray, gw: FloatArray, s: Conv2dSpec): void | Promise<void>;
  /** Largest work (multiply-adds) worth timing on this row; slow software rows skip bigger sizes. */
  maxWork: number;
}

/** The four products of `b`, bound to it (a backend's methods may rely on `this`). */
export function bindProducts(b: Omit<BenchRunner, 'label' | 'maxWork'>): Omit<BenchRunner, 'label' | 'maxWork'> {
  return {
    matmul: (...args) => b.matmul(...args),
    conv2d: (...args) => b.conv2d(...args),
    conv2dInputGrad: (...args) => b.conv2dInputGrad(...args),
    conv2dWeightGrad: (...args) => b.conv2dWeightGrad(...args),
  };
}

/** Median ms of `run` over at least 3 calls (and `budgetMs`), after one untimed call that compiles. */
async function median(run: () => void | Promise<void>, budgetMs: number): Promise<number> {
  await run();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start < budgetMs && times.length < 50)) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const HEADER = ['| engine | median ms | GFLOP/s | speed vs first row |', '| --- | ---: | ---: | ---: |'];

function row(label: string, ms: number | null, flops: number, firstMs: number | null): string {
  if (ms === null) return `| ${label} | skipped (too slow) | | |`;
  const ratio = firstMs === null ? '' : `${(firstMs / ms).toFixed(2)}×`;
  return `| ${label} | ${ms.toFixed(ms >= 100 ? 0 : 2)} | ${(flops / ms / 1e6).toFixed(2)} | ${ratio} |`;
}

async function table(title: string, rows: readonly BenchRunner[], work: number, budgetMs: number, op: (r: BenchRunner) => void | Promise<void>): Promise<string[]> {
  const lines = [`#### ${title}`, '', ...HEADER];
  let firstMs: number | null = null;
  for (const [i, r] of rows.entries()) {
    const ms = work > r.maxWork ? null : await median(() => op(r), budgetMs);
    if (i === 0) firstMs = ms;
    lines.push(row(r.label, ms, 2 * work, firstMs));
  }
  return [...lines, ''];
}

/** Runs the workload on `rows` (the first row is the baseline) and returns markdown tables. */
export async function runGpuBench(rows: readonly BenchRunner[], quick: boolean): Promise<string[]> {
  const budgetMs = quick ? 300 : 2000;
  const lines: string[] = [];
  for (const n of quick ? [256, 512] : [256, 512, 1024, 2048]) {
    const s: MatmulSpec = { batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: n * n, bBatchStride: n * n };
    const a = randomFloat32(n * n, 1), b = randomFloat32(n * n, 2), out = new Float32Array(n * n);
    lines.push(...(await table(`matmul ${n}×${n}·${n}×${n}`, rows, n * n * n, budgetMs, (r) => r.matmul(a, b, out, s))));
  }
  const batch = 32;
  const cs: Conv2dSpec = {
    batch, inChannels: 16, inH: 28, inW: 28, outChannels: 32, kH: 3, kW: 3, outH: 28, outW: 28,
    strideH: 1, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, groups: 1,
  };
  const x = randomFloat32(batch * 16 * 28 * 28, 3), w = randomFloat32(32 * 16 * 9, 4), g = randomFloat32(batch * 32 * 28 * 28, 5);
  const out = new Float32Array(g.length), gx = new Float32Array(x.length), gw = new Float32Array(w.length);
  const work = batch * 32 * 28 * 28 * 16 * 9;
  const conv = 'N=32, 16→32, 28×28, 3×3, pad 1';
  lines.push(...(await table(`conv2d forward, ${conv}`, rows, work, budgetMs, (r) => r.conv2d(x, w, out, cs))));
  lines.push(...(await table(`conv2d input gradient, ${conv}`, rows, work, budgetMs, (r) => r.conv2dInputGrad(g, w, gx, cs))));
  lines.push(...(await table(`conv2d weight gradient, ${conv}`, rows, work, budgetMs, (r) => r.conv2dWeightGrad(x, g, gw, cs))));
  return lines;
}
