/**
 * The runtime matrix: one small inference app (app/inference.ts), installed from the packed
 * tarball into an empty app folder, runs in Node, Deno, Bun, workerd (with the precompiled
 * `.wasm` modules and without), a Chromium page under `script-src 'self'` and a Chromium module
 * worker — all at once, after one build and one `npm pack`. Each output must be bit-identical to
 * Node's with the same kernels: the float32 SIMD gemm and the JS gemm (float64 accumulation)
 * round some of these outputs differently, so every runtime's line is checked against Node with
 * the kernels it says it ran, and that choice itself is checked (the fast kernels wherever
 * compiling is allowed or the modules were handed in). The table is printed at the end.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, manualSeed, randn } from 'tsgrad';
import { launchChromium } from '../browser/chromium.js';
import { LAYER_SIZES, type InferenceResult } from './app/inference.js';
import { runChromium } from './chromium-run.js';
import { packedApp } from './packed-app.js';
import { firstLine, runEntry } from './run-entry.js';
import { runWorkerd } from './workerd-run.js';

const bin = (name: string): string => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));

/** The runtimes, and whether each must run the WebAssembly kernels. */
const EXPECTED_WASM = {
  Node: true,
  'Node, WebAssembly off (reference)': false,
  Deno: true,
  Bun: true,
  'workerd, provideWasmModules': true,
  'workerd, no .wasm imports': false,
  "Chromium page, CSP script-src 'self'": false,
  "Chromium module worker, 'wasm-unsafe-eval'": true,
} as const;
type Runtime = keyof typeof EXPECTED_WASM;
const NODE_JS: Runtime = 'Node, WebAssembly off (reference)';

/** A runtime's answer, or why it gave none. */
type Outcome = { result: InferenceResult } | { error: unknown };
const outcomes = new Map<Runtime, Outcome>();
let root = '';

/** The fixed weights and input batch, written with the repository's own writer. */
function weightsFile(): Uint8Array {
  manualSeed(20_261_206);
  const { input, hidden, output } = LAYER_SIZES;
  return io.saveSafetensors({
    '0.weight': randn(hidden, input).mul(0.25),
    '0.bias': randn(hidden).mul(0.1),
    '2.weight': randn(output, hidden).mul(0.25),
    '2.bias': randn(output).mul(0.1),
    input: randn(4, input),
  });
}

/** Starts every runtime at once; each settles into `outcomes`. */
async function runAll(app: string): Promise<void> {
  const settle = (names: Runtime[], work: Promise<InferenceResult[]>): Promise<void> =>
    work.then(
      (results) => names.forEach((name, i) => outcomes.set(name, { result: results[i] })),
      (error: unknown) => names.forEach((name) => outcomes.set(name, { error })),
    );
  const one = (name: Runtime, work: Promise<InferenceResult>): Promise<void> => settle([name], work.then((r) => [r]));
  const weights = 'weights.safetensors';
  const denoEnv = { DENO_DIR: join(root, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  const browser = launchChromium();
  await Promise.all([
    one('Node', runEntry('Node', process.execPath, ['node-main.js', weights], { cwd: app })),
    one(NODE_JS, runEntry(NODE_JS, process.execPath, ['node-main.js', weights, '--js'], { cwd: app })),
    one('Deno', runEntry('Deno', bin('deno'), ['run', '--allow-read', 'deno-main.js', weights], { cwd: app, env: denoEnv })),
    one('Bun', runEntry('Bun', bin('bun'), ['--no-install', 'bun-main.js', weights], { cwd: app })),
    settle(
      ['workerd, provideWasmModules', 'workerd, no .wasm imports'],
      Promise.all([firstLine('workerd', bin('workerd'), ['--version']), runWorkerd(bin('workerd'), app)]).then(([version, r]) =>
        [r['with-wasm'], r.plain].map((result) => ({ ...result, version: version.replace(/^workerd /, '') })),
      ),
    ),
    settle(
      ["Chromium page, CSP script-src 'self'", "Chromium module worker, 'wasm-unsafe-eval'"],
      browser.then(async (b) => {
        try {
          const r = await runChromium(b, app);
          return [r.page, r.worker].map((result) => ({ ...result, version: b.version() }));
        } finally {
          await b.close();
        }
      }),
    ),
  ]);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tsgrad-runtimes-'));
  const { app } = await packedApp(root);
  writeFileSync(join(app, 'weights.safetensors'), weightsFile());
  await runAll(app);
}, 180_000);

afterAll(() => {
  const rows = (Object.keys(EXPECTED_WASM) as Runtime[]).map((name) => {
    const outcome = outcomes.get(name);
    if (outcome === undefined || !('result' in outcome)) return `${name.padEnd(44)} failed`;
    const { version, wasm, bits } = outcome.result;
    const reference = outcomes.get(wasm ? 'Node' : NODE_JS);
    const same = reference !== undefined && 'result' in reference && reference.result.bits === bits;
    const hash = createHash('sha256').update(bits).digest('hex').slice(0, 16);
    return `${name.padEnd(44)} ${version.padEnd(16)} ${(wasm ? 'SIMD' : 'JS').padEnd(6)} ${hash}  ${same ? 'bit-identical' : 'DIFFERENT'}`;
  });
  console.log(['runtime'.padEnd(44) + ' version'.padEnd(17) + ' kernels output sha256    vs Node (same kernels)', ...rows].join('\n'));
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

/** The answer of `name`, rethrowing its failure (which names the runtime and its stderr). */
function resultOf(name: Runtime): InferenceResult {
  const outcome = outcomes.get(name);
  if (outcome === undefined) throw new Error(`${name}: never ran`);
  if ('error' in outcome) throw outcome.error;
  return outcome.result;
}

/** The output's floats, decoded from the hex words of a result. */
const floats = (bits: string): Float32Array =>
  new Float32Array(new Uint32Array(bits.match(/.{8}/g)?.map((w) => parseInt(w, 16)) ?? []).buffer);

describe('runtime matrix (the packed tarball in every runtime)', () => {
  it('Node: the SIMD and JS kernels round some outputs differently, so the comparison tells them apart', () => {
    const simd = resultOf('Node');
    const js = resultOf(NODE_JS);
    expect([simd.wasm, js.wasm]).toEqual([true, false]);
    expect(simd.bits).toHaveLength(4 * LAYER_SIZES.output * 8);
    expect(simd.bits).not.toBe(js.bits);
    const a = floats(simd.bits);
    const b = floats(js.bits);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[i])));
  });

  const others = (Object.keys(EXPECTED_WASM) as Runtime[]).filter((name) => name !== 'Node' && name !== NODE_JS);
  it.each(others)('%s: output bit-identical to Node with the same kernels', (name) => {
    const result = resultOf(name);
    expect(result.wasm, `${name}: wasmKernelsActive()`).toBe(EXPECTED_WASM[name]);
    expect(result.bits, `${name}: output bits`).toBe(resultOf(result.wasm ? 'Node' : NODE_JS).bits);
  });
});
