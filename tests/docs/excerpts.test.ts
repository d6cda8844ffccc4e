/**
 * Excerpts of the source in the docs (excerpts.ts): each must equal its `// guide:` region of
 * the source, and each region in src/ must be quoted somewhere, so none is left behind.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkQuotes, quotes, regions } from './excerpts.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const markdownFiles = ['README.md', ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (file: string) => (existsSync(join(repo, file)) ? readFileSync(join(repo, file), 'utf8') : null);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('excerpts of the source in the docs', () => {
  it.each(markdownFiles)('%s quotes the source as it is', (file) => {
    expect(checkQuotes(readFileSync(join(repo, file), 'utf8'), file, read)).toEqual([]);
  });

  it('every // guide: region of src/ is quoted by a doc', () => {
    const quoted = new Set(markdownFiles.flatMap((f) => quotes(readFileSync(join(repo, f), 'utf8')).map((q) => `${q.file}#${q.name}`)));
    const unquoted = sourceFiles(join(repo, 'src')).flatMap((path) => {
      const file = relative(repo, path).split('\\').join('/');
      return regions(readFileSync(path, 'utf8'), file).map((r) => `${file}#${r.name}`).filter((k) => !quoted.has(k));
    });
    expect(unquoted).toEqual([]);
  });
});

describe('the excerpt check', () => {
  const source = ['class A {', '  // guide:two', '  f() {', '    // BEGIN SOLUTION a', '    return 2;', '    // END SOLUTION', '  }', '  // guide:end', '}'].join('\n');
  const doc = (body: string) => `Text.\n\n\`\`\`ts no-run: excerpt of src/a.ts#two\n${body}\n\`\`\`\n`;
  const readA = (file: string) => (file === 'src/a.ts' ? source : null);

  it('passes a faithful excerpt (dedented, solution markers left out)', () => {
    expect(regions(source)).toEqual([{ name: 'two', line: 2, text: 'f() {\n  return 2;\n}' }]);
    expect(checkQuotes(doc('f() {\n  return 2;\n}'), 'page.md', readA)).toEqual([]);
  });

  it('fails an excerpt that drifted, naming the line and both texts', () => {
    const problems = checkQuotes(doc('f() {\n  return 3;\n}'), 'page.md', readA);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('page.md:3: the excerpt of src/a.ts#two drifted from the source (src/a.ts:2); first difference at its line 2');
    expect(problems[0]).toContain('doc:    "  return 3;"');
    expect(problems[0]).toContain('source: "  return 2;"');
    expect(checkQuotes(doc('f() {\n  return 2;\n}\nextra'), 'page.md', readA)[0]).toContain('first difference at its line 4');
  });

  it('fails a missing file or region, and refuses unclosed or nested regions', () => {
    expect(checkQuotes(doc('x').replace('src/a.ts', 'src/b.ts'), 'page.md', readA)).toEqual(['page.md:3: src/b.ts does not exist']);
    expect(checkQuotes(doc('x').replace('#two', '#three'), 'page.md', readA)[0]).toContain('has no // guide:three');
    expect(() => regions('// guide:a\nx')).toThrow(/never closed/);
    expect(() => regions('// guide:a\n// guide:b\n// guide:end')).toThrow(/do not nest/);
    expect(() => regions('// guide:end')).toThrow(/without an open region/);
  });
});
