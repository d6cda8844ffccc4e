/**
 * TensorFlow.js 4.22 as a peer, with its `cpu` and `wasm` backends in this process.
 *
 * tfjs-core's Node build registers no gradients and its ES-module files cannot be loaded by
 * Node directly (extensionless imports), so the first run bundles core + all gradients + the two
 * backends with esbuild into one CommonJS file under node_modules/.cache (one engine, one
 * kernel registry), which later runs reuse.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type * as TfCore from '@tensorflow/tfjs-core';
import { Unsupported } from '../harness.js';

/** tfjs-core's API plus the wasm backend's path setter, as the bundle exports them. */
export type Tf = typeof TfCore & { setWasmPaths: (prefix: string) => void };

/** The peer backends benchmarked. */
export type TfBackend = 'cpu' | 'wasm';
export const TF_BACKENDS: readonly TfBackend[] = ['cpu', 'wasm'];

const root = fileURLToPath(new URL('../../', import.meta.url));
const cacheDir = `${root}node_modules/.cache/tsgrad-bench/`;
const bundlePath = `${cacheDir}tfjs-4.22.cjs`;

function buildBundle(): void {
  mkdirSync(cacheDir, { recursive: true });
  const entry = `${cacheDir}tfjs-entry.js`;
  writeFileSync(
    entry,
    [
      "export * from '@tensorflow/tfjs-core';",
      "import '@tensorflow/tfjs-core/dist/register_all_gradients';",
      "import '@tensorflow/tfjs-backend-cpu';",
      "export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';",
    ].join('\n'),
  );
  buildSync({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', mainFields: ['module', 'main'],
    outfile: bundlePath, logLevel: 'warning', nodePaths: [`${root}node_modules`],
  });
}

let loaded: Tf | undefined;

/** Loads (building once) the tfjs bundle and points the wasm backend at its .wasm files. */
export function loadTf(): Tf {
  if (loaded !== undefined) return loaded;
  if (!existsSync(bundlePath)) buildBundle();
  const tf = createRequire(import.meta.url)(bundlePath) as Tf;
  tf.setWasmPaths(`${root}node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
  loaded = tf;
  return tf;
}

/** Makes `backend` tfjs's active backend (tensors must be created after this to live on it). */
export async function useTfBackend(backend: TfBackend): Promise<Tf> {
  const tf = loadTf();
  const ok = await tf.setBackend(backend);
  if (!ok || tf.getBackend() !== backend) throw new Error(`tfjs backend ${backend} failed to initialise`);
  return tf;
}

/** tfjs's error for an op its backend has no kernel for: "Kernel 'X' not registered for backend 'Y'". */
const MISSING_KERNEL = /Kernel '(\w+)' not registered for backend '(\w+)'/;

/** `e` as the harness's `Unsupported` when it is tfjs saying a backend lacks a kernel, else `e` unchanged. */
export function asUnsupported(e: unknown): unknown {
  const m = e instanceof Error ? MISSING_KERNEL.exec(e.message) : null;
  return m === null ? e : new Unsupported(`tfjs's ${m[2]} backend has no ${m[1]} kernel`);
}
