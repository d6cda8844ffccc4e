/**
 * The float32 matrix product on WebAssembly SIMD: the same Goto blocking as `../gemm.ts`, with
 * the packed panels in float32 inside the module's memory and the block product done by the
 * hand-written f32x4 kernel in `gemm.wat` (its header gives the panel layouts and the math).
 *
 * Per block: JS packs a KC×NC block of B (panels of 8 columns) and an MC×KC block of A
 * (panels of 4 rows) into the module's memory, reading any strides (a wide plain B, or a deep
 * transposed one, is copied in row by row or column by column and regrouped into panels by
 * `packB8` / `packB8T` in gemm.wat; a B block that is one contiguous run, with a single copy; A
 * with unit column stride likewise, regrouped by `packA4`); `gemmBlock` writes the
 * MC×NC product into a C block there; JS copies (first depth block) or adds (later depth
 * blocks, or `accumulate`) it into `out`. The packing loops touch each element once per reuse
 * of a whole block, so they cost O(1/NC + 1/MC) of the arithmetic.
 * They mirror the packing loops of `../gemm.ts` on purpose rather than sharing them: the
 * destination there is a float64 array with 4-wide B panels, here this module's float32 memory
 * with 8-wide ones, and one loop serving both would see two array types and run slower.
 *
 * A B operand reused by many products (the recurrences' W_hh) is packed once (`wasmPackB`,
 * `wasmGemmPacked`). The LSTM cell's loops (`tryWasmLstmCell`, `tryWasmLstmCellGrad`) live here
 * too, for this module's staging region.
 *
 * Loading, the memory and the on/off switch are shared with the other SIMD kernels (./simd.ts).
 */
import type { FloatArray } from '../../kernels/dtype.js';
import type { LSTMStepGrads, StridedRows } from '../../kernels/recurrent-lstm.js';
import { GEMM_WASM_BASE64 } from './gemm-bytes.js';
import { registerSimdModule, simdInstance, wasmKernelsActive, type SimdInstance } from './simd.js';

/** Rows of a register tile and of a packed A panel (fixed by gemm.wat). */
const MR = 4;
/** Columns of a register tile and of a packed B panel (fixed by gemm.wat). */
const NR = 8;
/** Depth of one packed block: a KC×NR B panel (8 KiB) stays in L1 while it meets every A panel. */
const KC = 256;
/** Rows of one packed A block: MC×KC floats (128 KiB) stay in L2. */
const MC = 128;
/** Columns of one packed B block (KC×NC floats, 512 KiB). */
const NC = 512;

/** Byte offsets of the three blocks and of the staged (row-major) B block in the module's memory. */
const A_AT = 0;
const B_AT = A_AT + MC * KC * 4;
const C_AT = B_AT + KC * NC * 4;
const STAGE_AT = C_AT + MC * NC * 4;
const MEMORY_BYTES = STAGE_AT + KC * NC * 4;
/**
 * A plain B block at least this wide is packed by staging its rows with one block copy each and
 * regrouping them in WebAssembly (`packB8`); narrower ones by the JS loop, where a copy call per
 * row costs more than it saves. Measured (out/dbg, m = 64, k = 256): staging lost 3–30% at
 * n = 8…64, was level at 128 and won 10% at 784; in conv2d's im2col product (m = 32, k = 144,
 * n = 784) it cut the gemm from 8.8 to 7.3 ms per 32 samples.
 */
const STAGE_MIN_COLUMNS = 128;
/**
 * A transposed B block (columns contiguous) at least this deep is packed by staging its columns
 * with one block copy each and regrouping them in WebAssembly (`packB8T`). Measured (out/dbg,
 * whole products A·Bᵀ): at depth 16 staging lost 10–20%; from 32 it won, 1.1× at 32 and 1.5–1.8×
 * at 256 for 32×144 outputs (conv2d's weight gradient), 1–8% for 256×256.
 */
const STAGE_MIN_DEPTH = 32;

/** What gemm.wat exports. */
interface GemmExports {
  gemmBlock(a: number, b: number, c: number, mc: number, nc: number, kc: number): void;
  packB8(src: number, dst: number, nc: number, kc: number): void;
  packB8T(src: number, dst: number, kc: number, panels: number): void;
  packA4(src: number, dst: number, panels: number, kc: number): void;
  lstmCell(x: number, a: number, c: number, m: number, rows: number, h: number): void;
  lstmCellGrad(gt: number, c: number, cp: number, dco: number, dmo: number, dm: number, dc: number, rows: number, h: number): void;
}

