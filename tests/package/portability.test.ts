/**
 * The core must run in browsers, Deno, Bun and workers: no Node-only module may be imported
 * outside src/node/, and nothing in src/ may import gpu.js except the optional gpu entry.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const nodeModules = /from\s+['"](node:[\w/]+|fs|path|os|url|worker_threads|child_process|crypto|buffer|util|module)['"]/;

describe('portability of the core', () => {
  const files = sourceFiles(root).map((f) => relative(root, f));

  it('imports no Node-only module outside src/node/', () => {
    const offenders = files.filter((f) => !f.startsWith('node') && nodeModules.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('imports onnx-proto only under src/onnx/, and nothing outside it imports src/onnx/ (the core stays free of it)', () => {
    const offenders = files.filter((f) => {
      if (f.startsWith('onnx')) return false;
      const text = readFileSync(join(root, f), 'utf8');
      return /from\s+['"]onnx-proto['"]/.test(text) || /from\s+['"][./]+(\/onnx)\/[\w/.-]*['"]/.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('imports gpu.js only from the gpu entry, and only dynamically', () => {
    const offenders = files.filter((f) => {
      const text = readFileSync(join(root, f), 'utf8');
      return /from\s+['"]gpu\.js['"]/.test(text) || (/import\(\s*['"]gpu\.js['"]\s*\)/.test(text) && !/gpu/.test(f));
    });
    expect(offenders).toEqual([]);
  });
});
