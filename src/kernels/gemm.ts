/**
 * The blocked matrix product at the heart of matmul and convolution:
 *   out[i, j] = Σ_p A(i, p) · B(p, j)      (i < m, j < n, p < k)
 * where A(i, p) = a[aOff + i·aRow + p·aCol] and B(p, j) = b[bOff + p·bRow + j·bCol]: arbitrary strides,
 * so a transposed operand is just a different pair of strides and costs nothing extra.
 *
 * The method (Goto's): split k into blocks of KC and n into blocks of NC; copy ("pack") the
 * KC×NC block of B into panels of NR columns, and each MC×KC block of A into panels of MR rows,
 * laid out in the exact order the micro-kernel reads them (unit stride, whatever the source
 * strides were). The micro-kernel then computes an MR×NR tile of out in 16 local variables
 * (registers) from one A panel and one B panel: per step p it loads MR + NR numbers and does
 * MR·NR multiply-adds. The A block stays in the L2 cache and a B panel in L1 while they are reused.
 *
 * Both float32 and float64 inputs are packed into one float64 work buffer, so the hot loop is
 * monomorphic and accumulates in double precision. The buffer is a module constant of fixed
 * size: V8 then folds its address and length into the machine code (measured ~20% faster than
 * passing the panels as arguments). Each JS thread (main or worker) has its own module copy.
 */
import type { FloatArray } from './dtype.js';

/** Rows of a micro-kernel tile (and of a packed A panel). */
const MR = 4;
/** Columns of a micro-kernel tile (and of a packed B panel). */
const NR = 4;
/** Depth of one packed block: a KC×NR B panel (8 KiB) stays in L1. */
const KC = 256;
/** Rows of one packed A block: MC×KC doubles (128 KiB) stay in L2. */
const MC = 64;
/** Columns of one packed B block. */
const NC = 512;

/** Packed A block at [0, MC·KC), packed B block at [B_BASE, B_BASE + KC·NC). */
const B_BASE = MC * KC;
const WORK = new Float64Array(MC * KC + KC * NC);
/** The micro-kernel's MR×NR result, row-major, before it is added into `out`. */
const TILE = new Float64Array(MR * NR);

/**
 * Packs rows [i0, i0+mc) and depths [p0, p0+kc) of A into WORK[0…]: panel t holds rows
 * i0+t·MR … i0+t·MR+MR−1 as kc groups of MR numbers (row r of step p at (t·kc + p)·MR + r).
 * Rows past `mEnd` are zero so edge tiles need no special case in the micro-kernel.
 */
function packA(a: FloatArray, aOff: number, aRow: number, aCol: number, i0: number, mc: number, mEnd: number, p0: number, kc: number): void {
  for (let t = 0; t * MR < mc; t++) {
    const panel = t * kc * MR;
    const rows = Math.min(MR, mEnd - i0 - t * MR);
    if (rows < MR) WORK.fill(0, panel, panel + kc * MR);
    const first = aOff + (i0 + t * MR) * aRow + p0 * aCol;
    // Walk the source along its unit stride: along p for a plain A, along the rows for Aᵀ.
    if (aCol === 1) {
      for (let r = 0; r < rows; r++) {
        const src = first + r * aRow;
        for (let p = 0; p < kc; p++) WORK[panel + p * MR + r] = a[src + p];
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = first + p * aCol;
        for (let r = 0; r < rows; r++) WORK[panel + p * MR + r] = a[src + r * aRow];
      }
    }
  }
}

/**
 * Packs depths [p0, p0+kc) and columns [j0, j0+nc) of B into WORK[B_BASE…]: panel t holds
 * columns j0+t·NR … as kc groups of NR numbers (column q of step p at B_BASE + (t·kc + p)·NR + q).
 * Columns past `nEnd` are zero.
 */
