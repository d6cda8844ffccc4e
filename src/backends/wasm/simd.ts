/**
 * What the hand-written WebAssembly SIMD kernels share: loading a module into a memory of fixed
 * size, and the switch that turns them all on or off.
 *
 * Nothing is compiled at import: each kernel file registers its module's bytes, and the modules
 * are compiled and instantiated together the first time a kernel asks whether they are on. Where
 * compiling is not allowed — a page whose Content-Security-Policy lacks 'wasm-unsafe-eval',
 * Cloudflare Workers, which compile no code at run time — or WebAssembly or its SIMD extension is
 * missing, the JS kernels run instead and `wasmKernelsActive()` says false. An embedder in such a
 * place can hand in modules compiled ahead of time (a Worker imports the `.wasm` files) with
 * `provideWasmModules`, before the first tensor op. Each thread (main or worker) gets its own
 * instances and memories.
 */

const PAGE_BYTES = 65536;

/** The WebAssembly SIMD modules of the kernels. */
export type WasmModuleName = 'gemm' | 'elementwise' | 'reduce' | 'int8';

/** Every module name, once (the record type makes the compiler hold it complete). */
const WASM_MODULE_NAMES = Object.keys({ gemm: true, elementwise: true, reduce: true, int8: true } satisfies Record<WasmModuleName, true>);

/**
 * A compiled kernel module, as `provideWasmModules` takes it: a `WebAssembly.Module`. Declared by
 * its shape (a WebAssembly.Module has no members of its own) so that the published types compile
 * without the DOM lib, which is where TypeScript declares the WebAssembly namespace.
 */
export type CompiledWasmModule = object;

/**
 * A module instance and the memory it imports as `env.memory` (what the kernels use of a
 * WebAssembly.Instance and a WebAssembly.Memory, by shape, for the same reason).
 */
export interface SimdInstance {
  /** The instance's exports by name (the kernels check that theirs are functions). */
  exports: Readonly<Record<string, unknown>>;
  /** The memory the instance imports. */
  memory: { readonly buffer: ArrayBuffer };
}

/** A registered module: its bytes (base64) and the memory it needs. */
interface ModuleSource {
  base64: string;
  memoryBytes: number;
}

const sources = new Map<WasmModuleName, ModuleSource>();
const provided = new Map<WasmModuleName, CompiledWasmModule>();
/** Every registered module's instance, once instantiated; null where that failed. */
let instances: Map<WasmModuleName, SimdInstance> | null | undefined;
/** Why the modules could not be used (set when `instances` is null). */
let failure = '';

/** The module bytes, decoded with `atob` (present in browsers, workers, Node ≥ 16, Deno, Bun). */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Registers a kernel file's module (called once, at import; compiles nothing). */
export function registerSimdModule(name: WasmModuleName, base64: string, memoryBytes: number): void {
  sources.set(name, { base64, memoryBytes });
}

/**
 * Instantiates `source` (or the module handed in for `name`) with a memory of at least
 * `memoryBytes`. The memory is created at its final size and never grows: growing a memory
 * detaches its old ArrayBuffer, and once one buffer has been detached V8 guards every
 * typed-array access in optimised code (measured here: JS elementwise loops 1.7× slower for the
 * rest of the process).
 */
function instantiate(name: WasmModuleName, source: ModuleSource): SimdInstance {
  const module = (provided.get(name) as WebAssembly.Module | undefined) ?? new WebAssembly.Module(decodeBase64(source.base64));
  const pages = Math.ceil(source.memoryBytes / PAGE_BYTES);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  return { exports: new WebAssembly.Instance(module, { env: { memory } }).exports, memory };
}

