/**
 * Production builds of an app with each bundler an embedder is likely to use: esbuild, Rollup 4
 * (node-resolve + terser), webpack 5 and Bun, all minified, each reading the package's
 * `sideEffects` as it does by default. Each returns the path of a bundle Node can run and its code.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { builtinModules } from 'node:module';
import { build as esbuild } from 'esbuild';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import webpack from 'webpack';
import { repoRoot } from './consumer.js';

/** The bundlers the suite builds with. */
export const bundlers = ['esbuild', 'rollup', 'webpack', 'bun'] as const;
/** One of `bundlers`. */
export type Bundler = (typeof bundlers)[number];

/** A minified bundle: the file to run with Node and its text (what is measured). */
export interface Bundle {
  file: string;
  code: string;
}

const nodeBuiltin = (id: string) => id.startsWith('node:') || builtinModules.includes(id);

/** Bundles `entry` (an app in `dir`) with `bundler` in production mode into `dir`. */
export async function bundle(bundler: Bundler, dir: string, entry: string): Promise<Bundle> {
  const name = `${basename(entry, '.mjs')}.${bundler}`;
  const input = join(dir, entry);
  switch (bundler) {
    case 'esbuild': {
      const file = join(dir, `${name}.mjs`);
      await esbuild({ entryPoints: [input], outfile: file, bundle: true, minify: true, format: 'esm', platform: 'node', logLevel: 'silent' });
      return { file, code: readFileSync(file, 'utf8') };
    }
    case 'rollup': {
      const file = join(dir, `${name}.mjs`);
      const built = await rollup({
        input,
        external: nodeBuiltin,
        plugins: [nodeResolve({ rootDir: dir }), terser()],
        onwarn: () => {},
      });
      await built.write({ file, format: 'es', inlineDynamicImports: true });
      await built.close();
      return { file, code: readFileSync(file, 'utf8') };
    }
    case 'webpack': {
      const file = join(dir, `${name}.cjs`);
      await new Promise<void>((done, fail) => {
        webpack(
          {
            mode: 'production',
            target: 'node',
            context: dir,
            entry: input,
            output: { path: dir, filename: basename(file) },
            resolve: { modules: [join(dir, 'node_modules')] },
            externals: [({ request }, callback) => (request && nodeBuiltin(request) ? callback(undefined, `node-commonjs ${request}`) : callback())],
            performance: { hints: false },
            devtool: false,
          },
          (error, stats) => {
            if (error) fail(error);
            else if (stats?.hasErrors()) fail(new Error(stats.toString({ all: false, errors: true })));
            else done();
          },
        );
      });
      return { file, code: readFileSync(file, 'utf8') };
    }
    case 'bun': {
      const file = join(dir, `${name}.mjs`);
      execFileSync(join(repoRoot, 'node_modules/.bin/bun'), ['build', input, '--minify', '--target=node', '--format=esm', `--outfile=${file}`], {
        cwd: dir,
        stdio: 'pipe',
      });
      return { file, code: readFileSync(file, 'utf8') };
    }
  }
}

/** Runs a bundle (or an unbundled app) with Node and returns its standard output. */
export function runWithNode(file: string, cwd: string): string {
  return execFileSync(process.execPath, [file], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

