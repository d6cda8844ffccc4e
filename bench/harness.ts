/**
 * The benchmark harness: a workload is a list of cases; a case runs several implementations
 * (tsgrad first, then its peers) of the same computation on the same sizes, each timed with
 * tinybench, and reports median milliseconds, GFLOP/s, and how many times faster tsgrad is.
 */
import { Bench } from 'tinybench';

/** A prepared implementation: `run` does one timed iteration, `dispose` frees what prepare made. */
export interface Prepared {
  run: () => void;
  dispose?: () => void;
}

/** One implementation of a case; `prepare` builds inputs (and switches a peer's backend). */
export interface Impl {
  label: string;
  prepare: () => Promise<Prepared> | Prepared;
}

/** One computation at one size. The first impl is the one the others are compared with. */
export interface BenchCase {
  name: string;
  /** Floating-point operations of one iteration, when GFLOP/s means something. */
  flops?: number;
  /** Minimum timed iterations (few for the multi-second peers). */
  minIterations: number;
  impls: Impl[];
}

/** A named group of cases, e.g. W1 matmul. */
export interface Workload {
  id: string;
  title: string;
  cases: (quick: boolean) => BenchCase[];
}

/** The outcome of one impl on one case: a median, or the reason it could not run. */
export interface Measurement {
  label: string;
  medianMs?: number;
  samples?: number;
  error?: string;
}

/** Times `run` with tinybench: at least `minIterations` samples and `timeMs` of running. */
export function medianMs(run: () => void, minIterations: number, timeMs: number): { median: number; samples: number } {
  const bench = new Bench({ time: timeMs, iterations: minIterations, warmupIterations: minIterations <= 3 ? 1 : 3, throws: true });
  bench.add('case', run);
  const [task] = bench.runSync();
  const result = task?.result;
  if (result === undefined || result.state !== 'completed') throw new Error(`benchmark did not complete (${result?.state})`);
  return { median: result.latency.p50, samples: task.runs };
}

/** Runs every impl of a case in turn (never two at once: they would share the 2 cores). */
export async function measureCase(c: BenchCase, timeMs: number): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const impl of c.impls) {
    let prepared: Prepared | undefined;
    try {
      prepared = await impl.prepare();
      const { median, samples } = medianMs(prepared.run, c.minIterations, timeMs);
      out.push({ label: impl.label, medianMs: median, samples });
    } catch (e) {
      out.push({ label: impl.label, error: e instanceof Error ? e.message : String(e) });
    } finally {
      prepared?.dispose?.();
    }
  }
  return out;
}

function fmt(v: number, digits: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(digits);
}

/** The implementations others are compared with: tsgrad's own (labels starting with 'tsgrad'). */
function baselines(results: readonly Measurement[]): string[] {
  return results.filter((r) => r.label.startsWith('tsgrad')).map((r) => r.label);
}

/**
 * A markdown table of a workload's cases: median ms, GFLOP/s, and for each tsgrad variant T a
 * column "÷ T" = this row's median / T's median (how many times faster T is than this row;
 * below 1 means this row is faster).
 */
export function formatTable(rows: readonly { c: BenchCase; results: Measurement[] }[]): string {
  const bases = [...new Set(rows.flatMap((r) => baselines(r.results)))];
  const lines = [
    `| case | implementation | median ms (samples) | GFLOP/s | ${bases.map((b) => `÷ ${b}`).join(' | ')} |`,
    `| --- | --- | --- | --- | ${bases.map(() => '---').join(' | ')} |`,
  ];
  for (const { c, results } of rows) {
    for (const r of results) {
      if (r.medianMs === undefined) {
        lines.push(`| ${c.name} | ${r.label} | unsupported: ${r.error ?? '?'} | — | ${bases.map(() => '—').join(' | ')} |`);
        continue;
      }
      const median = r.medianMs;
      const gflops = c.flops === undefined ? '—' : fmt(c.flops / median / 1e6, 2);
      const ratios = bases.map((b) => {
        const base = results.find((x) => x.label === b)?.medianMs;
        return base === undefined || b === r.label ? '—' : `${fmt(median / base, 2)}×`;
      });
      lines.push(`| ${c.name} | ${r.label} | ${fmt(median, 2)} (${r.samples}) | ${gflops} | ${ratios.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
