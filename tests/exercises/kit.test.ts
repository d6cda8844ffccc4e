/**
 * The exercise kit end to end: the instructor edition (this repository) earns full marks; a
 * student edition typechecks under the repository's strict settings and earns nothing, each task
 * failing on its own stub; swapping Mul.backward's operands loses exactly m1's points and its
 * dependents'; and a student edition through m1, once a student writes Mul.backward (and carries
 * m0 forward), earns m0's and m1's points from `grade m1`.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeEdition } from '../../scripts/exercise-edition.js';
import { grade, type TaskResult } from '../../scripts/exercise-grader.js';
import { loadTasks, solutionBlocks, stubSolutions } from '../../scripts/exercise-kit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'tsgrad-kit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const tasks = loadTasks(root);
const points = (rows: readonly TaskResult[]) => Object.fromEntries(rows.map((r) => [r.task.id, r.earned]));

/** A fresh edition in the scratch folder, with the repository's node_modules linked in. */
function edition(name: string, opts: Parameters<typeof writeEdition>[2]): string {
  const dir = join(scratch, name);
  writeEdition(root, dir, opts);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'junction');
  return dir;
}

/** `tsc --noEmit` in `dir`: resolves to its exit code and output. */
function typecheck(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', dir], { cwd: dir });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => done({ code, output }));
  });
}

/** The dependents of `id` (tasks that need it, transitively), `id` included. */
function withDependents(id: string): Set<string> {
  const out = new Set([id]);
  for (const t of tasks) if (t.prerequisites.some((p) => out.has(p))) out.add(t.id);
  return out;
}

describe('exercise kit', () => {
  it('stubs a marked body into a NotImplementedError that names the task, with void uses of what only the body read', () => {
    const text = [
      "import { helper } from './helper.js';",
      'export function f(a: number, b: number): number {',
      '  const c = a * 2;',
      '  // BEGIN SOLUTION m9 — f: return c + helper(b)',
      '  return c + helper(b);',
      '  // END SOLUTION',
      '}',
    ].join('\n');
    const { text: stubbed, stubbed: blocks } = stubSolutions(text, '/x/src/f.ts', new Set(['m9']), '/x/src/errors.ts');
    expect(blocks.map((b) => b.task)).toEqual(['m9']);
    expect(stubbed).toContain("import { NotImplementedError } from './errors.js'; // thrown by the stubs below: delete it with the last one");
    expect(stubbed).toContain('  void b; void c; void helper;');
    expect(stubbed).toContain("  throw new NotImplementedError('m9: f: return c + helper(b)');");
    expect(stubbed).not.toContain('return c + helper(b);');
    expect(() => solutionBlocks('// BEGIN SOLUTION m1\nx\n', 'bad.ts')).toThrow(/no END SOLUTION/);
  });

  // The editions are graded concurrently (each grade is a vitest child process).
  it('grades the instructor edition, a student edition, a mutation and a student who did m1', async () => {
    const student = edition('student', { edition: 'student', through: null });
    const mutant = edition('mutant', { edition: 'instructor', through: null });
    const mulFile = join(mutant, 'src/autograd/functions/binary.ts');
    const mul = readFileSync(mulFile, 'utf8');
    const swapped = mul.replace(
      'return [ctx.needsInputGrad[0] ? g.mul(b) : null, ctx.needsInputGrad[1] ? g.mul(a) : null];',
      'return [ctx.needsInputGrad[0] ? g.mul(a) : null, ctx.needsInputGrad[1] ? g.mul(b) : null];',
    );
    expect(swapped).not.toBe(mul);
    writeFileSync(mulFile, swapped);

    // A student edition for M1; the student carries m0 forward and writes Mul.backward.
    const m1 = edition('m1', { edition: 'student', through: 'm1' });
    for (const t of tasks.filter((task) => task.id === 'm0')) for (const f of t.files) cpSync(join(root, f), join(m1, f));
    const binary = join(m1, 'src/autograd/functions/binary.ts');
    const stub = /\n( *)\/\/ m1: write this body[^\n]*\n *void [^\n]*\n[^\n]*NotImplementedError\('m1:[^\n]*\n/;
    const before = readFileSync(binary, 'utf8');
    expect(before).toMatch(stub);
    // binary.ts has no other stub, so the student deletes the import the stubs needed, as its comment says.
    const withoutImport = before.replace(/\nimport \{ NotImplementedError \}[^\n]*delete it with the last one/, '');
    expect(withoutImport).not.toBe(before);
    writeFileSync(binary, withoutImport.replace(stub, (_, indent: string) => [
      '',
      `${indent}const [b, a] = ctx.savedTensors;`,
      `${indent}const gradA = ctx.needsInputGrad[0] ? g.mul(b) : null;`,
      `${indent}const gradB = ctx.needsInputGrad[1] ? g.mul(a) : null;`,
      `${indent}return [gradA, gradB];`,
      '',
    ].join('\n')));

    const [instructorRows, studentRows, mutantRows, m1Rows, studentTypes, m1Types] = await Promise.all([
      grade(root, null, join(scratch, 'instructor.json')),
      grade(student, null, join(student, 'results.json')),
      grade(mutant, null, join(mutant, 'results.json')),
      grade(m1, 'm1', join(m1, 'results.json')),
      typecheck(student),
      typecheck(m1),
    ]);

    const max = Object.fromEntries(tasks.map((t) => [t.id, t.points]));
    expect(points(instructorRows), instructorRows.map((r) => `${r.task.id}: ${r.output}`).join('\n')).toEqual(max);
    const results = JSON.parse(readFileSync(join(scratch, 'instructor.json'), 'utf8')) as { score: number; max_score: number; tests: { name: string; score: number; max_score: number; output: string }[] };
    expect(results.score).toBe(results.max_score);
    expect(results.tests.map((t) => t.name.split(':')[0])).toEqual(tasks.map((t) => t.id));

    expect(studentTypes.output).toBe('');
    expect(studentTypes.code).toBe(0);
    for (const row of studentRows) {
      expect(row.earned).toBe(0);
      expect(row.passed).toBe(0);
      expect(row.failure, row.task.id).toMatch(new RegExp(`^NotImplementedError: ${row.task.id}: `));
    }
    const studentResults = JSON.parse(readFileSync(join(student, 'results.json'), 'utf8')) as { score: number };
    expect(studentResults.score).toBe(0);

    const lost = new Set(Object.entries(points(mutantRows)).filter(([id, p]) => p < max[id]).map(([id]) => id));
    expect([...lost].sort()).toEqual([...withDependents('m1')].sort());
    expect(mutantRows.find((r) => r.task.id === 'm1')?.failure).toMatch(/∂\/∂a|element/);

    expect(m1Types.code, m1Types.output).toBe(0);
    expect(m1Rows.map((r) => [r.task.id, r.earned])).toEqual([['m0', max.m0], ['m1', max.m1]]);
  }, 300_000);
});
