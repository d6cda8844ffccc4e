/**
 * Serves the Web Worker pool test on 127.0.0.1 as a cross-origin-isolated page (COOP/COEP
 * headers, so SharedArrayBuffer exists): `/` an empty page loading `/page.js` (pool-page.ts),
 * `/faults` one loading `/faults.js` (pool-faults-page.ts), the worker script `/in-worker.js`
 * (pool-in-worker.ts) and the kernel worker at `/worker.js`, all bundled by esbuild.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

async function bundle(entry: string): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'silent',
  });
  return result.outputFiles[0].contents;
}

/** Starts the server; the caller closes it. */
export async function serveIsolated(): Promise<{ url: string; close: () => Promise<void> }> {
  const files: Record<string, { type: string; body: Uint8Array | string }> = {
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script src="/page.js"></script>' },
    '/page.js': { type: 'text/javascript', body: await bundle(here('./pool-page.ts')) },
    '/faults': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script src="/faults.js"></script>' },
    '/faults.js': { type: 'text/javascript', body: await bundle(here('./pool-faults-page.ts')) },
    '/in-worker.js': { type: 'text/javascript', body: await bundle(here('./pool-in-worker.ts')) },
    '/worker.js': { type: 'text/javascript', body: await bundle(here('../../../../src/backends/threads/web-kernel-worker.ts')) },
  };
  const server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': file.type,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
