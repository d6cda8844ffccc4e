/**
 * The int8 product a quantized layer runs: the active backend's `matmulInt8`.
 *
 * The CPU backend's float products reach the WebAssembly SIMD kernels from inside its kernels;
 * its int8 product is the plain reference (kernels/ may not import backends/), so when the CPU
 * backend is active the int8 product runs on the SIMD kernel here instead — the same bits, about
 * forty times sooner. Once the SIMD kernels form a backend of their own, that backend's
 * `matmulInt8` is this kernel and the special case goes.
 */
import { matmulInt8Wasm } from '../backends/wasm/int8-wasm.js';
import type { Int8MatmulSpec } from '../kernels/backend.js';
import { cpuBackend, currentBackend } from '../kernels/registry.js';

/** out = a · bᵀ for int8 a [m, k], b [n, k] into int32 out [m, n], on the active backend. */
export function int8Product(a: Int8Array, b: Int8Array, out: Int32Array, spec: Int8MatmulSpec): void {
  const backend = currentBackend();
  if (backend === cpuBackend) matmulInt8Wasm(a, b, out, spec);
  else backend.matmulInt8(a, b, out, spec);
}
