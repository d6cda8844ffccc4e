/**
 * The exercise kit's grader (scripts/grade.ts is the command): runs the task tests with vitest in
 * a child process (JSON reporter) and scores each task.
 *
 * A task earns its points when all its tests pass and every prerequisite earned its own: a
 * task's tests run through its prerequisites' code, so a pass on a broken prerequisite would be
 * luck, not a grade.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadTasks, withPrerequisites, type Task } from './exercise-kit.js';

/** The part of vitest's JSON report the grader reads. */
interface VitestReport {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { title: string; fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

/** One task's outcome: tests passed of total, points earned, the first failure (empty when none) and the report's text. */
export interface TaskResult {
  task: Task;
  passed: number;
  total: number;
  earned: number;
  failure: string;
  output: string;
}

function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message;
  return line.trim().replace(/^(AssertionError|Error): /, '');
}

/** Runs vitest on `files` of the kit at `root` in a child process; resolves to its JSON report. */
async function runVitest(root: string, files: readonly string[]): Promise<VitestReport> {
  const dir = mkdtempSync(join(tmpdir(), 'tsgrad-grade-'));
  const outputFile = join(dir, 'report.json');
  try {
    const args = [
      join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(root, 'exercises', 'vitest.config.ts'),
      '--reporter=json', `--outputFile=${outputFile}`, ...files,
    ];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const status = await new Promise<number | null>((done, fail) => {
      child.on('error', fail);
      child.on('close', done);
    });
    try {
      return JSON.parse(readFileSync(outputFile, 'utf8')) as VitestReport;
    } catch {
      throw new Error(`grade: vitest wrote no report (exit ${status}):\n${log.slice(-4000)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Grades the kit at `root`: `only` and its prerequisites, or every task when null. Writes the
 * Gradescope-style results to `resultsPath` and resolves to one row per task, in ladder order.
 */
export async function grade(root: string, only: string | null, resultsPath: string): Promise<TaskResult[]> {
  const all = loadTasks(root);
  const tasks = only === null ? all : withPrerequisites(all, only);
  const report = await runVitest(root, tasks.flatMap((t) => t.tests));
  const results = new Map<string, TaskResult>();
  for (const task of tasks) {
    const files = report.testResults.filter((f) => task.tests.some((t) => resolve(root, t) === resolve(f.name)));
    const asserts = files.flatMap((f) => f.assertionResults);
    const failures = [
      ...files.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).map((f) => ({ test: f.name, message: firstLine(f.message ?? 'failed to load') })),
      ...asserts.filter((a) => a.status !== 'passed').map((a) => ({ test: a.title, message: firstLine(a.failureMessages[0] ?? a.status) })),
    ];
    const missing = task.tests.filter((t) => !report.testResults.some((f) => resolve(root, t) === resolve(f.name)));
    failures.push(...missing.map((t) => ({ test: t, message: 'test file not found' })));
    const passed = asserts.filter((a) => a.status === 'passed').length;
    const allPassed = failures.length === 0 && passed > 0;
    const blocked = task.prerequisites.filter((p) => (results.get(p)?.earned ?? 0) < (results.get(p)?.task.points ?? 0));
    // A task whose own stub still throws shows that first: its own id is the thing to do next.
    const ownStub = failures.find((f) => f.message.startsWith(`NotImplementedError: ${task.id}:`));
    const failure = failures.length > 0 ? (ownStub ?? failures[0]).message : blocked.length > 0 ? `prerequisite ${blocked.join(', ')} not passed` : allPassed ? '' : 'no tests ran';
    const output = failures.length > 0
      ? `${failures.length} of ${asserts.length} tests failed:\n${failures.map((f) => `- ${f.test}: ${f.message}`).join('\n')}`
      : blocked.length > 0 ? `all ${passed} tests passed, but prerequisite ${blocked.join(', ')} did not` : `all ${passed} tests passed`;
    results.set(task.id, { task, passed, total: asserts.length, earned: allPassed && blocked.length === 0 ? task.points : 0, failure, output });
  }
  const rows = [...results.values()];
  const score = rows.reduce((s, r) => s + r.earned, 0);
  const maxScore = rows.reduce((s, r) => s + r.task.points, 0);
  writeFileSync(resultsPath, `${JSON.stringify({
    score,
    max_score: maxScore,
    tests: rows.map((r) => ({ name: `${r.task.id}: ${r.task.title}`, score: r.earned, max_score: r.task.points, output: r.output })),
  }, null, 2)}\n`);
  return rows;
}

/** The table the grader prints. */
export function table(rows: readonly TaskResult[]): string {
  const cells = rows.map((r) => [r.task.id, `${r.earned}/${r.task.points}`, `${r.passed}/${r.total}`, r.failure.length > 100 ? `${r.failure.slice(0, 97)}...` : r.failure]);
  const header = ['task', 'points', 'pass', 'first failure'];
  const total = ['total', `${rows.reduce((s, r) => s + r.earned, 0)}/${rows.reduce((s, r) => s + r.task.points, 0)}`, '', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...[...cells, total].map((c) => c[i].length)));
  const line = (c: readonly string[]) => c.map((v, i) => v.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line), line(total)].join('\n');
}

