/**
 * WGSL compute shaders for matmul and the three convolution products: the same math as the gpu.js
 * kernels (kernel-sources.ts), for WebGPU, whose kernels are asynchronous by nature.
 *
 * Shapes are baked in as WGSL constants (one pipeline per shape, cached by the caller), so loops
 * have constant bounds and indices are exact u32/i32 integers (no float-index limit; only the
 * buffer-size limit applies). Matmul is tiled in workgroup memory; each convolution shader
 * computes a 1-d output, one invocation per element, laid out as a 2-d grid of 64-wide workgroups,
 * `ROW` invocations per grid row, because one dispatch dimension holds at most 65535 workgroups.
 */
import type { Conv2dSpec, MatmulSpec } from '../../kernels/backend.js';

/** Invocations per workgroup of the 1-d (convolution) shaders. */
export const WORKGROUP_SIZE = 64;

/** Side of the square matmul tiles (a workgroup is TILE × TILE invocations). */
export const TILE = 16;

/** The most workgroups one dispatch dimension may hold (WebGPU's default limit). */
export const MAX_GROUPS = 65535;

/** Workgroups along x of the dispatch grid for `total` invocations, and along y. */
export function dispatchGrid(total: number): [number, number, number] {
  const groups = Math.ceil(total / WORKGROUP_SIZE);
  const x = Math.min(groups, MAX_GROUPS);
  return [x, Math.ceil(groups / x), 1];
}

function header(total: number, constants: Record<string, number>, type: 'u32' | 'i32'): string {
  const [gx] = dispatchGrid(total);
  const lines = Object.entries(constants).map(([name, value]) => `const ${name}: ${type} = ${value};`);
  return `const TOTAL: u32 = ${total}u;
const ROW: u32 = ${gx * WORKGROUP_SIZE}u;
${lines.join('\n')}
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;
`;
}

const ENTRY = `@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let t = gid.y * ROW + gid.x;
  if (t >= TOTAL) { return; }`;

/** The matmul dispatch grid: one workgroup per TILE×TILE output tile, batches along z. */
export function matmulGrid(s: MatmulSpec): [number, number, number] {
  return [Math.ceil(s.n / TILE), Math.ceil(s.m / TILE), Math.min(s.batch, MAX_GROUPS)];
}

/**
 * out[b, i, j] = Σ_p A[b, i, p] · B[b, p, j] (in0 = A, in1 = B; see MatmulSpec for layouts), tiled:
 * each workgroup owns one TILE×TILE block of out and walks K in TILE-wide steps, staging a block of
 * A and of B in workgroup memory, so each element read from storage serves TILE products instead
 * of one. Loads are arranged so that neighbouring invocations (lid.x) read neighbouring addresses
 * whatever the transposition. A workgroup handles batches wg.z, wg.z + Z, … (more than 65535
 * batches do not fit one dimension). Every branch around a barrier depends on workgroup-uniform
 * values only, as WGSL requires.
 */
