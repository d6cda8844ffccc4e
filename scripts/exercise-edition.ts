/**
 * Writes an edition of the exercise kit (see scripts/exercises.ts for the command): the library's
 * source, the kit (exercises/), the grader and the project files it needs. The student edition
 * stubs the marked solutions of the chosen tasks; the instructor edition keeps them.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadTasks, solutionBlocks, stubSolutions, type SolutionBlock } from './exercise-kit.js';

/** Which edition to write and, for a student edition, the last task of the ladder to stub (all when null). */
export interface EditionOptions {
  edition: 'student' | 'instructor';
  through: string | null;
}

/** What the repository and the edition hold besides src/: the kit, the grader, the project files. */
const COPIED = ['exercises', 'scripts/exercise-kit.ts', 'scripts/exercise-edition.ts', 'scripts/exercise-grader.ts', 'scripts/exercises.ts', 'scripts/grade.ts', 'LICENSE'];

/** The development packages an edition needs: the grader's (vitest, tsx, typescript) and what src/ imports for types. */
const EDITION_PACKAGES = ['typescript', 'vitest', 'tsx', '@types/node', 'gpu.js', 'onnx-proto'];

/** The edition's package.json: the kit's scripts and only the packages it needs, at the repository's versions. */
function editionPackage(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; license: string; engines: unknown; devDependencies: Record<string, string> };
  const devDependencies = Object.fromEntries(EDITION_PACKAGES.map((name) => {
    const version = pkg.devDependencies[name];
    if (version === undefined) throw new Error(`package.json: the exercise kit needs ${name} in devDependencies`);
    return [name, version];
  }));
  return `${JSON.stringify({
    name: 'tsgrad-exercises',
    version: pkg.version,
    private: true,
    license: pkg.license,
    type: 'module',
    scripts: { grade: 'tsx scripts/grade.ts', exercises: 'tsx scripts/exercises.ts', typecheck: 'tsc --noEmit', test: 'tsx scripts/grade.ts' },
    engines: pkg.engines,
    devDependencies,
  }, null, 2)}\n`;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Throws unless every marked block's file is listed under its task in tasks.json, and every listed file has one. */
export function checkMarkers(root: string): void {
  const marked = new Map<string, Set<string>>();
  for (const path of filesUnder(join(root, 'src')).filter((p) => p.endsWith('.ts'))) {
    for (const b of solutionBlocks(readFileSync(path, 'utf8'), path)) {
      const file = relative(root, path).replace(/\\/g, '/');
      if (!marked.has(b.task)) marked.set(b.task, new Set());
      marked.get(b.task)?.add(file);
    }
  }
  for (const t of loadTasks(root)) {
    const found = marked.get(t.id) ?? new Set<string>();
    const missing = t.files.filter((f) => !found.has(f));
    const unlisted = [...found].filter((f) => !t.files.includes(f));
    if (missing.length > 0 || unlisted.length > 0) {
      throw new Error(`tasks.json: ${t.id} lists files without its markers (${missing.join(', ') || '—'}) or misses marked files (${unlisted.join(', ') || '—'})`);
    }
    marked.delete(t.id);
  }
  if (marked.size > 0) throw new Error(`solution markers for tasks tasks.json does not list: ${[...marked.keys()].join(', ')}`);
}

/** Writes the edition of the repository at `root` into `out` (missing or empty); returns the blocks it stubbed, by file. */
export function writeEdition(root: string, out: string, opts: EditionOptions): { file: string; block: SolutionBlock }[] {
  const ids = loadTasks(root).map((t) => t.id);
  if (opts.through !== null && !ids.includes(opts.through)) throw new Error(`unknown task ${opts.through} (tasks: ${ids.join(', ')})`);
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`${out} exists and is not empty`);
  checkMarkers(root);
  const stubbed = new Set(opts.edition === 'instructor' ? [] : ids.slice(0, opts.through === null ? ids.length : ids.indexOf(opts.through) + 1));

  mkdirSync(out, { recursive: true });
  for (const part of ['src', ...COPIED]) cpSync(join(root, part), join(out, part), { recursive: true });
  writeFileSync(join(out, 'package.json'), editionPackage(root));
  // The edition's tsconfig: the repository's strict settings over what the edition holds.
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[]; exclude?: string[] };
  tsconfig.include = ['src', 'exercises', 'scripts'];
  delete tsconfig.exclude;
  writeFileSync(join(out, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);

  const errorsModule = join(out, 'src', 'errors.ts');
  const done: { file: string; block: SolutionBlock }[] = [];
  for (const path of filesUnder(join(out, 'src')).filter((p) => p.endsWith('.ts'))) {
    const { text, stubbed: blocks } = stubSolutions(readFileSync(path, 'utf8'), path, stubbed, errorsModule);
    if (blocks.length === 0) continue;
    writeFileSync(path, text);
    for (const block of blocks) done.push({ file: relative(out, path).replace(/\\/g, '/'), block });
  }
  return done;
}
