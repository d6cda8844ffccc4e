/**
 * Running one runtime's entry and reading its answer: the line that starts with RESULT_PREFIX.
 * Every failure names the runtime and carries what it wrote to stderr (or the page's console).
 */
import { execFile } from 'node:child_process';
import { RESULT_PREFIX, type InferenceResult } from './app/inference.js';

/** Parses the result line out of `output`, or throws naming `runtime` and showing `log`. */
export function parseResult(runtime: string, output: string, log: string): InferenceResult {
  const line = output.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (line === undefined) throw new Error(`${runtime}: printed no result line\n--- output ---\n${output}\n--- log ---\n${log}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as InferenceResult;
}

/** Runs `command args` in `cwd` (at most `timeoutMs`) and parses its result line. */
export function runEntry(
  runtime: string,
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<InferenceResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    execFile(command, args, { cwd: options.cwd, env, timeout: options.timeoutMs ?? 30_000 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`${runtime} failed (${command} ${args.join(' ')}: ${error.message.split('\n')[0]})\n--- stderr ---\n${stderr}\n--- stdout ---\n${stdout}`));
        return;
      }
      try {
        resolve(parseResult(runtime, stdout, stderr));
      } catch (e: unknown) {
        reject(e);
      }
    });
  });
}

/** The first line a command prints (a version banner), naming `runtime` when it fails. */
export function firstLine(runtime: string, command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${runtime}: ${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout.split('\n')[0].trim());
    });
  });
}
