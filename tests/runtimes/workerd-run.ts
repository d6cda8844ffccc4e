/**
 * The app as two Cloudflare Workers in one workerd process: one imports the package's `.wasm`
 * files and hands them to `provideWasmModules`, one imports nothing but tsgrad (compiling is
 * refused there, so the JS kernels run). Each Worker is bundled with esbuild as an embedder
 * would bundle it (the `.wasm` and weights imports stay imports: workerd's config lists them as
 * `wasm` and `data` modules), served on a free port of 127.0.0.1 and asked once.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { InferenceResult } from './app/inference.js';
import { parseResult } from './run-entry.js';

/** The two Workers: with the precompiled modules and without. */
export type WorkerVariant = 'with-wasm' | 'plain';

/** A free TCP port of 127.0.0.1 (closed again at once, for workerd to take). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** workerd's config in capnp text: a service and a socket per Worker. */
function capnpConfig(ports: Record<WorkerVariant, number>): string {
  const wasm = ['gemm', 'elementwise', 'reduce', 'int8']
    .map((m) => `(name = "tsgrad/wasm/${m}.wasm", wasm = embed "${m}.wasm"),`)
    .join('\n    ');
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "with-wasm", worker = .withWasm), (name = "plain", worker = .plain)],
  sockets = [
    (name = "with-wasm", address = "127.0.0.1:${ports['with-wasm']}", http = (), service = "with-wasm"),
    (name = "plain", address = "127.0.0.1:${ports.plain}", http = (), service = "plain"),
  ],
);

const withWasm :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "with-wasm.js"),
    ${wasm}
    (name = "weights.safetensors", data = embed "weights.safetensors"),
  ],
  compatibilityDate = "2025-01-01",
);

const plain :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "plain.js"),
    (name = "weights.safetensors", data = embed "weights.safetensors"),
  ],
  compatibilityDate = "2025-01-01",
);
`;
}

/**
 * Runs both Workers of the app folder `app` (which holds the transpiled entries, the installed
 * package and weights.safetensors) with the `workerd` binary; resolves each Worker's answer.
 */
export async function runWorkerd(workerd: string, app: string): Promise<Record<WorkerVariant, InferenceResult>> {
  const dir = join(app, 'workerd');
  mkdirSync(dir);
  await Promise.all(
    (['with-wasm', 'plain'] as const).map((variant) =>
      build({
        entryPoints: [join(app, `workerd-${variant}.js`)],
        outfile: join(dir, `${variant}.js`),
        bundle: true,
        format: 'esm',
        platform: 'browser',
        conditions: ['workerd', 'worker'],
        external: ['*.wasm', '*.safetensors'],
        logLevel: 'silent',
      }),
    ),
  );
  for (const m of ['gemm', 'elementwise', 'reduce', 'int8']) copyFileSync(join(app, 'node_modules', 'tsgrad', 'src', 'backends', 'wasm', `${m}.wasm`), join(dir, `${m}.wasm`));
  copyFileSync(join(app, 'weights.safetensors'), join(dir, 'weights.safetensors'));
  const ports = { 'with-wasm': await freePort(), plain: await freePort() };
  writeFileSync(join(dir, 'config.capnp'), capnpConfig(ports));

  const child = spawn(workerd, ['serve', 'config.capnp'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  let exited: string | null = null;
  child.on('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const ask = async (variant: WorkerVariant): Promise<InferenceResult> => {
    const runtime = `workerd (${variant === 'plain' ? 'no .wasm imports' : 'provideWasmModules'})`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      let response: Response;
      try {
        response = await fetch(`http://127.0.0.1:${ports[variant]}/`);
      } catch (e: unknown) {
        if (exited !== null || Date.now() > deadline) {
          throw new Error(`${runtime} failed: ${exited ?? 'no answer in 20 s'} (${e instanceof Error ? e.message : String(e)})\n--- workerd log ---\n${log}`);
        }
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      return parseResult(runtime, await response.text(), log);
    }
  };
  try {
    const [withWasm, plain] = await Promise.all([ask('with-wasm'), ask('plain')]);
    return { 'with-wasm': withWasm, plain };
  } finally {
    child.kill();
  }
}
