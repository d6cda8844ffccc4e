/**
 * The embedder's app folder, built from the packed tarball: the package is compiled with the
 * build's tsconfig into a staging copy (so the repository's own dist/ is left alone), packed
 * with `npm pack` (the files an `npm install` of the published package would get), and unpacked
 * into `<app>/node_modules/tsgrad` as npm would (the package has no runtime dependencies). The
 * app's entries (./app/*.ts) are transpiled one to one into `<app>/*.js`, keeping their bare
 * `tsgrad` imports, so each runtime resolves the installed package itself.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { transform } from 'esbuild';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const appSources = fileURLToPath(new URL('./app', import.meta.url));

/** The packed package and the app folder that has it installed. */
export interface PackedApp {
  /** The `npm pack` tarball. */
  tarball: string;
  /** The app folder: package.json, node_modules/tsgrad, the entries as .js. */
  app: string;
}

/** Builds, packs and installs the package into a fresh app folder under `root`. */
export async function packedApp(root: string): Promise<PackedApp> {
  const stage = join(root, 'stage');
  mkdirSync(stage);
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'src']) cpSync(join(repo, entry), join(stage, entry), { recursive: true });
  // `npm run build` is `tsc -p tsconfig.build.json`; the compiler is named by path because
  // node_modules/.bin/tsc may be another TypeScript version installed beside it.
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '-p', join(repo, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], { cwd: repo });
  // --ignore-scripts: `prepare` would build again.
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root], { cwd: stage });
  const tarball = join(root, (JSON.parse(stdout) as { filename: string }[])[0].filename);

  const app = join(root, 'app');
  const installed = join(app, 'node_modules', 'tsgrad');
  mkdirSync(installed, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'embedder-app', private: true, type: 'module', dependencies: { tsgrad: '0.1.0' } }));
  await Promise.all(
    readdirSync(appSources)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map(async (f) => {
        const { code } = await transform(await readFile(join(appSources, f), 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' });
        await writeFile(join(app, f.replace(/\.ts$/, '.js')), code);
      }),
  );
  return { tarball, app };
}
