/**
 * Where the embedder refuses to compile WebAssembly (a page whose CSP lacks 'wasm-unsafe-eval',
 * Cloudflare Workers), importing tsgrad still works: the JS kernels run, `wasmKernelsActive()`
 * says false, and the results equal those of the JS kernels where WebAssembly runs. Modules
 * compiled ahead of time and handed in with `provideWasmModules` turn the SIMD kernels back on.
 * Each case imports a fresh copy of the library after replacing `WebAssembly.Module` with one
 * that refuses to compile, as those embedders do.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tsgrad from '../../../src/index.js';
import { ELEMENTWISE_WASM_BASE64 } from '../../../src/backends/wasm/elementwise-bytes.js';
import { GEMM_WASM_BASE64 } from '../../../src/backends/wasm/gemm-bytes.js';
import { REDUCE_WASM_BASE64 } from '../../../src/backends/wasm/reduce-bytes.js';
import { INT8_WASM_BASE64 } from '../../../src/backends/wasm/int8-bytes.js';
import { seededArray } from '../../kernels/reference.js';

type Library = typeof tsgrad;

const realWasm = WebAssembly;
const compile = (base64: string) => new realWasm.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));

/** A fresh copy of the library in an engine whose WebAssembly.Module refuses to compile. */
async function importWhereCompilingIsRefused(): Promise<Library> {
  // Compiling throws, while modules made elsewhere are still WebAssembly.Modules (instanceof).
  const RefusingModule = function refusingModule(): never {
    throw new realWasm.CompileError('WebAssembly.Module(): Wasm code generation disallowed by embedder');
  };
  RefusingModule.prototype = realWasm.Module.prototype;
  const refusing = Object.create(realWasm, { Module: { value: RefusingModule } }) as typeof WebAssembly;
  vi.stubGlobal('WebAssembly', refusing);
  vi.resetModules();
  return (await import('../../../src/index.js')) as Library;
}

/** float32 operands large enough for every SIMD path (elementwise, sum, gemm). */
function operands(lib: Library) {
  const a = lib.tensor(seededArray(Float32Array, 96 * 80, 1) as Float32Array, { shape: [96, 80] });
  const b = lib.tensor(seededArray(Float32Array, 80 * 72, 2) as Float32Array, { shape: [80, 72] });
  return { a, b };
}

/** The results of a few ops whose SIMD and JS paths exist, as plain arrays. */
function results(lib: Library): number[][] {
  const { a, b } = operands(lib);
  return [a.mul(a).add(1).relu(), a.sum(), a.matmul(b)].map((t) => [...t.data()]);
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('WebAssembly kernels where compiling is refused', () => {
  it('imports, runs the JS kernels, reports them, and matches the JS kernels of a normal engine', async () => {
    const refused = await importWhereCompilingIsRefused();
    expect(refused.wasmKernelsActive()).toBe(false);
    expect(() => refused.useWasmKernels(true)).toThrow(/useWasmKernels: compiling the WebAssembly kernels failed \(WebAssembly\.Module\(\): Wasm code generation disallowed by embedder\); hand in precompiled modules with provideWasmModules/);
    const got = results(refused);
    vi.unstubAllGlobals();
    // The same ops in this file's own copy, with the SIMD kernels off: bit for bit the same.
    tsgrad.useWasmKernels(false);
    try {
      expect(got).toEqual(results(tsgrad));
    } finally {
      tsgrad.useWasmKernels(true);
    }
  });

  it('runs the SIMD kernels from modules compiled ahead of time and handed in', async () => {
    const modules = { gemm: compile(GEMM_WASM_BASE64), elementwise: compile(ELEMENTWISE_WASM_BASE64), reduce: compile(REDUCE_WASM_BASE64), int8: compile(INT8_WASM_BASE64) };
    const refused = await importWhereCompilingIsRefused();
    refused.provideWasmModules(modules);
    expect(refused.wasmKernelsActive()).toBe(true);
    const got = results(refused);
    vi.unstubAllGlobals();
    expect(tsgrad.wasmKernelsActive()).toBe(true);
    expect(got).toEqual(results(tsgrad));
  });

  it('refuses modules handed in late, unknown names and non-modules', async () => {
    const lib = await importWhereCompilingIsRefused();
    expect(() => lib.provideWasmModules({ gemv: compile(GEMM_WASM_BASE64) } as never)).toThrow("provideWasmModules: unknown module 'gemv'");
    expect(() => lib.provideWasmModules({ gemm: new Uint8Array(8) } as never)).toThrow("provideWasmModules: 'gemm' must be a WebAssembly.Module");
    lib.wasmKernelsActive();
    expect(() => lib.provideWasmModules({})).toThrow('provideWasmModules: the WebAssembly kernels are already instantiated; call it before the first tensor op');
  });
});
