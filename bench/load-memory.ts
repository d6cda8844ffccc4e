/**
 * Peak memory of loading a safetensors file, with and without `zeroCopy`:
 * `node --expose-gc --import tsx bench/load-memory.ts`. It writes a ~50 MB file of F32 tensors
 * (50 tensors of 512×512) to a temporary folder, then loads it once per mode, each in a fresh
 * process, and prints `process.memoryUsage().arrayBuffers` (memory held by ArrayBuffers, where
 * typed-array storage lives) before reading the file, after loading it while the file's bytes
 * are still held (the peak), and after dropping the file's bytes (what the tensors keep).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, manualSeed, randn, type Tensor } from 'tsgrad';

const MB = 1e6;

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('load-memory: run with node --expose-gc');
  gc();
  gc();
}

const arrayBuffers = (): number => process.memoryUsage().arrayBuffers;

/** One measurement in this process: returns MB above the baseline at the peak and after dropping the file. */
function measure(path: string, zeroCopy: boolean): { peak: number; kept: number; file: number } {
  collect();
  const base = arrayBuffers();
  let bytes: Uint8Array | null = readFileSync(path);
  const file = bytes.byteLength;
  const tensors: Record<string, Tensor> = io.loadSafetensors(bytes, { zeroCopy });
  collect();
  const peak = arrayBuffers() - base;
  bytes = null;
  collect();
  const kept = arrayBuffers() - base;
  if (Object.keys(tensors).length !== 50) throw new Error('load-memory: wrong tensor count');
  return { peak: peak / MB, kept: kept / MB, file: file / MB };
}

const [mode, path] = process.argv.slice(2);
if (mode === 'child') {
  console.log(JSON.stringify({ copy: measure(path, false) }));
} else if (mode === 'child-zero') {
  console.log(JSON.stringify({ zeroCopy: measure(path, true) }));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'tsgrad-load-memory-'));
  const file = join(dir, 'model.safetensors');
  manualSeed(0);
  const state: Record<string, Tensor> = {};
  for (let i = 0; i < 50; i++) state[`layer${i}.weight`] = randn([512, 512]);
  writeFileSync(file, io.saveSafetensors(state));
  const self = fileURLToPath(import.meta.url);
  const run = (child: string) => execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, child, file], { encoding: 'utf8' });
  const results = { ...JSON.parse(run('child')), ...JSON.parse(run('child-zero')) } as Record<string, { peak: number; kept: number; file: number }>;
  rmSync(dir, { recursive: true });
  console.log(`file: ${results.copy.file.toFixed(1)} MB`);
  console.log('| mode | arrayBuffers after loading, file held (MB) | after dropping the file (MB) |');
  console.log('| --- | --- | --- |');
  for (const [name, r] of Object.entries(results)) console.log(`| ${name} | ${r.peak.toFixed(1)} | ${r.kept.toFixed(1)} |`);
}
