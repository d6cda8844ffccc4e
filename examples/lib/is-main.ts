/**
 * True when the module at `moduleUrl` (pass `import.meta.url`) is the script Node was started
 * with, so an example can both run on its own (`npx tsx examples/x.ts`) and export its training
 * function for the tests.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether `moduleUrl` is the entry script. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}