function isGemmExports(exports: SimdInstance['exports']): exports is SimdInstance['exports'] & GemmExports {
  return typeof exports.gemmBlock === 'function' && typeof exports.packB8 === 'function'
    && typeof exports.packB8T === 'function' && typeof exports.packA4 === 'function' && typeof exports.lstmCell === 'function'
    && typeof exports.lstmCellGrad === 'function';
}

registerSimdModule('gemm', GEMM_WASM_BASE64, MEMORY_BYTES);

/** The instantiated kernel (undefined until first use; null where WebAssembly SIMD cannot run). */
let kernel: GemmExports | null | undefined;
/** The module memory as floats (the memory never grows, so this view stays valid). */
let HEAP = new Float32Array(0);

/** The kernel, instantiated on first use (and HEAP set to its memory), or null. */
function gemmKernel(): GemmExports | null {
  if (kernel !== undefined) return kernel;
  const instance = simdInstance('gemm');
  if (instance === null) return (kernel = null);
  if (!isGemmExports(instance.exports)) throw new Error('gemm.wat: missing export gemmBlock, packB8, packB8T, packA4, lstmCell or lstmCellGrad');
  HEAP = new Float32Array(instance.memory.buffer);
  const { gemmBlock, packB8, packB8T, packA4, lstmCell, lstmCellGrad } = instance.exports;
  return (kernel = { gemmBlock, packB8, packB8T, packA4, lstmCell, lstmCellGrad });
}
const A0 = A_AT / 4;
const B0 = B_AT / 4;
const C0 = C_AT / 4;
const STAGE0 = STAGE_AT / 4;

/**
 * Packs rows [i0, i0+mc) and depths [p0, p0+kc) of A: panel t, row r, step p at
 * HEAP[A0 + (t·kc + p)·MR + r]. Rows past `mEnd` are zero.
 */
function packA(
  exports: GemmExports, a: FloatArray, aOff: number, aRow: number, aCol: number, i0: number, mc: number, mEnd: number, p0: number, kc: number,
): void {
  if (aCol === 1 && ((aRow === kc && p0 === 0) || kc >= STAGE_MIN_DEPTH)) {
    // Rows copied into the staging area (free again: B's block is packed already) — one copy
    // when they are back to back, else one per row — zero rows up to a whole panel, and the
    // panels built by packA4.
    const panels = Math.ceil(mc / MR), first = aOff + i0 * aRow + p0;
    if (aRow === kc) HEAP.set(a.subarray(first, first + mc * kc), STAGE0);
    else for (let r = 0; r < mc; r++) HEAP.set(a.subarray(first + r * aRow, first + r * aRow + kc), STAGE0 + r * kc);
    HEAP.fill(0, STAGE0 + mc * kc, STAGE0 + panels * MR * kc);
    exports.packA4(STAGE_AT, A_AT, panels, kc);
    return;
  }
  for (let t = 0; t * MR < mc; t++) {
    const panel = A0 + t * kc * MR;
    const rows = Math.min(MR, mEnd - i0 - t * MR);
    if (rows < MR) HEAP.fill(0, panel, panel + kc * MR);
    const first = aOff + (i0 + t * MR) * aRow + p0 * aCol;
    // Walk the source along its unit stride: along p for a plain A, along the rows for Aᵀ.
    if (aCol === 1) {
      for (let r = 0; r < rows; r++) {
        const src = first + r * aRow;
        for (let p = 0; p < kc; p++) HEAP[panel + p * MR + r] = a[src + p];
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = first + p * aCol;
        for (let r = 0; r < rows; r++) HEAP[panel + p * MR + r] = a[src + r * aRow];
      }
    }
  }
}

/**
 * Packs depths [p0, p0+kc) and columns [j0, j0+nc) of B: panel t, column q, step p at
 * HEAP[B0 + (t·kc + p)·NR + q]. Columns past `nEnd` are zero.
 */
