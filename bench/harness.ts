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
  /** Ops in one iteration, when time per op means something (adds a µs/op column). */
  ops?: number;
}

/** A named group of cases, e.g. W1 matmul. */
export interface Workload {
  id: string;
  title: string;
  cases: (quick: boolean) => BenchCase[];
  /** Lines printed under the table: figures derived from several cases, caveats. */
  notes?: (rows: readonly MeasuredCase[]) => string[];
}

/** A case with what each of its impls measured. */
export interface MeasuredCase {
  c: BenchCase;
  results: Measurement[];
}

/**
 * Thrown by a prepare when the implementation lacks what the case needs (a peer backend without
 * a kernel): the row reads "not supported" with the reason, and the run goes on.
 */
export class Unsupported extends Error {}

/**
 * Thrown by a prepare whose implementation computed the wrong numbers: never caught by the
 * harness, so the run aborts instead of timing a wrong computation.
 */
export class WrongResult extends Error {}

/** The outcome of one impl on one case: a median, or the reason it could not run. */
export interface Measurement {
  label: string;
  medianMs?: number;
  samples?: number;
  error?: string;
  /** True when `error` is an `Unsupported` reason rather than a failure. */
  unsupported?: boolean;
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
      if (e instanceof WrongResult) throw e;
      out.push({ label: impl.label, error: e instanceof Error ? e.message : String(e), unsupported: e instanceof Unsupported });
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
 * A markdown table of a workload's cases: median ms, GFLOP/s, µs per op (when some case counts
 * its ops), and for each tsgrad variant T a column "÷ T" = this row's median / T's median (how
 * many times faster T is than this row; below 1 means this row is faster).
 */
export function formatTable(rows: readonly MeasuredCase[]): string {
  const bases = [...new Set(rows.flatMap((r) => baselines(r.results)))];
  const perOp = rows.some((r) => r.c.ops !== undefined);
  const lines = [
    `| case | implementation | median ms (samples) | GFLOP/s | ${perOp ? 'µs/op | ' : ''}${bases.map((b) => `÷ ${b}`).join(' | ')} |`,
    `| --- | --- | --- | --- | ${perOp ? '--- | ' : ''}${bases.map(() => '---').join(' | ')} |`,
  ];
  for (const { c, results } of rows) {
    for (const r of results) {
      if (r.medianMs === undefined) {
        const why = `${r.unsupported === true ? 'not supported' : 'failed'}: ${r.error ?? '?'}`;
        lines.push(`| ${c.name} | ${r.label} | ${why} | — | ${perOp ? '— | ' : ''}${bases.map(() => '—').join(' | ')} |`);
        continue;
      }
      const median = r.medianMs;
      const gflops = c.flops === undefined ? '—' : fmt(c.flops / median / 1e6, 2);
      const usPerOp = c.ops === undefined ? '—' : fmt((median * 1000) / c.ops, 2);
      const ratios = bases.map((b) => {
        const base = results.find((x) => x.label === b)?.medianMs;
        return base === undefined || b === r.label ? '—' : `${fmt(median / base, 2)}×`;
      });
      lines.push(`| ${c.name} | ${r.label} | ${fmt(median, 2)} (${r.samples}) | ${gflops} | ${perOp ? `${usPerOp} | ` : ''}${ratios.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

/** The table of a workload, then its notes and a line for each implementation that could not run. */
export function formatWorkload(workload: Workload, rows: readonly MeasuredCase[]): string {
  const missing = rows.flatMap(({ c, results }) =>
    results.filter((r) => r.medianMs === undefined).map((r) => `- ${c.name}: ${r.label} could not run (${r.unsupported === true ? 'not supported' : 'failed'}: ${r.error ?? '?'}).`),
  );
  const notes = [...(workload.notes?.(rows) ?? []), ...missing];
  return notes.length === 0 ? formatTable(rows) : `${formatTable(rows)}\n\n${notes.join('\n')}`;
}
