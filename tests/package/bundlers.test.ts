/**
 * The package as an embedder bundles it: the packed tarball, installed into an empty folder, with
 * small apps built by esbuild, Rollup 4, webpack 5 and Bun in production mode (minified, each
 * reading package.json's `sideEffects` as it does by default). Every bundle must run in Node and
 * print exactly what the unbundled app prints, and stay within its size budget (min+gz, measured
 * with zlib on the bundler's own minified output, as size-limit does).
 *
 * The apps (tests/package/fixtures):
 * - inference-app: Sequential(Linear, ReLU, Linear), stateDict → io.saveSafetensors →
 *   io.loadSafetensors → loadStateDict, forward under noGrad (the app of issue 17);
 * - tensor-only: `import { tensor }` and one method call;
 * - node-only: only `tsgrad/node` (loadFile), then a method on the loaded tensor;
 * - gpu-app: the core with `tsgrad/gpu`, whose gpu.js backend is refused (gpu.js, an optional peer,
 *   is not installed) and the CPU runs the matmul;
 * - learn-only: `tsgrad/learn`'s scalar engine, which must stay independent of the tensor core.
 * rollup and webpack used to crash on the first two (`copy_ is not a function`): they trusted
 * `sideEffects`, which named tensor-methods.js but not dist/index.js, so they skipped the entry and
 * the bare import in it that installs the methods. All four crashed on node-only, whose entry did
 * not install the methods at all.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, bundlers, runWithNode, type Bundler } from './bundlers.js';
import { makeConsumer } from './consumer.js';

/**
 * Size ceilings in KB (min+gz). Issue 17's targets are 30 KB for the inference app and 12 KB for
 * `import { tensor }`; neither is met yet, so each ceiling is the size measured when this test was
 * written (2026-12, esbuild 0.28, rollup 4.69, webpack 5.113, Bun 1.4.4) plus ≈ 5 %, to catch growth:
 *
 * - Every bundle carries all the Tensor methods and every op behind them (≈ 22 KB min+gz: the
 *   tensor-only app is nearly all of it). Methods live on `Tensor.prototype`, installed by the op
 *   files (side-effect modules, one per op group), so no bundler can tell which the app calls;
 *   tree-shaking them would need an opt-in methods entry. That is what blocks 12 KB for tensor-only and 30 KB for the app.
 * - esbuild keeps the whole `nn` namespace (≈ 88 KB minified) for `nn.Linear`: it does not
 *   tree-shake the members of an `export * as nn` namespace object, which rollup, webpack and Bun do.
 */
const ceilingsKB: Record<string, Record<Bundler, number>> = {
  // esbuild keeps the unused modules of the side-effectful core entry: gradcheck's node-by-node
  // report (issue 18) added ≈ 0.2 KB there (61.75 → 61.94 KB bundling src/), hence 62.5.
  // The complete CPU backend (issue 16: every kernel behind `currentBackend()`, the fused
  // normalisation and recurrence kernels included) is one object, so every bundle that reaches the
  // registry keeps all its kernels, where only the layers that used them kept them before:
  // ≈ +1.3 KB for pooling and interpolation and ≈ +2.5 KB for the fused kernels (measured against
  // 1015565, every bundler); the wasm plug-in's int8 module (issue 21) ≈ +0.6 KB more, and the
  // WebAssembly LSTM cell, A-panel packing and prepared products (issue 22) ≈ +1.0–1.6 KB more;
  // esbuild, which keeps all of nn, ≈ +0.5 KB for nn.LoRALinear (issue 20).
  // Each ceiling sits just above its measured size.
  'inference-app.mjs': { esbuild: 67, rollup: 41, webpack: 41.7, bun: 42.9 },
  'tensor-only.mjs': { esbuild: 32.4, rollup: 30.5, webpack: 31.2, bun: 32.4 },
  // Met: the scalar engine imports nothing from the core (≈ 0.6 KB).
  'learn-only.mjs': { esbuild: 2, rollup: 2, webpack: 2, bun: 2 },
};
const apps = ['inference-app.mjs', 'tensor-only.mjs', 'node-only.mjs', 'gpu-app.mjs', 'learn-only.mjs'];

describe('production bundles of the packed package', () => {
  let consumer: ReturnType<typeof makeConsumer>;
  const sizes: Record<string, Partial<Record<Bundler, number>>> = {};

  beforeAll(() => {
    consumer = makeConsumer();
  }, 180_000);

  afterAll(() => {
    const rows = Object.entries(sizes).map(([app, bySize]) => ({
      app,
      ...Object.fromEntries(bundlers.map((b) => [b, bySize[b] === undefined ? '-' : `${bySize[b]!.toFixed(1)} KB`])),
    }));
    console.log('min+gz bundle sizes');
    console.table(rows);
    consumer?.remove();
  });

  for (const app of apps) {
    for (const bundler of bundlers) {
      it(`${app} bundled by ${bundler} prints what the unbundled app prints${ceilingsKB[app] ? ' and stays within its size ceiling' : ''}`, async () => {
        const expected = runWithNode(app, consumer.dir);
        expect(expected).toMatch(/^\S+\n$/); // one line of JSON, so a bundle printing nothing fails
        const built = await bundle(bundler, consumer.dir, app);
        expect(runWithNode(built.file, consumer.dir)).toBe(expected);
        const kb = gzipSync(built.code).length / 1024;
        (sizes[app] ??= {})[bundler] = kb;
        const ceiling = ceilingsKB[app]?.[bundler];
        if (ceiling !== undefined) expect(kb).toBeLessThanOrEqual(ceiling);
      }, 120_000);
    }
  }
});
