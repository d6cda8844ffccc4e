/**
 * `npm run grade [TASK] [-- --results FILE]`
 *
 * Grades the exercise kit in the current directory (scripts/exercise-grader.ts): runs the tests
 * of TASK and of every task it needs (all tasks without TASK), in prerequisite order, prints one
 * row per task — task | points | pass | first failure — and writes a Gradescope-style
 * results.json (`score`, `max_score`, `tests[]` of `name`, `score`, `max_score`, `output`).
 */
import { resolve } from 'node:path';
import { grade, table } from './exercise-grader.js';

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
let rows: Awaited<ReturnType<typeof grade>>;
try {
  rows = await grade(root, only, resolve(root, resultsPath));
} catch (e) {
  console.error(`grade: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
console.log(table(rows));
console.log(`\nwrote ${resolve(root, resultsPath)}`);
