import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MatmulSpec } from '../../src/kernels/backend.js';
import { currentBackend } from '../../src/kernels/registry.js';
import { wasmSimdAvailable } from '../../src/backends/wasm/simd.js';
import { useWasmKernels } from '../../src/backends/wasm/wasm-backend.js';
import { maxRelativeError, naiveMatmul, seededArray } from './reference.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
/** name, array type, tolerance, and whether float32 products may use the WebAssembly kernel. */
const DTYPES: [string, Ctor, number, boolean][] = [
  ['float32 (WebAssembly SIMD kernel)', Float32Array, 1e-5, true],
  ['float32 (typed-array kernel)', Float32Array, 1e-5, false],
  ['float64', Float64Array, 1e-12, false],
];

it('this engine has the WebAssembly SIMD kernel (so the first block below tests it)', () => {
  expect(wasmSimdAvailable).toBe(true);
});

/** Runs the current backend's matmul and the triple loop on seeded data; returns the worst relative error. */
function compare(ctor: Ctor, spec: MatmulSpec, seed: number): number {
  const aLen = spec.aBatchStride === 0 ? spec.m * spec.k : spec.batch * spec.m * spec.k;
  const bLen = spec.bBatchStride === 0 ? spec.k * spec.n : spec.batch * spec.k * spec.n;
  const a = seededArray(ctor, aLen, seed);
  const b = seededArray(ctor, bLen, seed + 1);
  const out = new ctor(spec.batch * spec.m * spec.n).fill(Number.NaN); // must be overwritten
  currentBackend().matmul(a, b, out, spec);
  return maxRelativeError(out, naiveMatmul(a, b, spec));
}

function spec2d(m: number, n: number, k: number, transA: boolean, transB: boolean): MatmulSpec {
  return { batch: 1, m, n, k, transA, transB, aBatchStride: m * k, bBatchStride: k * n };
}

const TRANS: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];
const AWKWARD = [1, 3, 17, 129];

describe.each(DTYPES)('matmul %s', (_name, ctor, tol, wasm) => {
  beforeAll(() => useWasmKernels(wasm));
  afterAll(() => useWasmKernels(wasmSimdAvailable));

  it.each(TRANS)('awkward sizes, transA=%s transB=%s', (transA, transB) => {
    for (const m of AWKWARD) for (const n of AWKWARD) for (const k of [1, 3, 17, 300]) {
      const err = compare(ctor, spec2d(m, n, k, transA, transB), m * 1000 + n * 10 + k);
      expect(err, `m=${m} n=${n} k=${k}`).toBeLessThan(tol * Math.sqrt(k));
    }
  });

  it('blocks larger than one packed block in every dimension (k > m, n > 512)', () => {
    for (const [transA, transB] of TRANS) {
      expect(compare(ctor, spec2d(70, 530, 600, transA, transB), 7)).toBeLessThan(tol * 30);
    }
  });

  it('k = 0 gives zeros', () => {
    const out = new ctor(6).fill(5);
    currentBackend().matmul(new ctor(0), new ctor(0), out, spec2d(2, 3, 0, false, false));
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('batches with either operand broadcast (batch stride 0), random shapes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.boolean(), fc.constantFrom('none', 'a', 'b'),
        (batch, m, n, k, transA, transB, broadcast) => {
          const spec: MatmulSpec = {
            batch, m, n, k, transA, transB,
            aBatchStride: broadcast === 'a' ? 0 : m * k,
            bBatchStride: broadcast === 'b' ? 0 : k * n,
          };
          expect(compare(ctor, spec, batch + m + n + k)).toBeLessThan(tol * Math.sqrt(k));
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('a broadcast B with a batch of plain A (folded into one product) at gemm sizes', () => {
    const spec: MatmulSpec = { batch: 3, m: 33, n: 65, k: 70, transA: false, transB: true, aBatchStride: 33 * 70, bBatchStride: 0 };
    expect(compare(ctor, spec, 3)).toBeLessThan(tol * 10);
  });
});
