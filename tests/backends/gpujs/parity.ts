/**
 * The parity suite shared by every GPU lane (gpu.js in Node, WGSL in Node, WebGL and WebGPU in
 * headless Chromium): each case runs a backend's product on float32 copies of seeded random
 * inputs and compares it with the float64 reference kernels at awkward sizes
 * (1, 3, 17, 64, 129, 256, and K > 1000 once), within 1e-4 + 1e-4·|ref| per element.
 */
import type { Conv2dSpec, MatmulSpec } from '../../../src/kernels/backend.js';
import { conv2dCpu, conv2dInputGradCpu, conv2dWeightGradCpu } from '../../../src/kernels/conv2d.js';
import { matmulCpu } from '../../../src/kernels/matmul.js';
import type { FloatArray } from '../../../src/kernels/dtype.js';

/** The products under test, synchronous (gpu.js) or asynchronous (WebGPU). */
export interface ProductRunner {
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void | Promise<void>;
  conv2d(x: FloatArray, w: FloatArray, out: FloatArray, spec: Conv2dSpec): void | Promise<void>;
  conv2dInputGrad(g: FloatArray, w: FloatArray, gx: FloatArray, spec: Conv2dSpec): void | Promise<void>;
  conv2dWeightGrad(x: FloatArray, g: FloatArray, gw: FloatArray, spec: Conv2dSpec): void | Promise<void>;
}

/** One case's outcome: `worst` is the largest |got − ref| / (1e-4 + 1e-4·|ref|); ≤ 1 passes. */
export interface ParityResult {
  name: string;
  elements: number;
  worst: number;
  worstIndex: number;
  got: number;
  want: number;
}

/** A seeded uniform generator on [-1, 1) (mulberry32), so every lane sees the same inputs. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

function randomPair(n: number, next: () => number): [Float32Array, Float64Array] {
  const f32 = new Float32Array(n);
  for (let i = 0; i < n; i++) f32[i] = next();
  return [f32, Float64Array.from(f32)];
}

function compare(name: string, got: Float32Array, want: Float64Array): ParityResult {
  const r: ParityResult = { name, elements: want.length, worst: 0, worstIndex: -1, got: 0, want: 0 };
  for (let i = 0; i < want.length; i++) {
    const v = Math.abs(got[i] - want[i]) / (1e-4 + 1e-4 * Math.abs(want[i]));
    // NaN compares false, so a NaN result is caught by the second test.
    if (v > r.worst || Number.isNaN(v)) Object.assign(r, { worst: Number.isNaN(v) ? Infinity : v, worstIndex: i, got: got[i], want: want[i] });
  }
  return r;
}

interface MatmulCase {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  /** The A (or B) matrix is one matrix broadcast over the batch (batch stride 0). */
  broadcastA?: boolean;
  broadcastB?: boolean;
}

/** Matmul cases: every transposition, broadcasts on either side, K = 1100 once. */
export const MATMUL_CASES: readonly MatmulCase[] = [
  { batch: 1, m: 1, n: 1, k: 1 },
  { batch: 1, m: 3, n: 17, k: 1 },
  { batch: 2, m: 17, n: 3, k: 64, transA: true },
  { batch: 1, m: 64, n: 129, k: 17, transB: true },
  { batch: 3, m: 129, n: 64, k: 3, transA: true, transB: true, broadcastB: true },
  { batch: 1, m: 256, n: 17, k: 129 },
  { batch: 2, m: 17, n: 256, k: 256, transB: true, broadcastA: true },
  { batch: 2, m: 3, n: 5, k: 1100, transA: true },
];

function matmulSpec(c: MatmulCase): MatmulSpec {
  return {
    batch: c.batch, m: c.m, n: c.n, k: c.k, transA: c.transA === true, transB: c.transB === true,
    aBatchStride: c.broadcastA === true ? 0 : c.m * c.k,
    bBatchStride: c.broadcastB === true ? 0 : c.k * c.n,
  };
}

interface ConvCase {
  batch: number;
  inChannels: number;
  inH: number;
  inW: number;
  outChannels: number;
  kH: number;
  kW: number;
  stride?: [number, number];
  /** top, bottom, left, right */
  pad?: [number, number, number, number];
  dilation?: [number, number];
  groups?: number;
}

/** Conv cases: 'same' and asymmetric padding, stride, dilation, groups (depthwise too), 1×1 images, width 129. */
export const CONV_CASES: readonly ConvCase[] = [
  { batch: 2, inChannels: 3, inH: 17, inW: 17, outChannels: 4, kH: 3, kW: 3, pad: [1, 1, 1, 1] },
  { batch: 1, inChannels: 4, inH: 17, inW: 17, outChannels: 6, kH: 3, kW: 3, stride: [2, 2], pad: [1, 0, 0, 1], groups: 2 },
  { batch: 3, inChannels: 2, inH: 9, inW: 129, outChannels: 3, kH: 3, kW: 5, pad: [2, 2, 1, 3], dilation: [2, 1] },
  { batch: 1, inChannels: 1, inH: 1, inW: 1, outChannels: 1, kH: 1, kW: 1 },
  { batch: 2, inChannels: 6, inH: 8, inW: 8, outChannels: 6, kH: 3, kW: 3, pad: [1, 1, 1, 1], groups: 6 },
  { batch: 4, inChannels: 3, inH: 64, inW: 64, outChannels: 8, kH: 5, kW: 5, stride: [2, 3], pad: [2, 2, 2, 2], dilation: [1, 2] },
];