export function matmulWgsl(s: MatmulSpec): string {
  const [, , zGroups] = matmulGrid(s);
  const loadA = s.transA
    ? `// A stored [K, M]: lid.x walks M.
    let ar = wg.y * TILE + lid.x;
    let ak = t0 + lid.y;
    var av = 0.0;
    if (ar < M && ak < K) { av = in0[aBase + ak * M + ar]; }
    tileA[lid.x * TILE + lid.y] = av;`
    : `let ar = wg.y * TILE + lid.y;
    let ak = t0 + lid.x;
    var av = 0.0;
    if (ar < M && ak < K) { av = in0[aBase + ar * K + ak]; }
    tileA[lid.y * TILE + lid.x] = av;`;
  const loadB = s.transB
    ? `// B stored [N, K]: lid.x walks K.
    let bc = wg.x * TILE + lid.y;
    let bk = t0 + lid.x;
    var bv = 0.0;
    if (bc < N && bk < K) { bv = in1[bBase + bc * K + bk]; }
    tileB[lid.x * TILE + lid.y] = bv;`
    : `let bc = wg.x * TILE + lid.x;
    let bk = t0 + lid.y;
    var bv = 0.0;
    if (bc < N && bk < K) { bv = in1[bBase + bk * N + bc]; }
    tileB[lid.y * TILE + lid.x] = bv;`;
  return `const TILE: u32 = ${TILE}u;
const M: u32 = ${s.m}u;
const N: u32 = ${s.n}u;
const K: u32 = ${s.k}u;
const BATCH: u32 = ${s.batch}u;
const Z: u32 = ${zGroups}u;
const A_STRIDE: u32 = ${s.aBatchStride}u;
const B_STRIDE: u32 = ${s.bBatchStride}u;
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;
var<workgroup> tileA: array<f32, ${TILE * TILE}>;  // tileA[r * TILE + p] = A[row0 + r, t0 + p]
var<workgroup> tileB: array<f32, ${TILE * TILE}>;  // tileB[p * TILE + c] = B[t0 + p, col0 + c]

@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row = wg.y * TILE + lid.y;
  let col = wg.x * TILE + lid.x;
  for (var bi = wg.z; bi < BATCH; bi += Z) {
    let aBase = bi * A_STRIDE;
    let bBase = bi * B_STRIDE;
    var sum = 0.0;
    for (var t0 = 0u; t0 < K; t0 += TILE) {
    ${loadA}
    ${loadB}
      workgroupBarrier();
      for (var p = 0u; p < TILE; p++) {
        sum += tileA[lid.y * TILE + p] * tileB[p * TILE + lid.x];
      }
      workgroupBarrier();
    }
    if (row < M && col < N) { result[(bi * M + row) * N + col] = sum; }
  }
}
`;
}

/**
 * The untiled product, one invocation per element of out: for thin products (m or n below TILE),
 * where most of a TILE×TILE workgroup would idle. Same math and layouts as `matmulWgsl`.
 */
export function matmulThinWgsl(s: MatmulSpec): string {
  const aIndex = s.transA ? 'aBase + p * M + i' : 'aBase + i * K + p';
  const bIndex = s.transB ? 'bBase + j * K + p' : 'bBase + p * N + j';
  const constants = { M: s.m, N: s.n, K: s.k, MN: s.m * s.n, A_STRIDE: s.aBatchStride, B_STRIDE: s.bBatchStride };
  return `${header(s.batch * s.m * s.n, constants, 'u32')}
${ENTRY}
  let bi = t / MN;
  let i = (t % MN) / N;
  let j = t % N;
  let aBase = bi * A_STRIDE;
  let bBase = bi * B_STRIDE;
  var sum = 0.0;
  for (var p = 0u; p < K; p++) {
    sum += in0[${aIndex}] * in1[${bIndex}];
  }
  result[t] = sum;
}
`;
}

/** True when the tiled shader suits the product: both m and n fill at least one tile. */
export function isTiledMatmul(s: MatmulSpec): boolean {
  return s.m >= TILE && s.n >= TILE;
}

function convConstants(s: Conv2dSpec, batch: number): Record<string, number> {
  return {
    N: batch, INC: s.inChannels, INH: s.inH, INW: s.inW, OUTC: s.outChannels, OUTH: s.outH, OUTW: s.outW,
    KH: s.kH, KW: s.kW, SH: s.strideH, SW: s.strideW, PT: s.padTop, PL: s.padLeft, DH: s.dilationH, DW: s.dilationW,
    CING: s.inChannels / s.groups, COUTG: s.outChannels / s.groups,
  };
}

/**
 * out[n, o, i, j] = Σ_{c, p, q} x[n, g·CING + c, i·SH − PT + p·DH, j·SW − PL + q·DW] · w[o, c, p, q],
 * g = o / COUTG, reads outside x skipped (in0 = x, in1 = w).
 */
