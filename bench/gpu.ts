/**
 * The GPU path next to the CPU path (see gpu-workload.ts for the workload).
 *
 *   npm run bench:gpu                  full sizes, Node rows then headless-Chromium rows
 *   npm run bench:gpu -- --quick       n ≤ 512, shorter time budgets
 *   npm run bench:gpu -- --no-browser  Node rows only
 *
 * Node rows: the CPU backend; gpu.js on webasm and on its JS `cpu` engine (both CPU code); the
 * WGSL kernels through Node's `webgpu` package (SwiftShader here). Chromium rows: the CPU backend,
 * gpu.js on WebGL2 and the WGSL kernels on WebGPU. Each row names what really ran it; a row marked
 * "software" ran on the CPU (SwiftShader included) and is no GPU speed.
 */
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { createGpujsBackend, createWebGpuKernels } from '../src/gpu.js';
import { currentBackend } from '../src/index.js';
import { launchChromium } from '../tests/browser/chromium.js';
import { servePage } from '../tests/browser/serve-page.js';
import { openSwiftShaderDevice } from '../tests/backends/webgpu/webgpu-node.js';
import { bindProducts, runGpuBench } from './gpu-workload.js';
import type { BenchRunner } from './gpu-workload.js';

const quick = process.argv.includes('--quick');

async function nodeRows(): Promise<BenchRunner[]> {
  const rows: BenchRunner[] = [{ ...bindProducts(currentBackend()), label: 'cpu backend', maxWork: Infinity }];
  for (const mode of ['webasm', 'cpu'] as const) {
    const b = await createGpujsBackend({ mode, minSize: 0 });
    rows.push({ ...bindProducts(b), label: `${b.name} (software: CPU)`, maxWork: mode === 'cpu' ? 2 ** 28 : 2 ** 30 });
  }
  try {
    const opened = await openSwiftShaderDevice();
    const k = createWebGpuKernels(opened, { minSize: 0 });
    const kind = `${opened.software ? 'software' : 'hardware'}: ${opened.adapterDescription}`;
    // SwiftShader runs these shaders at ~0.1 GFLOP/s: bigger sizes would take minutes per call.
    rows.push({ ...bindProducts(k), label: `webgpu WGSL, Node (${kind})`, maxWork: opened.software ? 2 ** 28 : Infinity });
  } catch (e: unknown) {
    console.log(`(no WebGPU row: ${e instanceof Error ? e.message : String(e)})`);
  }
  return rows;
}

async function browserLines(): Promise<string[]> {
  const server = await servePage(fileURLToPath(new URL('./gpu-page.ts', import.meta.url)));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const lines: unknown = await page.evaluate(`window.benchGpu(${quick})`);
    if (!Array.isArray(lines)) throw new Error('the bench page returned no table');
    return lines.map(String);
  } finally {
    await browser.close();
    await server.close();
  }
}

console.log(`## GPU path benchmark${quick ? ' (quick)' : ''}\n`);
console.log(`${new Date().toISOString()} · Node ${process.version} · ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}\n`);
console.log('### Node\n');
console.log((await runGpuBench(await nodeRows(), quick)).join('\n'));
if (!process.argv.includes('--no-browser')) {
  console.log('### Headless Chromium\n');
  console.log((await browserLines()).join('\n'));
}
process.exit(0); // Dawn keeps Node's event loop alive
