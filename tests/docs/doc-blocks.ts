/**
 * Code blocks of the Markdown docs, and what they promise to print.
 *
 * The rule (written for contributors in docs/contributing.md):
 * - every ```ts block of README.md and docs/*.md runs, as a module of its own, with `tsx`;
 *   `import … from 'tsgrad'` resolves to src/ through tsconfig's paths; the runnable blocks also
 *   typecheck with the repository's compiler options;
 * - each `// →` in a block (after code, or alone on a comment line) is one line the block must
 *   print, in order; the block must print exactly those lines (stdout, trailing spaces ignored);
 * - an expectation ending in `…` is a prefix: the printed line must start with the text before it;
 * - a block with no `// →` must print nothing, and no block may throw;
 * - a block opts out only with a visible marker and a reason: ```ts no-run: needs a browser;
 * - ```js, ```javascript, ```typescript, ```tsx and ```mts blocks are refused: write ```ts, so
 *   nothing slips past the test under another name.
 */

/** One fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The info string after the opening fence, e.g. `ts` or `ts no-run: needs a browser`. */
  info: string;
  /** The block's text, without the fences. */
  code: string;
  /** 1-based line of the opening fence in the Markdown file. */
  line: number;
}

/** A ```ts block as the doc test sees it. */
export type TsBlock =
  | { kind: 'run'; block: CodeBlock; expected: Expectation[] }
  | { kind: 'no-run'; block: CodeBlock; reason: string }
  | { kind: 'invalid'; block: CodeBlock; problem: string };

/** One `// →` line: the text a printed line must equal (or start with, when `prefix`). */
export interface Expectation {
  text: string;
  prefix: boolean;
  /** 1-based line in the Markdown file. */
  line: number;
}

const fence = /^( {0,3})(`{3,}|~{3,})\s*(.*)$/;

/** Every fenced code block of a Markdown text, in order (a fence may be longer than three marks, to nest). */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fence.exec(lines[i]!);
    if (!open) continue;
    const [, indent, marks, info] = open as unknown as [string, string, string, string];
    // As in CommonMark, a backtick fence's info string has no backtick: ```` ```ts ```` is inline code.
    if (marks[0] === '`' && info.includes('`')) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]![0] === marks[0] && close[1]!.length >= marks.length) break;
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!);
    }
    blocks.push({ info: info.trim(), code: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

const refusedLanguages = new Set(['js', 'javascript', 'typescript', 'tsx', 'mts', 'mjs', 'jsx']);

/** The ```ts blocks (and the refused look-alikes, as invalid) of a Markdown text. */
export function tsBlocks(markdown: string): TsBlock[] {
  const result: TsBlock[] = [];
  for (const block of codeBlocks(markdown)) {
    const language = block.info.split(/\s+/)[0]!.toLowerCase();
    if (refusedLanguages.has(language)) {
      result.push({ kind: 'invalid', block, problem: `a \`\`\`${language} block is not run: write \`\`\`ts (or \`\`\`ts no-run: <reason>)` });
      continue;
    }
    if (language !== 'ts') continue;
    const rest = block.info.slice(2).trim();
    if (rest === '') {
      result.push({ kind: 'run', block, expected: expectations(block) });
    } else if (rest.startsWith('no-run:') && rest.slice('no-run:'.length).trim() !== '') {
      result.push({ kind: 'no-run', block, reason: rest.slice('no-run:'.length).trim() });
    } else {
      result.push({ kind: 'invalid', block, problem: `unknown marker "${rest}": the only marker is "no-run: <reason>"` });
    }
  }
  return result;
}

const arrow = /\/\/ →(.*)$/;

/** The `// →` lines of a block, in order. */
export function expectations(block: CodeBlock): Expectation[] {
  const found: Expectation[] = [];
  block.code.split('\n').forEach((text, i) => {
    const match = arrow.exec(text);
    if (!match) return;
    let expected = match[1]!.replace(/^ /, '').trimEnd();
    const prefix = expected.endsWith('…');
    if (prefix) expected = expected.slice(0, -1).trimEnd();
    found.push({ text: expected, prefix, line: block.line + 1 + i });
  });
  return found;
}

/** The printed text as lines: trailing spaces dropped, no empty last line from the final newline. */
export function printedLines(stdout: string): string[] {
  const lines = stdout.split('\n').map((line) => line.trimEnd());
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Compares what a block printed with its expectations; returns the problems, empty when it
 * matches. Each problem names the Markdown line of the expectation.
 */
export function compareOutput(expected: readonly Expectation[], printed: readonly string[]): string[] {
  const problems: string[] = [];
  const n = Math.max(expected.length, printed.length);
  for (let i = 0; i < n; i++) {
    const want = expected[i];
    const got = printed[i];
    if (want === undefined) {
      problems.push(`printed line ${i + 1} has no // → for it: ${JSON.stringify(got)}`);
    } else if (got === undefined) {
      problems.push(`line ${want.line} expects ${JSON.stringify(want.text)}${want.prefix ? '…' : ''}, but nothing more was printed`);
    } else if (want.prefix ? !got.startsWith(want.text) : got !== want.text) {
      problems.push(
        `line ${want.line} expects ${want.prefix ? 'a line starting with ' : ''}${JSON.stringify(want.text)}, printed ${JSON.stringify(got)}`,
      );
    }
  }
  return problems;
}
