/**
 * `npm run exercises -- --out DIR [--through TASK] [--edition student|instructor]`
 *
 * Writes an edition of the exercise kit to DIR: the library's source, the kit (exercises/: tasks,
 * tests, handout), the grader and the project files it needs (package.json, tsconfig.json). In
 * the student edition (the default) every solution marked for a task up to TASK in the ladder
 * (all tasks without --through) is replaced by a stub that throws NotImplementedError and still
 * typechecks; the instructor edition keeps the solutions. Run `npm install` (or link
 * node_modules) in DIR, then `npm run grade`.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTasks, solutionBlocks, stubSolutions } from './exercise-kit.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function usage(message: string): never {
  console.error(`exercises: ${message}\nusage: npm run exercises -- --out DIR [--through TASK] [--edition student|instructor]`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): { out: string; through: string | null; edition: 'student' | 'instructor' } {
  let out: string | null = null;
  let through: string | null = null;
  let edition: 'student' | 'instructor' = 'student';
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--out' && value) out = argv[++i];
    else if (argv[i] === '--through' && value) through = argv[++i];
    else if (argv[i] === '--edition' && (value === 'student' || value === 'instructor')) edition = argv[++i] as typeof edition;
    else usage(`unexpected argument ${argv[i]}`);
  }
  if (out === null) usage('--out DIR is required');
  return { out: resolve(out), through, edition };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const { out, through, edition } = parseArgs(process.argv.slice(2));
const tasks = loadTasks(root);
const ids = tasks.map((t) => t.id);
if (through !== null && !ids.includes(through)) usage(`unknown task ${through} (tasks: ${ids.join(', ')})`);
if (existsSync(out) && readdirSync(out).length > 0) usage(`${out} exists and is not empty`);
const stubbed = new Set(edition === 'instructor' ? [] : ids.slice(0, through === null ? ids.length : ids.indexOf(through) + 1));

// Every marked block belongs to a task whose `files` name its file, and every listed file has one.
const marked = new Map<string, Set<string>>();
for (const path of filesUnder(join(root, 'src')).filter((p) => p.endsWith('.ts'))) {
  for (const b of solutionBlocks(readFileSync(path, 'utf8'), path)) {
    const file = relative(root, path).replace(/\\/g, '/');
    if (!marked.has(b.task)) marked.set(b.task, new Set());
    marked.get(b.task)?.add(file);
  }
}
for (const t of tasks) {
  const found = marked.get(t.id) ?? new Set<string>();
  const missing = t.files.filter((f) => !found.has(f));
  const unlisted = [...found].filter((f) => !t.files.includes(f));
  if (missing.length > 0 || unlisted.length > 0) {
    throw new Error(`tasks.json: ${t.id} lists files without its markers (${missing.join(', ') || '—'}) or misses marked files (${unlisted.join(', ') || '—'})`);
  }
  marked.delete(t.id);
}
if (marked.size > 0) throw new Error(`solution markers for tasks tasks.json does not list: ${[...marked.keys()].join(', ')}`);

mkdirSync(out, { recursive: true });
for (const part of ['src', 'exercises', 'scripts/exercise-kit.ts', 'scripts/grade.ts', 'scripts/exercises.ts', 'package.json', 'LICENSE']) {
  cpSync(join(root, part), join(out, part), { recursive: true });
}
// The edition's tsconfig: the repository's strict settings over what the edition holds.
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[]; exclude?: string[] };
tsconfig.include = ['src', 'exercises', 'scripts'];
delete tsconfig.exclude;
writeFileSync(join(out, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);

const errorsModule = join(out, 'src', 'errors.ts');
const report: string[] = [];
for (const path of filesUnder(join(out, 'src')).filter((p) => p.endsWith('.ts'))) {
  const { text, stubbed: blocks } = stubSolutions(readFileSync(path, 'utf8'), path, stubbed, errorsModule);
  if (blocks.length === 0) continue;
  writeFileSync(path, text);
  for (const b of blocks) report.push(`  ${b.task}  ${relative(out, path)}: ${b.what.split(':')[0]}`);
}
console.log(`${edition} edition in ${out}${edition === 'student' ? `, stubbed (${[...stubbed].join(', ')}):` : ''}`);
if (report.length > 0) console.log(report.sort().join('\n'));
