/**
 * `npm run exercises -- --out DIR [--through TASK] [--edition student|instructor]`
 *
 * Writes an edition of the exercise kit to DIR (scripts/exercise-edition.ts): the library's
 * source, the kit (exercises/: tasks, tests, handout), the grader and package.json/tsconfig.json.
 * In the student edition (the default) every solution marked for a task up to TASK in the ladder
 * (all tasks without --through) is replaced by a stub that throws NotImplementedError and still
 * typechecks; the instructor edition keeps the solutions. Then, in DIR: `npm install` (or link
 * node_modules) and `npm run grade`.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeEdition, type EditionOptions } from './exercise-edition.js';

function usage(message: string): never {
  console.error(`exercises: ${message}\nusage: npm run exercises -- --out DIR [--through TASK] [--edition student|instructor]`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let out: string | null = null;
const opts: EditionOptions = { edition: 'student', through: null };
for (let i = 0; i < argv.length; i += 2) {
  const [flag, value] = [argv[i], argv[i + 1]];
  if (value === undefined) usage(`${flag} needs a value`);
  if (flag === '--out') out = value;
  else if (flag === '--through') opts.through = value;
  else if (flag === '--edition' && (value === 'student' || value === 'instructor')) opts.edition = value;
  else usage(`unexpected argument ${flag} ${value}`);
}
if (out === null) usage('--out DIR is required');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = resolve(out);
let stubbed: ReturnType<typeof writeEdition>;
try {
  stubbed = writeEdition(root, target, opts);
} catch (e) {
  usage(e instanceof Error ? e.message : String(e));
}
console.log(`${opts.edition} edition in ${target}${stubbed.length > 0 ? ', stubbed:' : ''}`);
for (const { file, block } of [...stubbed].sort((x, y) => x.block.task.localeCompare(y.block.task) || x.file.localeCompare(y.file))) console.log(`  ${block.task}  ${file}: ${block.what.split(':')[0]}`);
