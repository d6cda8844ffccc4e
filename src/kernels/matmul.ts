/**
 * CPU matrix product. out[b] = op(A[b]) · op(B[b]); see `MatmulSpec`.
 *
 * A transposed operand is read through swapped strides, never copied: op(A)(i, p) lives at
 * A[i·k + p] when plain ([m, k] storage) and at A[p·m + i] when transposed ([k, m] storage).
 * Large products go to the packed, blocked `gemm` (packing makes every transposition variant
 * equally fast); small ones, and matrix-vector shapes that would waste a register tile, go to
 * a direct loop that has no packing overhead. `matmulKernels(packed)` builds the products over
 * another packed kernel of gemm's signature (the WebAssembly backend's float32 SIMD gemm); the
 * CPU's are `matmulKernels(gemm)`.
 */
import type { FloatArray } from './dtype.js';
import type { Backend, MatmulSpec, PreparedMatmul } from './backend.js';
import { gemm } from './gemm.js';

/** Below this many multiply-adds (m·n·k) packing costs more than it saves. */
const DIRECT_MAX_WORK = 4096;

/** The strides of op(A) and op(B) as read in place (see the file comment). */
export interface OperandStrides {
  aRow: number;
  aCol: number;
  bRow: number;
  bCol: number;
}

/** Strides that read op(A)(i, p) and op(B)(p, j) straight from the stored layouts. */
export function operandStrides(spec: MatmulSpec): OperandStrides {
  const { m, n, k } = spec;
  return {
    aRow: spec.transA ? 1 : k,
    aCol: spec.transA ? m : 1,
    bRow: spec.transB ? 1 : n,
    bCol: spec.transB ? k : 1,
  };
}

/** A double-precision row accumulator for `directProduct`, grown on demand. */
let rowSums = new Float64Array(0);

/**
 * out[outOff + i·n + j] (+)= Σ_p A(i, p) · B(p, j) by plain loops (`accumulate` as in `gemm`),
 * summing in double precision like the gemm. When B's rows are contiguous (and longer than
 * one) the loop order is i-p-j (a row of sums accumulates scaled rows of B, unit stride);
 * otherwise i-j-p, a dot product down a column of B (contiguous for Bᵀ or n = 1).
 */
function directProduct(
  a: FloatArray, aOff: number, aRow: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number,
  out: FloatArray, outOff: number, m: number, n: number, k: number, accumulate: boolean,
): void {
  if (bCol === 1 && n > 1) {
    if (rowSums.length < n) rowSums = new Float64Array(n);
    const sums = rowSums;
    for (let i = 0; i < m; i++) {
      sums.fill(0, 0, n);
      for (let p = 0; p < k; p++) {
        const av = a[aOff + i * aRow + p * aCol];
        const bRowStart = bOff + p * bRow;
        for (let j = 0; j < n; j++) sums[j] += av * b[bRowStart + j];
      }
      const row = outOff + i * n;
      if (accumulate) for (let j = 0; j < n; j++) out[row + j] += sums[j];
      else for (let j = 0; j < n; j++) out[row + j] = sums[j];
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let ai = aOff + i * aRow;
      let bi = bOff + j * bCol;
      for (let p = 0; p < k; p++, ai += aCol, bi += bRow) sum += a[ai] * b[bi];
      if (accumulate) out[outOff + i * n + j] += sum;
      else out[outOff + i * n + j] = sum;
    }
  }
}

/** Whether an [m, n, k] product is cheaper by direct loops than packed (see the file comment). */
export function prefersDirect(m: number, n: number, k: number): boolean {
  return m * n * k < DIRECT_MAX_WORK || m === 1 || n === 1;
}

/** A packed product of `gemm`'s signature: out[outOff + i·n + j] (+)= Σ_p A(i, p)·B(p, j). */
export type PackedProduct = typeof gemm;

/**
 * One [m, n] product over strided operands, written (or, with `accumulate`, added) at
 * out[outOff…]: the dispatch between the packed gemm and the direct loop.
 */
export type Matmul2d = (
  a: FloatArray, aOff: number, aRow: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number,
  out: FloatArray, outOff: number, m: number, n: number, k: number, accumulate?: boolean,
) => void;

/** The products over one packed kernel (see the file comment). */
export interface MatmulKernels {
  /** One strided [m, n] product (the convolution kernels are built on it). */
  matmul2d: Matmul2d;
  /**
   * Rows [rowStart, rowEnd) of every product in batch entries [batchStart, batchEnd): the unit a
   * thread of the worker pool computes. The whole product is one call covering everything. The
   * kernel is chosen from the whole product's size, so every split gives bit-identical results.
   */
  matmulPart(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec, batchStart: number, batchEnd: number, rowStart: number, rowEnd: number): void;
  /** out[b] = op(A[b]) · op(B[b]) for every batch entry; see `MatmulSpec`. */
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void;
}

/** The matrix products with `packed` serving the large ones (see the file comment). */
export function matmulKernels(packed: PackedProduct): MatmulKernels {
  const matmul2d: Matmul2d = (a, aOff, aRow, aCol, b, bOff, bRow, bCol, out, outOff, m, n, k, accumulate = false) => {
    (prefersDirect(m, n, k) ? directProduct : packed)(a, aOff, aRow, aCol, b, bOff, bRow, bCol, out, outOff, m, n, k, accumulate);
  };
  const matmulPart: MatmulKernels['matmulPart'] = (a, b, out, spec, batchStart, batchEnd, rowStart, rowEnd) => {
    const { m, n, k } = spec;
    const s = operandStrides(spec);
    const product = prefersDirect(m, n, k) ? directProduct : packed;
    for (let bi = batchStart; bi < batchEnd; bi++) {
      product(
        a, bi * spec.aBatchStride + rowStart * s.aRow, s.aRow, s.aCol,
        b, bi * spec.bBatchStride, s.bRow, s.bCol,
        out, bi * m * n + rowStart * n, rowEnd - rowStart, n, k, false,
      );
    }
  };
  const matmul: MatmulKernels['matmul'] = (a, b, out, spec) => {
    const folded = foldBatch(spec);
    matmulPart(a, b, out, folded, 0, folded.batch, 0, folded.m);
  };
  return { matmul2d, matmulPart, matmul };
}

/**
 * An equivalent spec with fewer, larger products: when one B serves every batch entry and the
 * A's are plain and back to back, the batch is a single [batch·m, k] · [k, n] product (one
 * packing of B instead of `batch`), which is what a Linear layer on a batch of sequences needs.
 */
export function foldBatch(spec: MatmulSpec): MatmulSpec {
  const { batch, m, k } = spec;
  if (batch > 1 && spec.bBatchStride === 0 && !spec.transA && spec.aBatchStride === m * k) {
    return { ...spec, batch: 1, m: batch * m, aBatchStride: 0 };
  }
  return spec;
}

/** The CPU's products, on the typed-array `gemm`. */
export const cpuMatmul: MatmulKernels = matmulKernels(gemm);

/** out[b] = op(A[b]) · op(B[b]) on the CPU: the CPU backend's `matmul`. */
export const matmulCpu = cpuMatmul.matmul;

/**
 * The CPU backend's `prepareMatmul`: nothing to prepare, each call is one `this.matmul` (so a
 * backend borrowing it runs the products on its own matmul).
 */
export function prepareMatmulCpu(this: Backend, b: FloatArray, n: number, k: number, transB: boolean): PreparedMatmul {
  return (a, out, m) => this.matmul(a, b, out, { batch: 1, m, n, k, transA: false, transB, aBatchStride: 0, bBatchStride: 0 });
}
