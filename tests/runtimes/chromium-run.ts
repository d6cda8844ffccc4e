/**
 * The app in headless Chromium, from the app folder's installed package bundled with esbuild:
 * a page served with `Content-Security-Policy: script-src 'self'` (no 'wasm-unsafe-eval', so
 * compiling WebAssembly is refused and the JS kernels must take over), and a module worker
 * started by such a page whose own script is served with `script-src 'self' 'wasm-unsafe-eval'`
 * (a worker's CSP is its script's, so the fast kernels run there). Pages log their line to the
 * console, where it is read.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { RESULT_PREFIX, type InferenceResult } from './app/inference.js';
import { parseResult } from './run-entry.js';

/** The two browser cases. */
export type BrowserCase = 'page' | 'worker';

const STRICT_CSP = "script-src 'self'";
const WASM_CSP = "script-src 'self' 'wasm-unsafe-eval'";

const html = (script: string): string =>
  `<!doctype html><meta charset="utf-8"><title>tsgrad runtime matrix</title><script type="module" src="${script}"></script>`;

/** Bundles an app entry for the browser (ES module: the entries use top-level await). */
async function bundle(entry: string): Promise<Uint8Array> {
  const result = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', write: false, logLevel: 'silent' });
  return result.outputFiles[0].contents;
}

/** Serves the two pages, their scripts and the weights of `app` on a free port of 127.0.0.1. */
async function serve(app: string): Promise<{ server: Server; origin: string }> {
  const [page, host, worker, weights] = await Promise.all([
    bundle(join(app, 'browser-page.js')),
    bundle(join(app, 'worker-host.js')),
    bundle(join(app, 'browser-worker.js')),
    readFile(join(app, 'weights.safetensors')),
  ]);
  const routes: Record<string, [string, string | Uint8Array, string]> = {
    '/': ['text/html', html('/page.js'), STRICT_CSP],
    '/page.js': ['text/javascript', page, STRICT_CSP],
    '/worker.html': ['text/html', html('/worker-host.js'), STRICT_CSP],
    '/worker-host.js': ['text/javascript', host, STRICT_CSP],
    '/worker.js': ['text/javascript', worker, WASM_CSP],
    '/weights.safetensors': ['application/octet-stream', weights, STRICT_CSP],
  };
  const server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route === undefined) {
      res.writeHead(404).end();
      return;
    }
    const [type, body, csp] = route;
    res.writeHead(200, { 'content-type': type, 'content-security-policy': csp }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Opens `url` and waits (at most 30 s) for the result line on its console. */
async function resultOf(browser: Browser, runtime: string, url: string): Promise<InferenceResult> {
  const page = await browser.newPage();
  const log: string[] = [];
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no result in 30 s')), 30_000);
      page.on('console', (message) => {
        const text = message.text();
        log.push(`[${message.type()}] ${text}`);
        if (text.startsWith(RESULT_PREFIX) || text.includes('failed:')) {
          clearTimeout(timer);
          resolve(text);
        }
      });
      page.on('pageerror', (error) => log.push(`[pageerror] ${error.message}`));
      page.goto(url).catch(reject);
    });
    return parseResult(runtime, line, log.join('\n'));
  } catch (e: unknown) {
    throw new Error(`${runtime} failed: ${e instanceof Error ? e.message : String(e)}\n--- console ---\n${log.join('\n')}`);
  } finally {
    await page.close();
  }
}

/** Runs the page and the module worker in `browser`; resolves each one's answer. */
export async function runChromium(browser: Browser, app: string): Promise<Record<BrowserCase, InferenceResult>> {
  const { server, origin } = await serve(app);
  try {
    const [page, worker] = await Promise.all([
      resultOf(browser, "Chromium page (script-src 'self')", `${origin}/`),
      resultOf(browser, 'Chromium module worker', `${origin}/worker.html`),
    ]);
    return { page, worker };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
