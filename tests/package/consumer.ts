/**
 * A consumer of the published package, as an embedder has one: the tarball `npm pack` writes,
 * unpacked into `node_modules/tsgrad` of an empty folder, with an app beside it. The bundler and
 * package-shape tests build and type-check against this folder, never against `src/`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The TypeScript the library itself builds with (6.x), by path: `.bin/tsc` may be another version. */
export const tsc6 = join(repoRoot, 'node_modules/typescript/bin/tsc');
/** TypeScript 5.4, the oldest version the published types are checked against. */
export const tsc54 = join(repoRoot, 'node_modules/typescript-5.4/bin/tsc');

/** Builds `dist/` with TypeScript 6 unless it is already there (run `npm run build` after editing src/). */
export function ensureDist(): void {
  if (existsSync(join(repoRoot, 'dist/index.js'))) return;
  execFileSync(process.execPath, [tsc6, '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
}

/** Packs the package (scripts skipped: `dist/` is built once) and returns the tarball's path. */
export function packTarball(into: string): string {
  ensureDist();
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', into], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return join(into, out.trim().split('\n').pop()!.trim());
}

/**
 * An empty app folder with the packed tsgrad in `node_modules/tsgrad` and the fixture apps of
 * tests/package/fixtures copied in; `remove()` deletes it.
 */
export function makeConsumer(): { dir: string; tarball: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tsgrad-consumer-'));
  const tarball = packTarball(dir);
  const pkgDir = join(dir, 'node_modules/tsgrad');
  mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', pkgDir, '--strip-components=1']);
  const fixtures = join(repoRoot, 'tests/package/fixtures');
  for (const name of readdirSync(fixtures)) cpSync(join(fixtures, name), join(dir, name), { recursive: true });
  return { dir, tarball, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
