/**
 * Runs the benchmark workloads and prints one markdown table per workload.
 *
 *   npm run bench                 every workload, full sizes
 *   npm run bench:quick           reduced sizes and time budgets (under a minute)
 *   npm run bench -- --only=W1    only the named workloads (comma-separated ids)
 */
import { cpus } from 'node:os';
import { type MeasuredCase, formatWorkload, measureCase } from './harness.js';
import { closeThreadedBackend } from './workloads/threaded.js';
import { WORKLOADS } from './workloads/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const timeMs = quick ? 150 : 1500;

console.log(`# tsgrad benchmarks${quick ? ' (quick)' : ''}`);
console.log(`${new Date().toISOString()} · Node ${process.version} · ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}\n`);

for (const workload of WORKLOADS) {
  if (only !== undefined && !only.includes(workload.id)) continue;
  console.log(`## ${workload.id}: ${workload.title}\n`);
  const rows: MeasuredCase[] = [];
  for (const c of workload.cases(quick)) {
    rows.push({ c, results: await measureCase(c, timeMs) });
    process.stderr.write(`  measured ${workload.id} ${c.name}\n`);
  }
  console.log(`${formatWorkload(workload, rows)}\n`);
}
await closeThreadedBackend();
