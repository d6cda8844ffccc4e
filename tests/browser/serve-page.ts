/**
 * Serves the GPU test page on 127.0.0.1: bundles a page script (tests/browser/gpu-page.ts by
 * default; bench/gpu-page.ts for the benchmark) with esbuild in memory, and answers `/` with
 * index.html and `/gpu-page.js` with the bundle. Node-only test and bench code.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** A running page server: its address and how to stop it. */
export interface PageServer {
  url: string;
  close(): Promise<void>;
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** Bundles `entry` (an absolute path) and starts serving the page on a free port of 127.0.0.1. */
export async function servePage(entry: string = here('./gpu-page.ts')): Promise<PageServer> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0].contents;
  const html = await readFile(here('./index.html'));
  const server = createServer((req, res) => {
    const body = req.url === '/' ? html : req.url === '/gpu-page.js' ? script : null;
    if (body === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': req.url === '/' ? 'text/html' : 'text/javascript' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
