/**
 * The doc test tested: the rule of doc-blocks.ts on small Markdown texts, and the runner end to
 * end (a wrong `// →` fails, a throwing block fails, output without a `// →` fails).
 */
import { describe, expect, it } from 'vitest';
import { checkMarkdown, typecheckMarkdown } from './check-markdown.js';
import { codeBlocks, compareOutput, expectations, printedLines, tsBlocks } from './doc-blocks.js';

const ts = (code: string, info = 'ts'): string => `Some text.\n\n\`\`\`${info}\n${code}\n\`\`\`\n`;

describe('codeBlocks', () => {
  it('finds fenced blocks with their info string and line, and nests a longer fence', () => {
    const md = 'a\n```sh\nnpm test\n```\n\n````md\n```ts\nx\n```\n````\n   ```` ```ts ```` is inline code\n';
    expect(codeBlocks(md)).toEqual([
      { info: 'sh', code: 'npm test', line: 2 },
      { info: 'md', code: '```ts\nx\n```', line: 6 },
    ]);
  });
});

describe('tsBlocks', () => {
  it('runs ```ts, skips ```ts no-run: with a reason, and refuses other markers and other names', () => {
    const md = ts('1') + ts('2', 'ts no-run: needs a browser') + ts('3', 'ts no-run:') + ts('4', 'ts skip') + ts('5', 'typescript') + ts('6', 'js');
    expect(tsBlocks(md).map((b) => b.kind)).toEqual(['run', 'no-run', 'invalid', 'invalid', 'invalid', 'invalid']);
  });
});

describe('expectations and compareOutput', () => {
  const block = { info: 'ts', line: 10, code: 'console.log(1); // → 1\nconsole.log("ab"); // → a…\n// → tail' };

  it('reads each // → as one printed line, … as a prefix', () => {
    expect(expectations(block)).toEqual([
      { text: '1', prefix: false, line: 11 },
      { text: 'a', prefix: true, line: 12 },
      { text: 'tail', prefix: false, line: 13 },
    ]);
  });

  it('passes an exact match and fails a wrong, missing or extra line', () => {
    const want = expectations(block);
    expect(compareOutput(want, printedLines('1\nabc\ntail  \n'))).toEqual([]);
    expect(compareOutput(want, printedLines('2\nabc\ntail\n'))).toHaveLength(1);
    expect(compareOutput(want, printedLines('1\nxbc\ntail\n'))).toHaveLength(1);
    expect(compareOutput(want, printedLines('1\nabc\n'))).toHaveLength(1);
    expect(compareOutput(want, printedLines('1\nabc\ntail\nmore\n'))).toHaveLength(1);
  });
});

describe('checkMarkdown, end to end', () => {
  it('passes true arrows and fails a wrong one, a throw, and unannounced output', async () => {
    const md =
      ts("import { tensor } from 'tsgrad';\nconsole.log(tensor([1, 2, 3]).sum().item()); // → 6") +
      ts("import { tensor } from 'tsgrad';\nconsole.log(tensor([1, 2, 3]).sum().item()); // → 7") +
      ts("throw new Error('boom');") +
      ts("console.log('unannounced');") +
      ts("const x = 1;\nconsole.log(x); // → 1", 'ts no-run: shows the marker') +
      ts("process.stdout.write('no newline');\n// → no newline") +
      ts("const v = await Promise.resolve(import.meta.url.startsWith('file:'));\nconsole.log(v); // → true");
    const verdicts = await checkMarkdown(md);
    expect(verdicts.map((v) => v.problems.length === 0)).toEqual([true, false, false, false, true, true, true]);
    expect(verdicts[1]!.problems[0]).toContain('expects "7", printed "6"');
    expect(verdicts[2]!.problems[0]).toContain('boom');
    expect(verdicts[3]!.problems[0]).toContain('has no // → for it');
  });
});

describe('typecheckMarkdown', () => {
  it('reports a type error at its line in the Markdown file, and passes a correct block', () => {
    const md = ts('const n: number = 1;\nconsole.log(n);') + ts("const s: number = 'text';\nconsole.log(s);");
    const errors = typecheckMarkdown([{ name: 'page.md', text: md }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^page\.md:10: Type 'string' is not assignable to type 'number'/);
  }, 60_000);
});
