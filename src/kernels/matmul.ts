/**
 * CPU matrix product. out[b] = op(A[b]) · op(B[b]); see `MatmulSpec`.
 *
 * Loop order i-k-j: the innermost loop walks a row of B and a row of out with unit stride, so
 * it streams through memory. A transposed operand is first copied into its plain layout.
 */
import type { FloatArray } from '../tensor/dtype.js';
import type { MatmulSpec } from './backend.js';

/** Copies the [rows, cols] matrix at `src[offset…]` transposed into a new [cols, rows] array. */
function transposed(src: FloatArray, offset: number, rows: number, cols: number): FloatArray {
  const out = src instanceof Float64Array ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[offset + r * cols + c];
  }
  return out;
}

export function matmulCpu(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void {
  const { batch, m, n, k } = spec;
  for (let bi = 0; bi < batch; bi++) {
    let aMat = a;
    let aOff = bi * spec.aBatchStride;
    if (spec.transA) {
      aMat = transposed(a, aOff, k, m);
      aOff = 0;
    }
    let bMat = b;
    let bOff = bi * spec.bBatchStride;
    if (spec.transB) {
      bMat = transposed(b, bOff, n, k);
      bOff = 0;
    }
    const oOff = bi * m * n;
    out.fill(0, oOff, oOff + m * n);
    for (let i = 0; i < m; i++) {
      const outRow = oOff + i * n;
      for (let p = 0; p < k; p++) {
        const av = aMat[aOff + i * k + p];
        if (av === 0) continue;
        const bRow = bOff + p * n;
        for (let j = 0; j < n; j++) out[outRow + j] += av * bMat[bRow + j];
      }
    }
  }
}
