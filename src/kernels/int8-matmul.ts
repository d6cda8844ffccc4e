/**
 * The int8 matrix product of quantized layers, as plain loops: the reference that the
 * WebAssembly SIMD kernel (backends/wasm/int8-wasm.ts) matches bit for bit.
 *
 *   out[i, j] = Σ_p a[i, p] · b[j, p]      (a: [m, k] int8, b: [n, k] int8, out: [m, n] int32)
 *
 * b is stored as [n, k], the layout of a Linear weight [out, in], so both operands are read
 * along contiguous rows. Each product is at most 128·128 = 2¹⁴, so the float64 running sum is
 * exact for k < 2³⁹; storing it in an Int32Array wraps it modulo 2³², which is what int32 adds
 * in any order give too (the SIMD kernel adds in another order and still agrees exactly).
 */
import { ShapeError } from '../errors.js';
import type { Int8MatmulSpec } from './backend.js';

/** Checks `spec` against the arrays' lengths (ShapeError naming `op`). */
export function checkInt8MatmulSpec(op: string, a: Int8Array, b: Int8Array, out: Int32Array, spec: Int8MatmulSpec): void {
  const { m, n, k } = spec;
  for (const [name, v] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new ShapeError(`${op}: ${name} must be a non-negative integer, got ${String(v)}`);
  }
  if (a.length !== m * k) throw new ShapeError(`${op}: a holds ${a.length} values, but [m, k] = [${m}, ${k}] needs ${m * k}`);
  if (b.length !== n * k) throw new ShapeError(`${op}: b holds ${b.length} values, but [n, k] = [${n}, ${k}] needs ${n * k}`);
  if (out.length !== m * n) throw new ShapeError(`${op}: out holds ${out.length} values, but [m, n] = [${m}, ${n}] needs ${m * n}`);
}

/**
 * out = a · bᵀ with int8 operands and int32 results (see the file comment).
 *
 * @example matmulInt8Cpu(Int8Array.of(1, 2), Int8Array.of(3, 4), out, { m: 1, n: 1, k: 2 }) // out[0] = 11
 */
export function matmulInt8Cpu(a: Int8Array, b: Int8Array, out: Int32Array, spec: Int8MatmulSpec): void {
  checkInt8MatmulSpec('matmulInt8', a, b, out, spec);
  const { m, n, k } = spec;
  for (let i = 0; i < m; i++) {
    const aRow = i * k;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
      out[i * n + j] = sum;
    }
  }
}
