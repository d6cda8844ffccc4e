/**
 * The doc test: every ```ts block of README.md and docs/*.md runs and prints what its `// →`
 * comments say (the rule: tests/docs/doc-blocks.ts, and docs/contributing.md for contributors).
 * One process per Markdown file keeps it fast.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkMarkdown, typecheckMarkdown, type BlockVerdict } from './check-markdown.js';
import { tsBlocks } from './doc-blocks.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const docsDir = join(repo, 'docs');
const markdownFiles = [
  'README.md',
  ...(existsSync(docsDir) ? readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`) : []),
];

describe.each(markdownFiles)('%s', (file) => {
  const text = readFileSync(join(repo, file), 'utf8');
  const blocks = tsBlocks(text);
  let verdicts: BlockVerdict[] = [];

  beforeAll(async () => {
    verdicts = await checkMarkdown(text);
  }, 180_000);

  it.each(blocks.map((b, i) => ({ i, line: b.block.line, kind: b.kind })))('```ts block at line $line ($kind)', ({ i }) => {
    const verdict = verdicts[i]!;
    expect(verdict.problems, `${file}:${verdict.block.block.line}\n${verdict.problems.join('\n')}`).toEqual([]);
  });
});

describe('the docs', () => {
  it('typecheck: every runnable ```ts block compiles with the repository\'s strict options', () => {
    const files = markdownFiles.map((name) => ({ name, text: readFileSync(join(repo, name), 'utf8') }));
    expect(typecheckMarkdown(files)).toEqual([]);
  }, 120_000);

  it('link only to files that exist in the repository', () => {
    const broken = markdownFiles.flatMap((file) => {
      const text = readFileSync(join(repo, file), 'utf8');
      const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith('#'));
      return targets.filter((t) => !existsSync(join(repo, dirname(file), t.split('#')[0]!))).map((t) => `${file}: ${t}`);
    });
    expect(broken).toEqual([]);
  });

  it('have ```ts blocks to run', () => {
    const counts = markdownFiles.map((f) => tsBlocks(readFileSync(join(repo, f), 'utf8')).filter((b) => b.kind === 'run').length);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
