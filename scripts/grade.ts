/**
 * `npm run grade [TASK] [-- --results FILE]`
 *
 * Grades the exercise kit: runs the tests of TASK and of every task it needs (all tasks without
 * TASK) with vitest in a child process (JSON reporter), then prints one row per task —
 * task | points | pass | first failure — and writes a Gradescope-style results.json
 * (`score`, `max_score`, `tests[]` of `name`, `score`, `max_score`, `output`).
 *
 * A task earns its points when all its tests pass and every prerequisite earned its own: a
 * task's tests run through its prerequisites' code, so a pass on a broken prerequisite would be
 * luck, not a grade.
 */
import { spawnSync } from 'node:child_process';
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

/** One task's outcome. */
interface TaskResult {
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

function runVitest(root: string, files: readonly string[]): VitestReport {
  const dir = mkdtempSync(join(tmpdir(), 'tsgrad-grade-'));
  const outputFile = join(dir, 'report.json');
  try {
    const child = spawnSync(process.execPath, [
      join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(root, 'exercises', 'vitest.config.ts'),
      '--reporter=json', `--outputFile=${outputFile}`, ...files,
    ], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    try {
      return JSON.parse(readFileSync(outputFile, 'utf8')) as VitestReport;
    } catch {
      throw new Error(`grade: vitest wrote no report (exit ${child.status}):\n${child.stderr}${child.stdout}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function grade(root: string, only: string | null, resultsPath: string): TaskResult[] {
  const all = loadTasks(root);
  const tasks = only === null ? all : withPrerequisites(all, only);
  const report = runVitest(root, tasks.flatMap((t) => t.tests));
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
    const own = failures.length === 0 && passed > 0;
    const blocked = task.prerequisites.filter((p) => (results.get(p)?.earned ?? 0) < (results.get(p)?.task.points ?? 0));
    const failure = failures.length > 0 ? failures[0].message : blocked.length > 0 ? `prerequisite ${blocked.join(', ')} not passed` : own ? '' : 'no tests ran';
    const output = failures.length > 0
      ? `${failures.length} of ${asserts.length} tests failed:\n${failures.map((f) => `- ${f.test}: ${f.message}`).join('\n')}`
      : blocked.length > 0 ? `all ${passed} tests passed, but prerequisite ${blocked.join(', ')} did not` : `all ${passed} tests passed`;
    results.set(task.id, { task, passed, total: asserts.length, earned: own && blocked.length === 0 ? task.points : 0, failure, output });
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
function table(rows: readonly TaskResult[]): string {
  const cells = rows.map((r) => [r.task.id, `${r.earned}/${r.task.points}`, `${r.passed}/${r.total}`, r.failure.length > 100 ? `${r.failure.slice(0, 97)}...` : r.failure]);
  const header = ['task', 'points', 'pass', 'first failure'];
  const total = ['total', `${rows.reduce((s, r) => s + r.earned, 0)}/${rows.reduce((s, r) => s + r.task.points, 0)}`, '', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...[...cells, total].map((c) => c[i].length)));
  const line = (c: readonly string[]) => c.map((v, i) => v.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line), line(total)].join('\n');
}

const args = process.argv.slice(2);
let only: string | null = null;
let resultsPath = 'results.json';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--results' && args[i + 1]) resultsPath = args[++i];
  else if (!args[i].startsWith('-') && only === null) only = args[i];
  else {
    console.error(`grade: unexpected argument ${args[i]}\nusage: npm run grade [TASK] [-- --results FILE]`);
    process.exit(2);
  }
}
const root = process.cwd();
const rows = grade(root, only, resolve(root, resultsPath));
console.log(table(rows));
console.log(`\nwrote ${resolve(root, resultsPath)}`);
