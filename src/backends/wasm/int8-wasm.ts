/**
 * The int8 matrix product on WebAssembly SIMD (`gemm_i16` of int8.wat), with the same
 * signature and the same results, bit for bit, as the reference `matmulInt8Cpu`
 * (kernels/int8-matmul.ts), which it runs instead where the SIMD kernels are off or k is too
 * long for one block.
 *
 * The module's memory holds three regions of REGION_BYTES: rows of a, rows of b (both widened to
 * int16 by one `Int16Array.set`, each row zero-padded to a multiple of 8 elements, a zero-padded
 * to an even number of rows and b to a multiple of 4) and the int32 block of out. b is walked in blocks of rows that fill
 * its region, a in blocks that fill its region and keep the out block within its own.
 */
import type { Int8MatmulSpec } from '../../kernels/backend.js';
import { checkInt8MatmulSpec, matmulInt8Cpu } from '../../kernels/int8-matmul.js';
import { INT8_WASM_BASE64 } from './int8-bytes.js';
import { registerSimdModule, simdInstance, wasmKernelsActive } from './simd.js';

/** Bytes of each of the three regions (a, b, out). */
const REGION_BYTES = 1 << 20;
const A_AT = 0;
const B_AT = REGION_BYTES;
const OUT_AT = 2 * REGION_BYTES;

registerSimdModule('int8', INT8_WASM_BASE64, 3 * REGION_BYTES);

interface Int8Kernel {
  gemm: (a: number, b: number, out: number, rows: number, cols: number, k: number) => void;
  a16: Int16Array;
  b16: Int16Array;
  out32: Int32Array;
}

/** The kernel (undefined until first use; null where WebAssembly SIMD cannot run). */
let cached: Int8Kernel | null | undefined;

function instantiate(): Int8Kernel | null {
  const instance = simdInstance('int8');
  if (instance === null) return null;
  const gemm = instance.exports.gemm_i16;
  if (typeof gemm !== 'function') throw new Error('int8.wat: missing export gemm_i16');
  const buffer = instance.memory.buffer;
  return {
    gemm: gemm as Int8Kernel['gemm'],
    a16: new Int16Array(buffer, A_AT, REGION_BYTES / 2),
    b16: new Int16Array(buffer, B_AT, REGION_BYTES / 2),
    out32: new Int32Array(buffer, OUT_AT, REGION_BYTES / 4),
  };
}

/** Copies `rows` rows of k int8 values from `src` (starting at row `first`) into `dst` as int16 rows of kPad. */
function widenRows(src: Int8Array, first: number, rows: number, k: number, kPad: number, dst: Int16Array): void {
  if (k === kPad) {
    dst.set(src.subarray(first * k, (first + rows) * k));
    return;
  }
  for (let r = 0; r < rows; r++) {
    const from = (first + r) * k;
    dst.set(src.subarray(from, from + k), r * kPad);
    dst.fill(0, r * kPad + k, (r + 1) * kPad);
  }
}

/**
 * out = a · bᵀ for int8 a [m, k] and b [n, k] into int32 out [m, n], on the SIMD kernel when it
 * is on (the same bits as `matmulInt8Cpu` either way).
 *
 * @example matmulInt8Wasm(a, b, out, { m: 2, n: 3, k: 5 })
 */
export function matmulInt8Wasm(a: Int8Array, b: Int8Array, out: Int32Array, spec: Int8MatmulSpec): void {
  checkInt8MatmulSpec('matmulInt8', a, b, out, spec);
  const { m, n, k } = spec;
  const kPad = Math.ceil(k / 8) * 8;
  const rowBytes = 2 * kPad;
  if (m === 0 || n === 0 || k === 0 || 4 * rowBytes > REGION_BYTES || !wasmKernelsActive()) {
    matmulInt8Cpu(a, b, out, spec);
    return;
  }
  cached ??= instantiate();
  const kernel = cached;
  if (kernel === null) {
    matmulInt8Cpu(a, b, out, spec);
    return;
  }
  const bRowsPerBlock = Math.floor(REGION_BYTES / rowBytes / 4) * 4;
  for (let j0 = 0; j0 < n; j0 += bRowsPerBlock) {
    const nb = Math.min(bRowsPerBlock, n - j0);
    const cols = Math.ceil(nb / 4) * 4;
    widenRows(b, j0, nb, k, kPad, kernel.b16);
    kernel.b16.fill(0, nb * kPad, cols * kPad);
    // The kernel takes rows of a in pairs: blocks hold an even number, and an odd block gets a zero row.
    const aRowsPerBlock = 2 * Math.max(1, Math.floor(Math.min(REGION_BYTES / rowBytes, REGION_BYTES / 4 / cols) / 2));
    for (let i0 = 0; i0 < m; i0 += aRowsPerBlock) {
      const ma = Math.min(aRowsPerBlock, m - i0);
      const rows = ma + (ma % 2);
      widenRows(a, i0, ma, k, kPad, kernel.a16);
      kernel.a16.fill(0, ma * kPad, rows * kPad);
      kernel.gemm(A_AT, B_AT, OUT_AT, rows, cols, kPad);
      const block = kernel.out32;
      if (cols === n) {
        out.set(block.subarray(0, ma * n), i0 * n);
      } else {
        for (let i = 0; i < ma; i++) out.set(block.subarray(i * cols, i * cols + nb), (i0 + i) * n + j0);
      }
    }
  }
}
