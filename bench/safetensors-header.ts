/**
 * The work of reading a safetensors header per header byte: tsgrad's header reader against the
 * engine's own JSON.parse of the same text, for headers of many empty entries (the cheapest
 * entries a file can declare). A header of 1M entries once took 7 s and 1.6 GB.
 *
 * Run: npx tsx bench/safetensors-header.ts
 */
import { cpus } from 'node:os';
import { parseHeader } from '../src/io/safetensors-header.js';

/** A header of `n` zero-size F32 entries. */
function emptyEntries(n: number): string {
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`;
  return `{${parts.join(',')}}`;
}

/** The median of `runs` timings of `work`, in ms. */
function median(runs: number, work: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

console.log(`${new Date().toISOString()} · Node ${process.version} · ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}\n`);
console.log('| entries | header MB | parseHeader ms | JSON.parse ms | ratio |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const n of [25_000, 100_000, 400_000]) {
  const text = emptyEntries(n);
  const ours = median(5, () => parseHeader(text));
  const native = median(5, () => JSON.parse(text));
  console.log(`| ${n.toLocaleString('en-US')} | ${(text.length / 1e6).toFixed(1)} | ${ours.toFixed(1)} | ${native.toFixed(1)} | ${(ours / native).toFixed(2)}× |`);
}
