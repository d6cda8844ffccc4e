import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Conv2dSpec, MatmulSpec, ProductPlugin } from '../../../src/kernels/backend.js';
import { currentBackend } from '../../../src/kernels/registry.js';
import { createThreadedBackend, type ThreadedBackend } from '../../../src/node/threaded-backend.js';
import { maxRelativeError, seededArray } from '../../kernels/reference.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

let pooled: ThreadedBackend;
beforeAll(async () => {
  // minWork 0: every call is split, however small, so the split logic is what gets tested.
  pooled = await createThreadedBackend({ threads: 3, minWork: 0 });
});
afterAll(async () => {
  await pooled.close();
});

function matmulBoth(ctor: Ctor, spec: MatmulSpec, seed: number): [ArrayLike<number>, ArrayLike<number>] {
  const a = seededArray(ctor, spec.aBatchStride === 0 ? spec.m * spec.k : spec.batch * spec.m * spec.k, seed);
  const b = seededArray(ctor, spec.bBatchStride === 0 ? spec.k * spec.n : spec.batch * spec.k * spec.n, seed + 1);
  const single = new ctor(spec.batch * spec.m * spec.n);
  const threaded = new ctor(single.length).fill(Number.NaN);
  currentBackend().matmul(a, b, single, spec);
  pooled.matmul(a, b, threaded, spec);
  return [threaded, single];
}

describe.each([['float32', Float32Array], ['float64', Float64Array]] as [string, Ctor][])('threaded backend %s', (_n, ctor) => {
  it('matmul equals the single-thread result exactly (row and batch splits, transposes, broadcast)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }), fc.boolean(), fc.boolean(), fc.constantFrom('none', 'a', 'b'),
        (batch, m, n, k, transA, transB, broadcast) => {
          const spec: MatmulSpec = {
            batch, m, n, k, transA, transB,
            aBatchStride: broadcast === 'a' ? 0 : m * k, bBatchStride: broadcast === 'b' ? 0 : k * n,
          };
          const [threaded, single] = matmulBoth(ctor, spec, m + n + k);
          expect(Array.from(threaded)).toEqual(Array.from(single));
        },
      ),
      { seed: 9, numRuns: 60 },
    );
  });

  it('conv2d forward and input grad equal the single-thread result; weight grad matches to rounding', () => {
    const s: Conv2dSpec = {
      batch: 5, inChannels: 4, inH: 9, inW: 8, outChannels: 6, kH: 3, kW: 2, outH: 5, outW: 8,
      strideH: 2, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, groups: 2,
    };
    const x = seededArray(ctor, 5 * 4 * 9 * 8, 1), w = seededArray(ctor, 6 * 2 * 3 * 2, 2), g = seededArray(ctor, 5 * 6 * 5 * 8, 3);
    const run = (be: ProductPlugin) => {
      const out = new ctor(g.length).fill(Number.NaN), gx = new ctor(x.length).fill(Number.NaN), gw = new ctor(w.length).fill(Number.NaN);
      be.conv2d(x, w, out, s);
      be.conv2dInputGrad(g, w, gx, s);
      be.conv2dWeightGrad(x, g, gw, s);
      return { out: Array.from(out), gx: Array.from(gx), gw: Array.from(gw) };
    };
    const single = run(currentBackend()), threaded = run(pooled);
    expect(threaded.out).toEqual(single.out);
    expect(threaded.gx).toEqual(single.gx);
    expect(maxRelativeError(threaded.gw, single.gw)).toBeLessThan(ctor === Float32Array ? 1e-5 : 1e-13);
  });
});

describe('threaded backend lifecycle', () => {
  it('keeps working single-threaded after close()', async () => {
    const backend = await createThreadedBackend({ threads: 2, minWork: 0 });
    await backend.close();
    const a = Float64Array.from([1, 2, 3, 4]), out = new Float64Array(4);
    backend.matmul(a, a, out, { batch: 1, m: 2, n: 2, k: 2, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });
    expect(Array.from(out)).toEqual([7, 10, 15, 22]);
  });

  it('never keeps the process alive: a script that does not close the pool still exits', () => {
    const script = fileURLToPath(new URL('./fixtures/pool-exit.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const stdout = execFileSync(process.execPath, [tsx, script], { timeout: 30_000, encoding: 'utf8' });
    expect(stdout.trim()).toBe('ok 128 128');
  });
});
