/**
 * Runs every ```ts block of one Markdown text (in one `tsx` process, each block a module of its
 * own) and checks what each printed against its `// →` lines; and typechecks the blocks, since
 * tsx runs without checking types. See doc-blocks.ts for the rule.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { compareOutput, printedLines, tsBlocks, type TsBlock } from './doc-blocks.js';
import { splitOutput } from './markers.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const runner = join(repo, 'tests', 'docs', 'run-blocks.ts');

/** The verdict on one ```ts block: `problems` is empty when it ran and printed what it promised. */
export interface BlockVerdict {
  block: TsBlock;
  problems: string[];
}

/**
 * Runs the ```ts blocks of `markdown` and returns a verdict for each (no-run blocks pass without
 * running, invalid ones fail). The blocks run in a fresh temporary folder as the working
 * directory, so files they write do not land in the repository; 'tsgrad' resolves through the
 * repository's tsconfig paths.
 */
export async function checkMarkdown(markdown: string, opts: { timeoutMs?: number } = {}): Promise<BlockVerdict[]> {
  const blocks = tsBlocks(markdown);
  const runnable = blocks.filter((b) => b.kind === 'run');
  const work = mkdtempSync(join(tmpdir(), 'tsgrad-doc-'));
  try {
    // Blocks are ES modules, as a package user's files are ('tsgrad' is ESM): top-level await works.
    writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
    const files = runnable.map((b) => {
      const file = join(work, `block-line-${b.block.line}.ts`);
      writeFileSync(file, `${b.block.code}\n`);
      return file;
    });
    const run = files.length === 0 ? { stdout: '', stderr: '', failure: null } : await runBlocks(files, work, opts.timeoutMs ?? 120_000);
    const outputs = splitOutput(run.stdout);
    return blocks.map((block) => {
      if (block.kind === 'no-run') return { block, problems: [] };
      if (block.kind === 'invalid') return { block, problems: [block.problem] };
      const output = outputs.get(runnable.indexOf(block));
      if (output === undefined) {
        return { block, problems: [`the block did not finish: ${run.failure ?? 'no output'}\n${run.stderr}`] };
      }
      if (output.error !== null) return { block, problems: [`the block threw:\n${output.error}`] };
      return { block, problems: compareOutput(block.expected, printedLines(output.stdout)) };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runBlocks(files: string[], cwd: string, timeout: number): Promise<{ stdout: string; stderr: string; failure: string | null }> {
  const env = { ...process.env, TSX_TSCONFIG_PATH: join(repo, 'tsconfig.json'), NO_COLOR: '1', FORCE_COLOR: '0' };
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, runner, ...files], { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, failure: error ? `${error.message.split('\n')[0]} (exit ${String(error.code ?? error.signal)})` : null });
    });
  });
}

/**
 * Typechecks the runnable ```ts blocks of several Markdown files in one TypeScript program, with
 * the repository's compiler options (strict, noUnusedLocals, the 'tsgrad' paths). Returns one
 * message per error, as `file:line: message` with the line in the Markdown file.
 */
export function typecheckMarkdown(files: readonly { name: string; text: string }[]): string[] {
  const work = mkdtempSync(join(tmpdir(), 'tsgrad-doc-types-'));
  try {
    const origin = new Map<string, { name: string; line: number }>();
    for (const { name, text } of files) {
      for (const b of tsBlocks(text)) {
        if (b.kind !== 'run') continue;
        const file = join(work, `${name.replace(/[^\w]/g, '_')}-line-${b.block.line}.ts`);
        // `export {}` keeps a block without imports a module of its own, as it is when it runs.
        writeFileSync(file, `${b.block.code}\nexport {};\n`);
        origin.set(file, { name, line: b.block.line });
      }
    }
    const configPath = join(repo, 'tsconfig.json');
    const config = ts.readConfigFile(configPath, ts.sys.readFile.bind(ts.sys));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repo, undefined, configPath);
    const program = ts.createProgram({ rootNames: [...origin.keys()], options });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const from = d.file ? origin.get(d.file.fileName) : undefined;
      if (!d.file || d.start === undefined) return message;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      return from ? `${from.name}:${from.line + 1 + line}: ${message}` : `${d.file.fileName}:${line + 1}: ${message}`;
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