export function conv2dWgsl(s: Conv2dSpec, batch: number): string {
  return `${header(batch * s.outChannels * s.outH * s.outW, convConstants(s, batch), 'i32')}
${ENTRY}
  let ti = i32(t);
  let j = ti % OUTW;
  let i = (ti / OUTW) % OUTH;
  let o = (ti / (OUTW * OUTH)) % OUTC;
  let n = ti / (OUTW * OUTH * OUTC);
  let g = o / COUTG;
  var sum = 0.0;
  for (var c = 0; c < CING; c++) {
    let xPlane = (n * INC + g * CING + c) * INH;
    let wPlane = (o * CING + c) * KH;
    for (var p = 0; p < KH; p++) {
      let y = i * SH - PT + p * DH;
      if (y < 0 || y >= INH) { continue; }
      for (var q = 0; q < KW; q++) {
        let xx = j * SW - PL + q * DW;
        if (xx < 0 || xx >= INW) { continue; }
        sum += in0[(xPlane + y) * INW + xx] * in1[(wPlane + p) * KW + q];
      }
    }
  }
  result[t] = sum;
}
`;
}

/**
 * ∂L/∂x[n, g·CING + c, y, x′] = Σ gout[n, o, i, j] · w[o, c, p, q] over the o of group g and the
 * (p, q) where i = (y + PT − p·DH) / SH and j = (x′ + PL − q·DW) / SW are whole and in range
 * (in0 = gout, in1 = w).
 */
export function conv2dInputGradWgsl(s: Conv2dSpec, batch: number): string {
  return `${header(batch * s.inChannels * s.inH * s.inW, convConstants(s, batch), 'i32')}
${ENTRY}
  let ti = i32(t);
  let xx = ti % INW;
  let y = (ti / INW) % INH;
  let ci = (ti / (INW * INH)) % INC;
  let n = ti / (INW * INH * INC);
  let g = ci / CING;
  let c = ci % CING;
  var sum = 0.0;
  for (var og = 0; og < COUTG; og++) {
    let o = g * COUTG + og;
    let gPlane = (n * OUTC + o) * OUTH;
    let wPlane = (o * CING + c) * KH;
    for (var p = 0; p < KH; p++) {
      let ty = y + PT - p * DH;
      if (ty < 0 || ty % SH != 0 || ty / SH >= OUTH) { continue; }
      let i = ty / SH;
      for (var q = 0; q < KW; q++) {
        let tx = xx + PL - q * DW;
        if (tx < 0 || tx % SW != 0 || tx / SW >= OUTW) { continue; }
        sum += in0[(gPlane + i) * OUTW + tx / SW] * in1[(wPlane + p) * KW + q];
      }
    }
  }
  result[t] = sum;
}
`;
}

/**
 * ∂L/∂w[o, c, p, q] = Σ_{n, i, j} gout[n, o, i, j] · x[n, g·CING + c, i·SH − PT + p·DH, j·SW − PL + q·DW]
 * (in0 = x, in1 = gout).
 */
export function conv2dWeightGradWgsl(s: Conv2dSpec, batch: number): string {
  return `${header((s.outChannels * s.inChannels * s.kH * s.kW) / s.groups, convConstants(s, batch), 'i32')}
${ENTRY}
  let ti = i32(t);
  let q = ti % KW;
  let p = (ti / KW) % KH;
  let c = (ti / (KW * KH)) % CING;
  let o = ti / (KW * KH * CING);
  let g = o / COUTG;
  var sum = 0.0;
  for (var n = 0; n < N; n++) {
    let xPlane = (n * INC + g * CING + c) * INH;
    let gPlane = (n * OUTC + o) * OUTH;
    for (var i = 0; i < OUTH; i++) {
      let y = i * SH - PT + p * DH;
      if (y < 0 || y >= INH) { continue; }
      for (var j = 0; j < OUTW; j++) {
        let xx = j * SW - PL + q * DW;
        if (xx < 0 || xx >= INW) { continue; }
        sum += in1[(gPlane + i) * OUTW + j] * in0[(xPlane + y) * INW + xx];
      }
    }
  }
  result[t] = sum;
}
`;
}
