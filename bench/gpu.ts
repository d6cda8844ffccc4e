/**
 * The GPU path next to the CPU path: matmul n×n·n×n (n = 256…2048) and the W2 conv workload
 * (N=32, 16→32 channels, 28×28, 3×3, padding 1: forward, input gradient, weight gradient).
 *
 *   npm run bench:gpu              full sizes
 *   npm run bench:gpu -- --quick   n ≤ 512, fewer iterations
 *
 * Rows: the CPU backend; gpu.js on webasm and on its JS `cpu` engine (both CPU code); the WGSL
 * kernels on WebGPU through Node's `webgpu` package. Every engine is labelled with what really
 * ran it: a row marked "software" ran on the CPU (SwiftShader included) and is no GPU speed.
 * Times are medians of whole calls including upload and readback (first call, which compiles, excluded).
 */
import { cpus } from 'node:os';
import { createGpujsBackend, createWebGpuKernels } from '../src/gpu.js';
import type { Conv2dSpec, MatmulSpec } from '../src/kernels/backend.js';
import { cpuBackend } from '../src/kernels/registry.js';
import type { FloatArray } from '../src/tensor/dtype.js';
import { openSwiftShaderDevice } from '../tests/gpu/webgpu-node.js';
import { randomFloat32 } from './workloads/random.js';

/** The products one row times; async ones (WebGPU) are awaited. */
interface Runner {
  label: string;
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, s: MatmulSpec): void | Promise<void>;
  conv2d(x: FloatArray, w: FloatArray, out: FloatArray, s: Conv2dSpec): void | Promise<void>;
  conv2dInputGrad(g: FloatArray, w: FloatArray, gx: FloatArray, s: Conv2dSpec): void | Promise<void>;
  conv2dWeightGrad(x: FloatArray, g: FloatArray, gw: FloatArray, s: Conv2dSpec): void | Promise<void>;
  /** Largest work (multiply-adds) worth timing on this row; slower rows skip the big sizes. */
  maxWork: number;
}

const quick = process.argv.includes('--quick');
const budgetMs = quick ? 300 : 2000;

/** Median ms of `run` over at least 3 calls (and `budgetMs`), after one untimed call that compiles. */
async function median(run: () => void | Promise<void>): Promise<number> {
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

async function runners(): Promise<Runner[]> {
  const rows: Runner[] = [{ ...cpuBackend, label: 'cpu backend', maxWork: Infinity }];
  for (const mode of ['webasm', 'cpu'] as const) {
    const b = await createGpujsBackend({ mode, minSize: 0 });
    rows.push({ ...bind(b), label: `${b.name} (software: CPU)`, maxWork: mode === 'cpu' ? 2 ** 28 : 2 ** 30 });
  }
  try {
    const opened = await openSwiftShaderDevice();
    const k = createWebGpuKernels(opened, { minSize: 0 });
    const kind = opened.software ? `software: ${opened.adapterDescription}` : `hardware: ${opened.adapterDescription}`;
    // SwiftShader runs these shaders at ~0.1 GFLOP/s: sizes above 512³ would take minutes per call.
    rows.push({ ...bind(k), label: `webgpu WGSL (${kind})`, maxWork: opened.software ? 2 ** 28 : Infinity });
  } catch (e: unknown) {
    console.log(`(no WebGPU row: ${e instanceof Error ? e.message : String(e)})`);
  }
  return rows;
}

/** The four products of `b`, bound to it. */
function bind(b: Omit<Runner, 'label' | 'maxWork'>): Omit<Runner, 'label' | 'maxWork'> {
  return {
    matmul: (...args) => b.matmul(...args),
    conv2d: (...args) => b.conv2d(...args),
    conv2dInputGrad: (...args) => b.conv2dInputGrad(...args),
    conv2dWeightGrad: (...args) => b.conv2dWeightGrad(...args),
  };
}

function row(label: string, ms: number | null, flops: number, cpuMs: number | null): string {
  if (ms === null) return `| ${label} | skipped (too slow) | | |`;
  const ratio = cpuMs === null ? '' : `${(cpuMs / ms).toFixed(2)}×`;
  return `| ${label} | ${ms.toFixed(ms >= 100 ? 0 : 2)} | ${(flops / ms / 1e6).toFixed(2)} | ${ratio} |`;
}

const HEADER = '| engine | median ms | GFLOP/s | speed vs cpu backend |\n| --- | ---: | ---: | ---: |';

async function main(): Promise<void> {
  console.log(`# GPU path benchmark${quick ? ' (quick)' : ''}`);
  console.log(`${new Date().toISOString()} · Node ${process.version} · ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}\n`);
  const rows = await runners();

  for (const n of quick ? [256, 512] : [256, 512, 1024, 2048]) {
    const s: MatmulSpec = { batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: n * n, bBatchStride: n * n };
    const a = randomFloat32(n * n, 1), b = randomFloat32(n * n, 2), out = new Float32Array(n * n);
    const flops = 2 * n * n * n;
    console.log(`## matmul ${n}×${n}·${n}×${n}\n\n${HEADER}`);
    let cpuMs: number | null = null;
    for (const r of rows) {
      const ms = n * n * n > r.maxWork ? null : await median(() => r.matmul(a, b, out, s));
      if (r.label === 'cpu backend') cpuMs = ms;
      console.log(row(r.label, ms, flops, cpuMs));
    }
    console.log('');
  }

  const batch = 32;
  const cs: Conv2dSpec = {
    batch, inChannels: 16, inH: 28, inW: 28, outChannels: 32, kH: 3, kW: 3, outH: 28, outW: 28,
    strideH: 1, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, groups: 1,
  };
  const x = randomFloat32(batch * 16 * 28 * 28, 3), w = randomFloat32(32 * 16 * 9, 4), g = randomFloat32(batch * 32 * 28 * 28, 5);
  const out = new Float32Array(g.length), gx = new Float32Array(x.length), gw = new Float32Array(w.length);
  const flops = 2 * batch * 32 * 28 * 28 * 16 * 9;
  const ops: [string, (r: Runner) => void | Promise<void>][] = [
    ['conv2d forward', (r) => r.conv2d(x, w, out, cs)],
    ['conv2d input gradient', (r) => r.conv2dInputGrad(g, w, gx, cs)],
    ['conv2d weight gradient', (r) => r.conv2dWeightGrad(x, g, gw, cs)],
  ];
  for (const [name, op] of ops) {
    console.log(`## ${name}, N=32, 16→32, 28×28, 3×3, pad 1\n\n${HEADER}`);
    let cpuMs: number | null = null;
    for (const r of rows) {
      const ms = flops / 2 > r.maxWork ? null : await median(() => op(r));
      if (r.label === 'cpu backend') cpuMs = ms;
      console.log(row(r.label, ms, flops, cpuMs));
    }
    console.log('');
  }
  process.exit(0); // Dawn keeps the event loop alive
}

await main();