function packB(b: FloatArray, bOff: number, bRow: number, bCol: number, j0: number, nc: number, nEnd: number, p0: number, kc: number): void {
  for (let t = 0; t * NR < nc; t++) {
    const panel = B_BASE + t * kc * NR;
    const cols = Math.min(NR, nEnd - j0 - t * NR);
    if (cols < NR) WORK.fill(0, panel, panel + kc * NR);
    const first = bOff + p0 * bRow + (j0 + t * NR) * bCol;
    // Walk the source along its unit stride: along the columns for a plain B, along p for Bᵀ.
    if (bCol === 1) {
      for (let p = 0; p < kc; p++) {
        const src = first + p * bRow;
        for (let q = 0; q < cols; q++) WORK[panel + p * NR + q] = b[src + q];
      }
    } else {
      for (let q = 0; q < cols; q++) {
        const src = first + q * bCol;
        for (let p = 0; p < kc; p++) WORK[panel + p * NR + q] = b[src + p * bRow];
      }
    }
  }
}

/**
 * TILE = A panel at WORK[ia…] · B panel at WORK[ib…] over kc steps: the 4×4 register block.
 * c_rq = Σ_p a_r(p) · b_q(p), with the four b's streamed one at a time to keep the 16
 * accumulators and 4 a's in the 16 floating-point registers x86-64 has.
 */
function microKernel(kc: number, ia: number, ib: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = WORK[ia], a1 = WORK[(ia + 1) | 0], a2 = WORK[(ia + 2) | 0], a3 = WORK[(ia + 3) | 0];
    let bq = WORK[ib];
    c00 += a0 * bq; c10 += a1 * bq; c20 += a2 * bq; c30 += a3 * bq;
    bq = WORK[(ib + 1) | 0];
    c01 += a0 * bq; c11 += a1 * bq; c21 += a2 * bq; c31 += a3 * bq;
    bq = WORK[(ib + 2) | 0];
    c02 += a0 * bq; c12 += a1 * bq; c22 += a2 * bq; c32 += a3 * bq;
    bq = WORK[(ib + 3) | 0];
    c03 += a0 * bq; c13 += a1 * bq; c23 += a2 * bq; c33 += a3 * bq;
    ia = (ia + MR) | 0;
    ib = (ib + NR) | 0;
  }
  TILE[0] = c00; TILE[1] = c01; TILE[2] = c02; TILE[3] = c03;
  TILE[4] = c10; TILE[5] = c11; TILE[6] = c12; TILE[7] = c13;
  TILE[8] = c20; TILE[9] = c21; TILE[10] = c22; TILE[11] = c23;
  TILE[12] = c30; TILE[13] = c31; TILE[14] = c32; TILE[15] = c33;
}

/** Writes (first depth block) or adds (later blocks) the valid mr×nr corner of TILE into out. */
function storeTile(out: FloatArray, at: number, ldc: number, mr: number, nr: number, accumulate: boolean): void {
  for (let r = 0; r < mr; r++) {
    const row = at + r * ldc;
    if (accumulate) for (let q = 0; q < nr; q++) out[row + q] += TILE[r * NR + q];
    else for (let q = 0; q < nr; q++) out[row + q] = TILE[r * NR + q];
  }
}

/**
 * out[outOff + i·n + j] (+)= Σ_p A(i, p) · B(p, j) for i < m, j < n (out is row-major with row
 * length n). A(i, p) = a[aOff + i·aRow + p·aCol], B(p, j) = b[bOff + p·bRow + j·bCol].
 * Overwrites out, or adds to it when `accumulate` (BLAS's β = 1: how a weight gradient sums
 * over the batch without a temporary). k = 0 writes zeros (or leaves out as is).
 */
export function gemm(
  a: FloatArray, aOff: number, aRow: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number,
  out: FloatArray, outOff: number, m: number, n: number, k: number, accumulate: boolean,
): void {
  if (k === 0) {
    if (accumulate) return;
    for (let i = 0; i < m; i++) out.fill(0, outOff + i * n, outOff + i * n + n);
    return;
  }
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packB(b, bOff, bRow, bCol, j0, nc, n, p0, kc);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packA(a, aOff, aRow, aCol, i0, mc, m, p0, kc);
        // Panel t of a packed block starts t·kc·MR (A) or B_BASE + t·kc·NR (B) into WORK.
        for (let jr = 0, ib = B_BASE; jr < nc; jr += NR, ib += kc * NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0, ia = 0; ir < mc; ir += MR, ia += kc * MR) {
            microKernel(kc, ia, ib);
            storeTile(out, outOff + (i0 + ir) * n + j0 + jr, n, Math.min(MR, mc - ir), nr, accumulate || p0 > 0);
          }
        }
      }
    }
  }
}