function packB(
  exports: GemmExports, b: FloatArray, bOff: number, bRow: number, bCol: number,
  j0: number, nc: number, nEnd: number, p0: number, kc: number,
): void {
  residentPacking = null;
  // A block that is one contiguous run of memory stages with a single copy, which pays at any size.
  if (bCol === 1 && (nc >= STAGE_MIN_COLUMNS || (bRow === nc && nc % NR === 0))) {
    stageRows(b, bOff + p0 * bRow + j0, bRow, nc, kc);
    exports.packB8(STAGE_AT, B_AT, nc, kc);
    return;
  }
  if (bRow === 1 && (kc >= STAGE_MIN_DEPTH || bCol === kc)) {
    stageColumns(b, bOff + p0 + j0 * bCol, bCol, nc, kc);
    exports.packB8T(STAGE_AT, B_AT, kc, Math.ceil(nc / NR));
    return;
  }
  for (let t = 0; t * NR < nc; t++) {
    const panel = B0 + t * kc * NR;
    const cols = Math.min(NR, nEnd - j0 - t * NR);
    if (cols < NR) HEAP.fill(0, panel, panel + kc * NR);
    const first = bOff + p0 * bRow + (j0 + t * NR) * bCol;
    // Walk the source along its unit stride: along the columns for a plain B, along p for Bᵀ.
    if (bCol === 1) {
      if (cols === NR) {
        for (let p = 0; p < kc; p++) {
          const src = first + p * bRow, dst = panel + p * NR;
          HEAP[dst] = b[src]; HEAP[dst + 1] = b[src + 1]; HEAP[dst + 2] = b[src + 2]; HEAP[dst + 3] = b[src + 3];
          HEAP[dst + 4] = b[src + 4]; HEAP[dst + 5] = b[src + 5]; HEAP[dst + 6] = b[src + 6]; HEAP[dst + 7] = b[src + 7];
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = first + p * bRow;
          for (let q = 0; q < cols; q++) HEAP[panel + p * NR + q] = b[src + q];
        }
      }
    } else {
      for (let q = 0; q < cols; q++) {
        const src = first + q * bCol;
        for (let p = 0; p < kc; p++) HEAP[panel + p * NR + q] = b[src + p * bRow];
      }
    }
  }
}

/**
 * Copies kc rows of nc floats (row p at b[first + p·bRow]) into the staging area as rows of
 * ldc = 8·⌈nc/8⌉ floats, zeroing each row's padding columns.
 */
function stageRows(b: FloatArray, first: number, bRow: number, nc: number, kc: number): void {
  const ldc = Math.ceil(nc / NR) * NR;
  if (bRow === nc && nc === ldc) {
    HEAP.set(b.subarray(first, first + kc * nc), STAGE0);
    return;
  }
  for (let p = 0; p < kc; p++) {
    const row = STAGE0 + p * ldc, src = first + p * bRow;
    HEAP.set(b.subarray(src, src + nc), row);
    for (let q = nc; q < ldc; q++) HEAP[row + q] = 0;
  }
}

/**
 * Copies nc columns of a transposed B block (column j: kc floats at b[first + j·bCol]) into the
 * staging area back to back, then zero columns up to the next multiple of 8.
 */
function stageColumns(b: FloatArray, first: number, bCol: number, nc: number, kc: number): void {
  if (bCol === kc) HEAP.set(b.subarray(first, first + nc * kc), STAGE0);
  else {
    for (let j = 0; j < nc; j++) {
      const src = first + j * bCol;
      HEAP.set(b.subarray(src, src + kc), STAGE0 + j * kc);
    }
  }
  const padded = Math.ceil(nc / NR) * NR;
  HEAP.fill(0, STAGE0 + nc * kc, STAGE0 + padded * kc);
}

/**
 * Writes (or adds, when `add`) the valid mc×nc corner of the C block (rows of `ldc` floats)
 * into out at `at`, rows `ldo` apart. A float32 overwrite is one block copy per row.
 */
function storeBlock(out: FloatArray, at: number, ldo: number, mc: number, nc: number, ldc: number, add: boolean): void {
  if (!add && out instanceof Float32Array) {
    // Rows that are whole, unpadded rows on both sides make one block: one copy instead of mc.
    if (nc === ldc && nc === ldo) out.set(HEAP.subarray(C0, C0 + mc * nc), at);
    else for (let r = 0; r < mc; r++) out.set(HEAP.subarray(C0 + r * ldc, C0 + r * ldc + nc), at + r * ldo);
    return;
  }
  for (let r = 0; r < mc; r++) {
    const row = at + r * ldo, src = C0 + r * ldc;
    if (add) for (let q = 0; q < nc; q++) out[row + q] += HEAP[src + q];
    else for (let q = 0; q < nc; q++) out[row + q] = HEAP[src + q];
  }
}

