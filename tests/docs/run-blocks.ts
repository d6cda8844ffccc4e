/**
 * Runs doc blocks in one process, in order: `tsx tests/docs/run-blocks.ts block-1.ts block-2.ts …`.
 * Each block is imported as a module of its own (so its names do not clash with the next
 * block's); a marker line before and after each tells the doc test which output is whose, and
 * the closing marker carries the error a block threw, if any.
 */
import { pathToFileURL } from 'node:url';
import { blockEnd, blockStart } from './markers.js';

for (const [index, file] of process.argv.slice(2).entries()) {
  process.stdout.write(`${blockStart(index)}\n`);
  let error: string | null = null;
  try {
    await import(pathToFileURL(file).href);
  } catch (e) {
    error = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  }
  process.stdout.write(`${blockEnd(index, error)}\n`);
}
