/**
 * Runs one sequence-model workload when its file is the entry script, printing the same
 * markdown table as bench/run.ts (so the rows can go straight into bench/RESULTS.md).
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, measureCase, type BenchCase, type Measurement, type Workload } from './harness.js';

/** Measures and prints `workload` if `moduleUrl` (the caller's import.meta.url) is the entry script. */
export async function runSeqWorkload(workload: Workload, moduleUrl: string): Promise<void> {
  if (process.argv[1] === undefined || resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  const quick = process.argv.includes('--quick');
  console.log(`${new Date().toISOString()} · Node ${process.version} · ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}${quick ? ' (quick)' : ''}\n`);
  console.log(`## ${workload.id}: ${workload.title}\n`);
  const rows: { c: BenchCase; results: Measurement[] }[] = [];
  for (const c of workload.cases(quick)) rows.push({ c, results: await measureCase(c, quick ? 300 : 2000) });
  console.log(`${formatTable(rows)}\n`);
}