/**
 * A B operand packed once (`wasmPackB`) for many products (`wasmGemmPacked`): the packed block
 * of each (column block, depth block) pair, in `wasmGemm`'s visiting order, as it lies in the
 * B block of the module's memory.
 */
export interface PackedB {
  readonly n: number;
  readonly k: number;
  readonly blocks: readonly Float32Array[];
}

/**
 * The packing whose only block lies in the B block of the module's memory now (null: none, or
 * another B packed since): its products skip even the copy back in.
 */
let residentPacking: PackedB | null = null;

/** Packs B (read through the strides as in `wasmGemm`) once, for `wasmGemmPacked`. */
export function wasmPackB(b: FloatArray, bOff: number, bRow: number, bCol: number, n: number, k: number): PackedB {
  const kernel = gemmKernel();
  if (kernel === null) throw new Error('wasmPackB: the WebAssembly SIMD kernels cannot run here (see wasmKernelsActive)');
  const blocks: Float32Array[] = [];
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packB(kernel, b, bOff, bRow, bCol, j0, nc, n, p0, kc);
      blocks.push(HEAP.slice(B0, B0 + Math.ceil(nc / NR) * NR * kc));
    }
  }
  const packed = { n, k, blocks };
  if (blocks.length === 1) residentPacking = packed;
  return packed;
}

/**
 * `wasmGemm` with B packed beforehand: the same blocks in the same order, so the same sums bit
 * for bit, without packing B again. Only call it when `wasmKernelsActive()` (./simd.ts).
 */
export function wasmGemmPacked(
  a: FloatArray, aOff: number, aRow: number, aCol: number, packed: PackedB,
  out: FloatArray, outOff: number, m: number, accumulate: boolean,
): void {
  const kernel = gemmKernel();
  if (kernel === null) throw new Error('wasmGemmPacked: the WebAssembly SIMD kernels cannot run here (see wasmKernelsActive)');
  const { n, k, blocks } = packed;
  let block = 0;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    const ldc = Math.ceil(nc / NR) * NR;
    for (let p0 = 0; p0 < k; p0 += KC, block++) {
      const kc = Math.min(KC, k - p0);
      if (residentPacking !== packed) HEAP.set(blocks[block], B0);
      residentPacking = blocks.length === 1 ? packed : null;
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packA(kernel, a, aOff, aRow, aCol, i0, mc, m, p0, kc);
        kernel.gemmBlock(A_AT, B_AT, C_AT, mc, nc, kc);
        storeBlock(out, outOff + i0 * n + j0, n, mc, nc, ldc, accumulate || p0 > 0);
      }
    }
  }
}

/**
 * out[outOff + i·n + j] (+)= Σ_p A(i, p) · B(p, j) in float32 arithmetic; the arguments are those
 * of `gemm` in `../gemm.ts` (k ≥ 1 here). Only call it when `wasmKernelsActive()` (./simd.ts).
 */
export function wasmGemm(
  a: FloatArray, aOff: number, aRow: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number,
  out: FloatArray, outOff: number, m: number, n: number, k: number, accumulate: boolean,
): void {
  const kernel = gemmKernel();
  if (kernel === null) throw new Error('wasmGemm: the WebAssembly SIMD kernels cannot run here (see wasmKernelsActive)');
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    const ldc = Math.ceil(nc / NR) * NR;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packB(kernel, b, bOff, bRow, bCol, j0, nc, n, p0, kc);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packA(kernel, a, aOff, aRow, aCol, i0, mc, m, p0, kc);
        kernel.gemmBlock(A_AT, B_AT, C_AT, mc, nc, kc);
        storeBlock(out, outOff + i0 * n + j0, n, mc, nc, ldc, accumulate || p0 > 0);
      }
    }
  }
}

