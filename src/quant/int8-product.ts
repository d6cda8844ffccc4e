/**
 * The int8 product a quantized layer runs: the active backend's `matmulInt8` (the WebAssembly
 * SIMD kernel where the wasm plug-in is in the chain, else the CPU's plain reference: the same bits).
 */
import type { Int8MatmulSpec } from '../kernels/backend.js';
import { currentBackend } from '../kernels/registry.js';

/** out = a · bᵀ for int8 a [m, k], b [n, k] into int32 out [m, n], on the active backend. */
export function int8Product(a: Int8Array, b: Int8Array, out: Int32Array, spec: Int8MatmulSpec): void {
  currentBackend().matmulInt8(a, b, out, spec);
}
