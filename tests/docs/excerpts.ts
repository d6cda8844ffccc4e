/**
 * Excerpts of the source quoted in the docs, kept true by a test (excerpts.test.ts).
 *
 * In the source, a quoted region sits between two comment lines:
 *
 *   // guide:mul-backward
 *   …the code the guide shows…
 *   // guide:end
 *
 * In a Markdown file, the quote is a ```ts block marked `no-run: excerpt of <file>#<name>`
 * (it is a piece of a class or a module, so it does not run on its own), e.g.
 * ```` ```ts no-run: excerpt of src/autograd/functions/binary.ts#mul ````. The block must equal
 * the region, dedented; comment lines that only mark regions (other `// guide:` markers, the
 * exercise kit's `// BEGIN SOLUTION …` and `// END SOLUTION`) are left out of both.
 */
import { tsBlocks, type CodeBlock } from './doc-blocks.js';

/** The region markers: `// guide:<name>` opens one, `// guide:end` closes it. */
const OPEN = /^\s*\/\/ guide:([\w-]+)\s*$/;
/** Marker-only lines that an excerpt leaves out. */
const MARKER_LINE = /^\s*\/\/ (guide:[\w-]+|BEGIN SOLUTION\b.*|END SOLUTION)\s*$/;

/** A quoted region of one source file. */
export interface Region {
  name: string;
  /** 1-based line of its `// guide:<name>` marker. */
  line: number;
  /** The region's text, dedented, marker lines left out. */
  text: string;
}

/** Removes the indentation common to every non-empty line. */
export function dedent(lines: readonly string[]): string {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).trimEnd()).join('\n').trim();
}

/** The `// guide:` regions of a source text; throws on a region that is not closed or is opened twice. */
export function regions(source: string, file = 'source'): Region[] {
  const lines = source.split('\n');
  const found: Region[] = [];
  let open: { name: string; line: number; body: string[] } | null = null;
  lines.forEach((text, i) => {
    const marker = OPEN.exec(text);
    if (marker && marker[1] === 'end') {
      if (open === null) throw new Error(`${file}:${i + 1}: // guide:end without an open region`);
      found.push({ name: open.name, line: open.line, text: dedent(open.body) });
      open = null;
      return;
    }
    if (marker) {
      if (open !== null) throw new Error(`${file}:${i + 1}: // guide:${marker[1]} opens inside guide:${open.name} (line ${open.line}); regions do not nest`);
      if (found.some((r) => r.name === marker[1])) throw new Error(`${file}:${i + 1}: a second region named guide:${marker[1]}`);
      open = { name: marker[1], line: i + 1, body: [] };
      return;
    }
    if (open !== null && !MARKER_LINE.test(text)) open.body.push(text);
  });
  if (open !== null) {
    const { name, line } = open as { name: string; line: number };
    throw new Error(`${file}:${line}: guide:${name} is never closed with // guide:end`);
  }
  return found;
}

/** One quoted excerpt of a Markdown file: where it claims to come from. */
export interface Quote {
  block: CodeBlock;
  file: string;
  name: string;
  /** The block's text, dedented, marker lines left out. */
  text: string;
}

const EXCERPT = /^excerpt of (\S+)#([\w-]+)$/;

/** The excerpt blocks of a Markdown text. */
export function quotes(markdown: string): Quote[] {
  return tsBlocks(markdown).flatMap((b) => {
    if (b.kind !== 'no-run') return [];
    const m = EXCERPT.exec(b.reason);
    if (!m) return [];
    return [{ block: b.block, file: m[1], name: m[2], text: dedent(b.block.code.split('\n').filter((l) => !MARKER_LINE.test(l))) }];
  });
}

/**
 * Compares a Markdown text's excerpts with the source (read by `read`, a path relative to the
 * repository, null when missing); returns one problem per excerpt that drifted, named by line.
 */
export function checkQuotes(markdown: string, name: string, read: (file: string) => string | null): string[] {
  return quotes(markdown).flatMap((q) => {
    const where = `${name}:${q.block.line}`;
    const source = read(q.file);
    if (source === null) return [`${where}: ${q.file} does not exist`];
    const region = regions(source, q.file).find((r) => r.name === q.name);
    if (region === undefined) return [`${where}: ${q.file} has no // guide:${q.name} … // guide:end region`];
    if (region.text === q.text) return [];
    const doc = q.text.split('\n');
    const src = region.text.split('\n');
    const k = doc.findIndex((l, i) => l !== src[i]);
    const at = k === -1 ? doc.length : k;
    return [
      `${where}: the excerpt of ${q.file}#${q.name} drifted from the source (${q.file}:${region.line}); first difference at its line ${at + 1}:\n` +
        `  doc:    ${JSON.stringify(doc[at] ?? '(nothing)')}\n  source: ${JSON.stringify(src[at] ?? '(nothing)')}\n` +
        `paste the region again (lines ${region.line + 1}… of ${q.file})`,
    ];
  });
}
