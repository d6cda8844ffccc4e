/**
 * The published package's shape, checked on the packed tarball as a consumer receives it:
 * - publint (strict) and @arethetypeswrong/cli report nothing. attw runs with its `esm-only`
 *   profile: tsgrad ships ES modules only, which Node 20.19+/22.12+ can `require` (package.json
 *   `engines`); a CommonJS copy would give an app that both imports and requires tsgrad two Tensor
 *   classes and two sets of global state (grad mode, seed, backend). The `./wasm/*.wasm` entries are
 *   WebAssembly files, not modules with types, so attw skips them;
 * - the tarball holds the build, the sources its source maps point at, README and LICENSE: no
 *   tests, benchmarks, examples or outputs;
 * - `require('tsgrad')` (and tsgrad/node, tsgrad/package.json) works in this Node;
 * - the declarations compile with `skipLibCheck: false` for ESM consumers on TypeScript 5.4 and
 *   6.x, with and without the DOM lib (so no GPUDevice, WebAssembly or DOM type may leak into them),
 *   and for a CommonJS consumer on TypeScript 6 (`module: nodenext` types require() of ESM).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConsumer, repoRoot, tsc54, tsc6 } from './consumer.js';

const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);

/** Runs a command and returns its combined output and exit status (no throw, so failures show their output). */
function run(command: string, args: string[], cwd: string): { status: number; output: string } {
  try {
    return { status: 0, output: execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

describe('package shape of the packed tarball', () => {
  let consumer: ReturnType<typeof makeConsumer>;

  beforeAll(() => {
    consumer = makeConsumer();
  }, 180_000);
  afterAll(() => consumer?.remove());

  it('publint --strict reports nothing', () => {
    const { status, output } = run(bin('publint'), ['--strict', join(consumer.dir, 'node_modules/tsgrad')], repoRoot);
    expect(output).toContain('All good!');
    expect(status).toBe(0);
  });

  it('attw (esm-only profile, .wasm entries aside) reports no problem', () => {
    const wasm = ['./wasm/gemm.wasm', './wasm/elementwise.wasm', './wasm/reduce.wasm', './wasm/int8.wasm'];
    const { status, output } = run(bin('attw'), [consumer.tarball, '--profile', 'esm-only', '--exclude-entrypoints', ...wasm, '--format', 'json'], repoRoot);
    expect(status).toBe(0);
    // The JSON lists the problems the profile ignores too: CJSResolvesToESM under node16-cjs (the ESM-only
    // choice) and NoResolution under node10 (TypeScript's pre-exports resolution cannot see subpaths).
    const report = JSON.parse(output) as { problems: Record<string, { resolutionKind?: string }[]> };
    const counted = Object.values(report.problems).flat().filter((problem) => !['node10', 'node16-cjs'].includes(problem.resolutionKind ?? ''));
    expect(counted).toEqual([]);
    expect(Object.keys(report.problems).sort()).toEqual(['CJSResolvesToESM', 'NoResolution']);
  });

  it('the tarball carries the build, its sources, README and LICENSE, and nothing else', () => {
    const listing = JSON.parse(run('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], repoRoot).output) as [{ files: { path: string }[] }];
    const paths = listing[0].files.map((file) => file.path);
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/node/index.js']));
    const stray = paths.filter((path) => !/^(LICENSE|README\.md|package\.json)$/.test(path) && !/^dist\/.*\.(js|d\.ts|js\.map|d\.ts\.map)$/.test(path) && !/^src\/.*\.(ts|wasm|wat|md)$/.test(path));
    expect(stray).toEqual([]);
    expect(paths.filter((path) => /(^|\/)(tests?|bench|examples|out)\/|\.test\./.test(path))).toEqual([]);
  });

  it('require() loads every entry and package.json', () => {
    writeFileSync(
      join(consumer.dir, 'require-app.cjs'),
      "const t = require('tsgrad'); const n = require('tsgrad/node'); const l = require('tsgrad/learn'); const g = require('tsgrad/gpu');\n" +
        "console.log(t.tensor([1, 2, 3]).sum().item(), typeof n.loadFile, typeof l.Value, typeof g.createGpujsBackend, require('tsgrad/package.json').name);\n",
    );
    expect(run(process.execPath, ['require-app.cjs'], consumer.dir)).toEqual({ status: 0, output: '6 function function function tsgrad\n' });
  });

  const typeRoots = [join(repoRoot, 'node_modules/@types')];
  const cases = [
    { name: 'ESM, TS 5.4, nodenext, ES2022 only (no DOM, no @types/node)', tsc: tsc54, files: ['core.mts'], options: { module: 'nodenext', lib: ['ES2022'], types: [] } },
    { name: 'ESM, TS 6, nodenext, ES2022 only (no DOM, no @types/node)', tsc: tsc6, files: ['core.mts'], options: { module: 'nodenext', lib: ['ES2022'], types: [] } },
    { name: 'ESM, TS 5.4, bundler resolution, DOM', tsc: tsc54, files: ['core.mts'], options: { module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] } },
    { name: 'ESM, TS 6, bundler resolution, DOM', tsc: tsc6, files: ['core.mts'], options: { module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] } },
    { name: 'ESM, TS 5.4, nodenext, @types/node, tsgrad/node', tsc: tsc54, files: ['core.mts', 'node.mts'], options: { module: 'nodenext', lib: ['ES2022'], types: ['node'], typeRoots } },
    { name: 'ESM, TS 6, nodenext, @types/node, tsgrad/node', tsc: tsc6, files: ['core.mts', 'node.mts'], options: { module: 'nodenext', lib: ['ES2022'], types: ['node'], typeRoots } },
    { name: 'CommonJS, TS 6, nodenext, @types/node', tsc: tsc6, files: ['require.cts'], options: { module: 'nodenext', lib: ['ES2022'], types: ['node'], typeRoots } },
  ];
  for (const { name, tsc, files, options } of cases) {
    it(`the declarations compile for a consumer: ${name}`, () => {
      const config = join(consumer.dir, `tsconfig.${cases.findIndex((c) => c.name === name)}.json`);
      const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', ...options };
      writeFileSync(config, JSON.stringify({ compilerOptions, files: files.map((file) => `types/${file}`) }));
      const result = run(process.execPath, [tsc, '-p', config], consumer.dir);
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    }, 60_000);
  }
});
