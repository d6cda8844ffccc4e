/**
 * A consumer of the published package, as an embedder has one: the tarball `npm pack` writes,
 * unpacked into `node_modules/tsgrad` of an empty folder, with an app beside it. The bundler and
 * package-shape tests build and type-check against this folder, never against `src/`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The TypeScript the library itself builds with (6.x), by path: `.bin/tsc` may be another version. */
export const tsc6 = join(repoRoot, 'node_modules/typescript/bin/tsc');
/** TypeScript 5.4, the oldest version the published types are checked against. */
export const tsc54 = join(repoRoot, 'node_modules/typescript-5.4/bin/tsc');

/** The newest modification time under `dir`, in ms. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds `dist/` with TypeScript 6 when it is missing or older than a file of `src/`. Test files run
 * in parallel, so one builds while holding a lock directory and the others wait for it.
 */
export function ensureDist(): void {
  const stamp = join(repoRoot, 'dist/index.js');
  const fresh = () => existsSync(stamp) && statSync(stamp).mtimeMs >= newestMtime(join(repoRoot, 'src'));
  const lock = join(repoRoot, 'dist.lock');
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    if (fresh()) return;
    try {
      mkdirSync(lock);
    } catch {
      Atomics.wait(nap, 0, 0, 500); // another test file is building
      continue;
    }
    try {
      if (!fresh()) {
        rmSync(join(repoRoot, 'dist'), { recursive: true, force: true });
        execFileSync(process.execPath, [tsc6, '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
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
