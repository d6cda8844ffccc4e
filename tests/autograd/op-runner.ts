/**
 * Runs the op table against a backend. For each entry:
 *   - forward in float64 on random inputs (random storage layouts, values with ties) against the
 *     naive reference, and the result's dtype;
 *   - forward in float32 (inputs rounded to float32) within float32 tolerance;
 *   - for differentiable ops, gradcheck in float64 (random upstream gradient, every element) on
 *     random shapes, with each input in a random layout: contiguous, transposed, stepped or permuted;
 *   - and gradcheck of the gradient itself (built with createGraph), which checks that every
 *     backward is written in differentiable ops with correct derivatives (higher-order gradients).
 * Non-differentiable ops also check that their result does not require grad.
 *
 * Another backend runs the same table with `runOpTable({ backend: () => createItsBackend() })`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  cat, currentBackend, enableGrad, grad, gradcheck, tensor, useBackend, zeros, type Backend, type BackendPlugin, type DType, type Tensor,
} from '../../src/index.js';
import { makeTensor, roundToFloat32, sampleValues, uniformGenerator } from './layouts.js';
import { opTable } from './op-table.js';
import type { NdArray } from './reference.js';
import type { Layout, OpCase, OpEntry } from './table/types.js';

/** What to run and on which backend. */
export interface OpRunOptions {
  /** The backend to install around the run ('cpu', a backend, or a function that makes one). */
  backend: BackendPlugin | 'cpu' | (() => BackendPlugin | Promise<BackendPlugin>);
  /** The entries to run (default: the whole table). */
  table?: readonly OpEntry[];
  /** fast-check runs per entry and check. */
  numRuns?: { float64?: number; float32?: number; gradcheck?: number; gradgradcheck?: number };
  /** Which checks to run (default all). */
  checks?: { float64?: boolean; float32?: boolean; gradcheck?: boolean; gradgradcheck?: boolean };
  /** Base seed; each entry's seed is derived from it and the entry's name. */
  seed?: number;
}

const ALL_LAYOUTS: readonly Layout[] = ['contiguous', 'transposed', 'stepped', 'permuted'];

/** A stable 31-bit hash of a name, so every entry gets its own reproducible seed. */
function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return (h >>> 1) % 1_000_000_007;
}