/** Instantiates every registered module once; on any refusal, none is used. */
function ensureInstances(): Map<WasmModuleName, SimdInstance> | null {
  if (instances !== undefined) return instances;
  if (!wasmSimdAvailable) {
    failure = typeof WebAssembly === 'object' ? 'this engine has no WebAssembly SIMD support' : 'this engine has no WebAssembly';
    return (instances = null);
  }
  const made = new Map<WasmModuleName, SimdInstance>();
  try {
    for (const [name, source] of sources) made.set(name, instantiate(name, source));
  } catch (e: unknown) {
    // A CompileError is the embedder refusing to compile code (CSP, Cloudflare Workers); a
    // RangeError a memory that could not be had. Anything else is a bug and is not hidden.
    if (!(e instanceof WebAssembly.CompileError || e instanceof RangeError)) throw e;
    failure = `compiling the WebAssembly kernels failed (${e.message}); hand in precompiled modules with provideWasmModules, or allow 'wasm-unsafe-eval'`;
    return (instances = null);
  }
  return (instances = made);
}

/**
 * The instance of module `name` (instantiating all of them on first use), or null where the
 * kernels cannot run here: the caller then runs its JS loop. (Whether they are switched on is
 * `wasmKernelsActive()`'s answer, which a worker gets from its caller.)
 */
export function simdInstance(name: WasmModuleName): SimdInstance | null {
  return ensureInstances()?.get(name) ?? null;
}

/** Whether this engine runs WebAssembly SIMD at all (probed with the smallest SIMD module). */
export const wasmSimdAvailable: boolean = (() => {
  if (typeof WebAssembly !== 'object') return false;
  // (module (func (result v128) (v128.const i32x4 0 0 0 0))): a SIMD instruction and nothing else.
  // validate() decodes without compiling, so it is allowed where compiling is not.
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
  ]);
  return WebAssembly.validate(probe);
})();

/** The switch; off until the entries install the WebAssembly backend (`enableWasmKernelsLazily`). */
let enabled = false;

/** Turns the switch on wherever the engine has WebAssembly SIMD, compiling nothing yet. */
export function enableWasmKernelsLazily(): void {
  enabled = wasmSimdAvailable;
}

/**
 * Sets the switch `wasmKernelsActive()` reads (`useWasmKernels` in wasm-backend.ts also puts the
 * WebAssembly backend in or out of the chain); turning it on where the kernels cannot run (no
 * SIMD, or compiling refused) throws, saying why.
 */
export function setWasmKernelsEnabled(on: boolean): void {
  if (on && (!wasmSimdAvailable || ensureInstances() === null)) throw new Error(`useWasmKernels: ${failure}`);
  enabled = on;
}

/**
 * Whether float32 matrix products, elementwise maps and sums currently run on the WebAssembly
 * SIMD kernels: switched on, and every module really instantiated (compiling them on the first
 * call). False where the embedder refused to compile them, so the JS kernels ran.
 */
export function wasmKernelsActive(): boolean {
  return enabled && ensureInstances() !== null;
}

/**
 * Hands in the kernels' modules compiled ahead of time, for places that instantiate WebAssembly
 * but do not compile it at run time (Cloudflare Workers import `.wasm` files as modules; a page
 * can `WebAssembly.compileStreaming` them under a CSP with 'wasm-unsafe-eval' off the main
 * path). Call it before the first tensor op; modules left out are compiled from their bytes.
 *
 * @example provideWasmModules({ gemm: gemmModule, elementwise: elementwiseModule, reduce: reduceModule, int8: int8Module })
 */
export function provideWasmModules(modules: Partial<Record<WasmModuleName, CompiledWasmModule>>): void {
  if (instances !== undefined) throw new Error('provideWasmModules: the WebAssembly kernels are already instantiated; call it before the first tensor op');
  for (const [name, module] of Object.entries(modules) as [WasmModuleName, CompiledWasmModule | undefined][]) {
    if (!WASM_MODULE_NAMES.includes(name)) throw new TypeError(`provideWasmModules: unknown module '${name}'; the modules are ${WASM_MODULE_NAMES.join(', ')}`);
    if (!(module instanceof WebAssembly.Module)) throw new TypeError(`provideWasmModules: '${name}' must be a WebAssembly.Module`);
    provided.set(name, module);
  }
}