/**
 * One LSTM step's gate math (the `lstmCell` kernel: kernels/recurrent-lstm.ts gives the loop and
 * its arguments) on the f32x4 loop `lstmCell` of gemm.wat, which shares this module's staging
 * region: rows of xp, a and c_{t−1} are copied in, as many as fit, and i, f, g, o, c_t, m_t out.
 * σ and tanh there are float32 polynomials (gemm.wat), so the results agree with the JS loop's
 * to float32 accuracy, not bit for bit. Returns false, doing nothing, unless every array is
 * float32, H is a multiple of 4 and the SIMD kernels run.
 */
export function tryWasmLstmCell(
  a: FloatArray, xp: FloatArray, xBase: number, cPrev: FloatArray, cOut: FloatArray, mOut: FloatArray, gates: FloatArray, N: number, H: number,
): boolean {
  const float32 = a instanceof Float32Array && xp instanceof Float32Array && cPrev instanceof Float32Array
    && cOut instanceof Float32Array && mOut instanceof Float32Array && gates instanceof Float32Array;
  if (!float32 || H % 4 !== 0 || !wasmKernelsActive()) return false;
  const rowsPerChunk = Math.floor((KC * NC) / (10 * H));
  const exports = gemmKernel();
  if (exports === null || rowsPerChunk === 0) return false;
  const G = 4 * H;
  for (let n0 = 0; n0 < N; n0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, N - n0);
    const X = STAGE0, A = X + rows * G, C = A + rows * G, M = C + rows * H;
    HEAP.set(xp.subarray(xBase + n0 * G, xBase + (n0 + rows) * G), X);
    HEAP.set(a.subarray(n0 * G, (n0 + rows) * G), A);
    HEAP.set(cPrev.subarray(n0 * H, (n0 + rows) * H), C);
    exports.lstmCell(X * 4, A * 4, C * 4, M * 4, rows, H);
    gates.set(HEAP.subarray(X, X + rows * G), xBase + n0 * G);
    cOut.set(HEAP.subarray(C, C + rows * H), n0 * H);
    mOut.set(HEAP.subarray(M, M + rows * H), n0 * H);
  }
  return true;
}

/**
 * One plain-LSTM step's gate gradients (the `lstmCellGrad` kernel) on the f32x4 loop
 * `lstmCellGrad` of gemm.wat, streamed through the staging region like `tryWasmLstmCell`; sums in
 * float32, so it agrees with the JS loop to float32 accuracy. Returns false, doing nothing,
 * unless every array is float32, every row block is contiguous (stride H), the output gradient
 * of m is given (the plain LSTM), H is a multiple of 4 and the SIMD kernels run.
 */
export function tryWasmLstmCellGrad(
  gates: FloatArray, gBase: number, c: StridedRows, cPrev: StridedRows, grads: LSTMStepGrads, da: FloatArray, N: number, H: number,
): boolean {
  const { dm, dmOut, dcOut, dc } = grads;
  if (dmOut === null || H % 4 !== 0 || !wasmKernelsActive()) return false;
  const rows = [c, cPrev, dmOut, dcOut];
  if (!rows.every((r) => r.stride === H && r.data instanceof Float32Array)) return false;
  if (!(gates instanceof Float32Array && dm instanceof Float32Array && dc instanceof Float32Array && da instanceof Float32Array)) return false;
  const rowsPerChunk = Math.floor((KC * NC) / (10 * H));
  const exports = gemmKernel();
  if (exports === null || rowsPerChunk === 0) return false;
  const G = 4 * H;
  for (let n0 = 0; n0 < N; n0 += rowsPerChunk) {
    const count = Math.min(rowsPerChunk, N - n0);
    const GT = STAGE0, at = (k: number) => GT + count * G + k * count * H;
    HEAP.set(gates.subarray(gBase + n0 * G, gBase + (n0 + count) * G), GT);
    rows.forEach((r, k) => HEAP.set(r.data.subarray(r.offset + n0 * H, r.offset + (n0 + count) * H), at(k)));
    HEAP.set(dm.subarray(n0 * H, (n0 + count) * H), at(4));
    HEAP.set(dc.subarray(n0 * H, (n0 + count) * H), at(5));
    exports.lstmCellGrad(GT * 4, at(0) * 4, at(1) * 4, at(3) * 4, at(2) * 4, at(4) * 4, at(5) * 4, count, H);
    da.set(HEAP.subarray(GT, GT + count * G), gBase + n0 * G);
    dc.set(HEAP.subarray(at(5), at(5) + count * H), n0 * H);
  }
  return true;
}