function convSpec(c: ConvCase): Conv2dSpec {
  const [sH, sW] = c.stride ?? [1, 1];
  const [pT, pB, pL, pR] = c.pad ?? [0, 0, 0, 0];
  const [dH, dW] = c.dilation ?? [1, 1];
  return {
    batch: c.batch, inChannels: c.inChannels, inH: c.inH, inW: c.inW, outChannels: c.outChannels, kH: c.kH, kW: c.kW,
    outH: Math.floor((c.inH + pT + pB - dH * (c.kH - 1) - 1) / sH) + 1,
    outW: Math.floor((c.inW + pL + pR - dW * (c.kW - 1) - 1) / sW) + 1,
    strideH: sH, strideW: sW, padTop: pT, padLeft: pL, dilationH: dH, dilationW: dW, groups: c.groups ?? 1,
  };
}

function describeConv(s: Conv2dSpec): string {
  return `x[${s.batch},${s.inChannels},${s.inH},${s.inW}] w[${s.outChannels},${s.inChannels / s.groups},${s.kH},${s.kW}] stride ${s.strideH},${s.strideW} pad ${s.padTop},${s.padLeft} dil ${s.dilationH},${s.dilationW} groups ${s.groups}`;
}

/** Runs every case on `runner` and returns one result per product. */
export async function runParity(runner: ProductRunner, opts: { seed?: number } = {}): Promise<ParityResult[]> {
  const next = uniform(opts.seed ?? 1234);
  const results: ParityResult[] = [];
  for (const c of MATMUL_CASES) {
    const s = matmulSpec(c);
    const [a32, a64] = randomPair(s.aBatchStride === 0 ? s.m * s.k : s.batch * s.m * s.k, next);
    const [b32, b64] = randomPair(s.bBatchStride === 0 ? s.k * s.n : s.batch * s.k * s.n, next);
    const want = new Float64Array(s.batch * s.m * s.n);
    matmulCpu(a64, b64, want, s);
    const got = new Float32Array(want.length).fill(Number.NaN);
    await runner.matmul(a32, b32, got, s);
    const name = `matmul batch ${s.batch} [${s.m},${s.k}]${s.transA ? 'ᵀ' : ''}${s.aBatchStride === 0 ? '(bcast)' : ''} x [${s.k},${s.n}]${s.transB ? 'ᵀ' : ''}${s.bBatchStride === 0 ? '(bcast)' : ''}`;
    results.push(compare(name, got, want));
  }
  for (const c of CONV_CASES) {
    const s = convSpec(c);
    const [x32, x64] = randomPair(s.batch * s.inChannels * s.inH * s.inW, next);
    const [w32, w64] = randomPair((s.outChannels * s.inChannels * s.kH * s.kW) / s.groups, next);
    const [g32, g64] = randomPair(s.batch * s.outChannels * s.outH * s.outW, next);
    const out64 = new Float64Array(g64.length);
    conv2dCpu(x64, w64, out64, s);
    const out32 = new Float32Array(out64.length).fill(Number.NaN);
    await runner.conv2d(x32, w32, out32, s);
    results.push(compare(`conv2d ${describeConv(s)}`, out32, out64));
    const gx64 = new Float64Array(x64.length);
    conv2dInputGradCpu(g64, w64, gx64, s);
    const gx32 = new Float32Array(gx64.length).fill(Number.NaN);
    await runner.conv2dInputGrad(g32, w32, gx32, s);
    results.push(compare(`conv2dInputGrad ${describeConv(s)}`, gx32, gx64));
    const gw64 = new Float64Array(w64.length);
    conv2dWeightGradCpu(x64, g64, gw64, s);
    const gw32 = new Float32Array(gw64.length).fill(Number.NaN);
    await runner.conv2dWeightGrad(x32, g32, gw32, s);
    results.push(compare(`conv2dWeightGrad ${describeConv(s)}`, gw32, gw64));
  }
  return results;
}

/** The number of product calls `runParity` makes. */
export const PARITY_CALLS = MATMUL_CASES.length + 3 * CONV_CASES.length;

/** A one-line report of the failing results, for assertion messages. */
export function describeFailures(results: readonly ParityResult[]): string {
  return results
    .filter((r) => !(r.worst <= 1))
    .map((r) => `${r.name}: element ${r.worstIndex} got ${r.got}, want ${r.want} (${r.worst.toFixed(2)}× tolerance)`)
    .join('\n');
}
