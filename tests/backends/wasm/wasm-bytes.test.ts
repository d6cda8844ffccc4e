import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WASM_MODULES, assembled, expectedBytesModule } from '../../../scripts/build-wasm.js';
import { wasmSimdAvailable } from '../../../src/backends/wasm/simd.js';

describe('the WebAssembly kernel modules', () => {
  for (const source of WASM_MODULES) {
    it(`the committed bytes are exactly what ${basename(source.wat)} assembles to, and the module imports its memory`, async () => {
      const committed = await readFile(source.bytesTs, 'utf8');
      expect(committed).toBe(await expectedBytesModule(source));
      const base64 = /'([A-Za-z0-9+/=]+)'/.exec(committed)?.[1] ?? '';
      const module = new WebAssembly.Module(Buffer.from(base64, 'base64'));
      // An imported memory made at its final size: a module that declared and grew its own
      // memory would detach an ArrayBuffer and slow every JS typed-array loop (simd.ts).
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      expect(WebAssembly.Module.exports(module).some((e) => e.kind === 'memory')).toBe(false);
    });

    it(`the committed ${basename(source.wasm)} (exported for modules compiled ahead of time) is the same module`, async () => {
      expect(new Uint8Array(await readFile(source.wasm))).toEqual(await assembled(source));
    });
  }

  it('this engine (Node 20) runs WebAssembly SIMD, so the suite tests the SIMD kernels', () => {
    expect(wasmSimdAvailable).toBe(true);
  });
});