/** Throws a readable message unless `got` has `want`'s shape and values within atol + rtol·|want|. */
export function assertClose(got: Tensor, want: NdArray, atol: number, rtol: number, what: string): void {
  const shapeOk = got.shape.length === want.shape.length && got.shape.every((s, i) => s === want.shape[i]);
  if (!shapeOk) throw new Error(`${what}: shape [${got.shape}] but the reference has [${want.shape}]`);
  const values = got.toTypedArray();
  for (let i = 0; i < values.length; i++) {
    const g = values[i];
    const w = want.data[i];
    const bothNaN = Number.isNaN(g) && Number.isNaN(w);
    if (!bothNaN && !(Math.abs(g - w) <= atol + rtol * Math.abs(w)) && g !== w) {
      throw new Error(`${what}: element ${i} is ${g} but the reference gives ${w} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

function expectedDtype(entry: OpEntry, inputDtype: DType): DType {
  const r = entry.result ?? 'same';
  return r === 'same' ? inputDtype : r;
}

/** Draws one set of input values for a case. */
function drawInputs(c: OpCase, seed: number, ties: boolean): NdArray[] {
  const next = uniformGenerator(seed);
  return c.inputs.map((spec) => sampleValues(spec.shape, spec.domain, next, ties));
}

/** fast-check arbitrary of a case, a value seed and one layout per input. */
function caseArb(entry: OpEntry) {
  const layouts = entry.layouts ?? ALL_LAYOUTS;
  return fc.tuple(entry.cases, fc.integer(), fc.array(fc.constantFrom(...layouts), { minLength: 4, maxLength: 4 }));
}

function describeCase(entry: OpEntry, c: OpCase, layouts: readonly Layout[]): string {
  const shapes = c.inputs.map((s, i) => `[${s.shape}] ${layouts[i]}`).join(', ');
  return `${entry.name}(${shapes})${c.label ? ' ' + c.label : ''}`;
}

function forwardCheck(entry: OpEntry, dtype: 'float32' | 'float64', tol: number) {
  return ([c, seed, layouts]: [OpCase, number, Layout[]]) => {
    let values = drawInputs(c, seed, true);
    if (dtype === 'float32') values = values.map(roundToFloat32);
    const inputs = values.map((v, i) => makeTensor(v, dtype, layouts[i]));
    if (!entry.differentiable) inputs.forEach((x) => x.requiresGrad_(true));
    const what = describeCase(entry, c, layouts);
    const out = c.call(inputs);
    const wantDtype = expectedDtype(entry, dtype);
    if (out.dtype !== wantDtype) throw new Error(`${what}: result dtype ${out.dtype}, expected ${wantDtype}`);
    if (!entry.differentiable && out.requiresGrad) throw new Error(`${what}: a non-differentiable op returned a tensor that requires grad`);
    assertClose(out, c.reference(values), tol, tol, what);
  };
}

function gradCheck(entry: OpEntry) {
  return ([c, seed, layouts]: [OpCase, number, Layout[]]) => {
    const values = drawInputs(c, seed, false);
    const inputs = values.map((v, i) => makeTensor(v, 'float64', layouts[i]).requiresGrad_(true));
    try {
      gradcheck((...xs) => c.call(xs), inputs, entry.gradcheck ?? {});
    } catch (e) {
      throw new Error(`${describeCase(entry, c, layouts)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

/**
 * The first-order gradient as a function of the inputs, recorded (createGraph) so it can be
 * checked in turn: x ↦ concat_i ∂⟨v, f(x)⟩/∂x_i for a fixed pseudo-random v.
 */
function gradientOf(c: OpCase, seed: number) {
  return (...xs: Tensor[]): Tensor =>
    enableGrad(() => {
      const out = c.call(xs);
      const next = uniformGenerator(seed ^ 0x5bd1e995);
      const v = tensor(Float64Array.from({ length: out.size }, () => next() * 2 - 1), { shape: [...out.shape] });
      const grads = grad(out, xs, { gradOutputs: v, createGraph: true, allowUnused: true });
      const parts = grads.filter((g): g is Tensor => g !== null).map((g) => g.reshape(-1));
      return parts.length > 0 ? cat(parts) : zeros(0, { dtype: 'float64' });
    });
}

function gradGradCheck(entry: OpEntry) {
  return ([c, seed, layouts]: [OpCase, number, Layout[]]) => {
    const values = drawInputs(c, seed, false);
    const inputs = values.map((v, i) => makeTensor(v, 'float64', layouts[i]).requiresGrad_(true));
    try {
      gradcheck(gradientOf(c, seed), inputs, entry.gradcheck ?? {});
    } catch (e) {
      throw new Error(`second order, ${describeCase(entry, c, layouts)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

/** Registers the op-table tests (one describe per entry) for a backend. */
export function runOpTable(options: OpRunOptions): void {
  const table = options.table ?? opTable;
  const runs = { float64: 50, float32: 25, gradcheck: 40, gradgradcheck: 12, ...options.numRuns };
  const checks = { float64: true, float32: true, gradcheck: true, gradgradcheck: true, ...options.checks };
  const baseSeed = options.seed ?? 20240601;
  let previous: Backend | null = null;
  const name = typeof options.backend === 'string' ? options.backend : typeof options.backend === 'function' ? 'a made backend' : options.backend.name;

  describe(`op table on ${name}`, () => {
    beforeAll(async () => {
      previous = currentBackend();
      const b = options.backend;
      useBackend(typeof b === 'function' ? await b() : b);
    });
    afterAll(() => {
      if (previous) useBackend(previous);
    });

    for (const entry of table) {
      describe(entry.name, () => {
        const seed = baseSeed + hashName(entry.name);
        if (checks.float64) {
          it('float64 forward matches the naive reference', () => {
            fc.assert(fc.property(caseArb(entry), forwardCheck(entry, 'float64', 1e-9)), { seed, numRuns: runs.float64 });
          });
        }
        if (checks.float32) {
          it('float32 forward matches within float32 tolerance', () => {
            fc.assert(fc.property(caseArb(entry), forwardCheck(entry, 'float32', entry.float32Tol ?? 1e-5)), { seed: seed + 1, numRuns: runs.float32 });
          });
        }
        if (checks.gradcheck && entry.differentiable) {
          it('gradcheck passes in float64 (broadcast and non-contiguous inputs)', () => {
            fc.assert(fc.property(caseArb(entry), gradCheck(entry)), { seed: seed + 2, numRuns: runs.gradcheck });
          });
        }
        if (checks.gradgradcheck && entry.differentiable) {
          it('second-order gradcheck passes (the backward is itself differentiable)', () => {
            fc.assert(fc.property(caseArb(entry), gradGradCheck(entry)), { seed: seed + 3, numRuns: runs.gradgradcheck });
          });
        }
      });
    }
  });
}
