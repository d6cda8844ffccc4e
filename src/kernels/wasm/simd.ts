/**
 * What the hand-written WebAssembly SIMD kernels share: loading a module from its embedded bytes
 * into a memory of fixed size, and the switch that turns them all on or off.
 *
 * Each module is compiled synchronously when its file loads (each is well under the 4 KiB that
 * browsers compile synchronously on the main thread). Without WebAssembly, or on an engine
 * without the SIMD extension, `instantiateSimd` returns null and callers keep the JS kernels.
 * Each thread (main or worker) that imports a kernel file gets its own instance and memory.
 */

const PAGE_BYTES = 65536;

/** A module instance and the memory it imports as `env.memory`. */
export interface SimdInstance {
  exports: WebAssembly.Exports;
  memory: WebAssembly.Memory;
}

/** The module bytes, decoded with `atob` (present in browsers, workers, Node ≥ 16, Deno, Bun). */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Instantiates the module in `base64` with a memory of at least `memoryBytes`, or returns null
 * where WebAssembly or its SIMD extension is missing. The memory is created at its final size
 * and never grows: growing a memory detaches its old ArrayBuffer, and once one buffer has been
 * detached V8 guards every typed-array access in optimised code (measured here: JS elementwise
 * loops 1.7× slower for the rest of the process).
 */
export function instantiateSimd(base64: string, memoryBytes: number): SimdInstance | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = decodeBase64(base64);
  // validate() is false on engines without SIMD: they cannot decode the v128 instructions.
  if (!WebAssembly.validate(bytes)) return null;
  const pages = Math.ceil(memoryBytes / PAGE_BYTES);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  return { exports, memory };
}

/** Whether this engine runs WebAssembly SIMD at all (probed with the smallest SIMD module). */
export const wasmSimdAvailable: boolean = (() => {
  if (typeof WebAssembly !== 'object') return false;
  // (module (func (result v128) (v128.const i32x4 0 0 0 0))): a SIMD instruction and nothing else.
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
  ]);
  return WebAssembly.validate(probe);
})();

let enabled = wasmSimdAvailable;

/**
 * Turns the WebAssembly SIMD kernels on (the default where the engine supports them) or off: the
 * float32 matrix product, which then runs the typed-array kernel that accumulates float32 inputs
 * in float64 (slower, but bit-for-bit the same as before the SIMD kernel existed), and the
 * float32 elementwise maps, whose results are the same either way. Benchmarks use it to time
 * both; turning it on where WebAssembly SIMD is missing throws.
 */
export function useWasmKernels(on: boolean): void {
  if (on && !wasmSimdAvailable) throw new Error('useWasmKernels: this engine has no WebAssembly SIMD support');
  enabled = on;
}

/** Whether float32 matrix products and elementwise maps currently run on the WebAssembly SIMD kernels. */
export function wasmKernelsActive(): boolean {
  return enabled;
}
