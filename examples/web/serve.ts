/**
 * `npm run web`: serves the live pages on http://127.0.0.1:8080/ (PORT sets another port) — the
 * digit page (the static index.html, main.ts bundled with esbuild, tsgrad from the repository's
 * src/, and the weights `npm start` saved as mnist-cnn.safetensors in the repository's root) and,
 * under /backprop/, the step-through of backprop (backprop/index.html and backprop/main.ts). The pages are served
 * with `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'`: scripts from this origin
 * only, and the WebAssembly kernels allowed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isMain } from '../lib/is-main.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** Where the page's server listens, and which weights it serves. */
export interface WebServerOptions {
  /** Port on 127.0.0.1 (0: any free port). */
  port: number;
  /** The safetensors file served as /mnist-cnn.safetensors. */
  weights: string;
}

/** A running page server: its address and how to stop it. */
export interface WebServer {
  /** The page's address, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  /** Stops the server (open connections included). */
  close(): Promise<void>;
}

/**
 * Bundles the page and starts serving it.
 *
 * @example const { url, close } = await startWebServer({ port: 0, weights: 'mnist-cnn.safetensors' })
 */
export async function startWebServer({ port, weights }: WebServerOptions): Promise<WebServer> {
  const bundle = async (entry: string) => {
    const result = await build({
      entryPoints: [here(entry)],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      minify: true,
      // Op names are class names (a node of Mul is `MulBackward`): minified, they would read `mnBackward`.
      keepNames: true,
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0].contents;
  };
  const [digitPage, backpropPage] = await Promise.all([bundle('./main.ts'), bundle('./backprop/main.ts')]);
  const files: Record<string, [string, () => Promise<Uint8Array>]> = {
    '/': ['text/html; charset=utf-8', () => readFile(here('./index.html'))],
    '/main.js': ['text/javascript', async () => digitPage],
    '/mnist-cnn.safetensors': ['application/octet-stream', () => readFile(weights)],
    '/backprop/': ['text/html; charset=utf-8', () => readFile(here('./backprop/index.html'))],
    '/backprop/main.js': ['text/javascript', async () => backpropPage],
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // The page's relative main.js needs the folder's trailing slash.
    if (path === '/backprop') {
      res.writeHead(301, { location: '/backprop/' }).end();
      return;
    }
    const file = files[path];
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    file[1]().then(
      (body) => res.writeHead(200, { 'content-type': file[0], 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'" }).end(body),
      (e: unknown) => res.writeHead(404, { 'content-type': 'text/plain' }).end(String(e)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

if (isMain(import.meta.url)) {
  const weights = fileURLToPath(new URL('../../mnist-cnn.safetensors', import.meta.url));
  if (!existsSync(weights)) console.warn(`no ${weights} yet: run \`npm start\` to train the CNN and save its weights`);
  const { url } = await startWebServer({ port: Number(process.env.PORT ?? 8080), weights });
  console.log(`tsgrad digit page: ${url} · backprop step by step: ${url}backprop/ (Ctrl-C stops)`);
}
