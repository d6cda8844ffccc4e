/**
 * gradcheck: compares the gradients backward computes with central finite differences.
 *
 * For a random upstream gradient v, backward gives the vector-Jacobian product vᵀJ. The
 * numeric estimate of each entry, for input element x_j, is
 *     (⟨v, f(x + ε e_j)⟩ − ⟨v, f(x − ε e_j)⟩) / (2ε),
 * which equals (vᵀJ)_j up to O(ε²). A random v (not ones, as `out.sum()` would use) makes a
 * backward that ignores or misroutes its incoming gradient fail. It also checks that a zero
 * upstream gradient gives zero input gradients. Inputs must be float64: in float32 the
 * rounding error of f(x ± ε) swamps the difference.
 */
import { AutogradError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { grad } from './grad.js';
import { noGrad } from './grad-mode.js';
import { checkOptions, optionKeys } from '../options.js';

/** Tolerances: an entry passes when |analytic − numeric| ≤ atol + rtol·|numeric|. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
}

interface Mismatch {
  input: number;
  element: number;
  index: number[];
  analytic: number;
  numeric: number;
  excess: number;
}

/** A small local generator (LCG), so gradcheck does not disturb the library's random stream. */
function upstreamValues(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

/** Storage position of the element with row-major number `flat`. */
function storagePosition(t: Tensor, flat: number): number {
  const index = unravel(flat, t.shape);
  return index.reduce((pos, i, d) => pos + i * t.strides[d], t.offset);
}

function dot(out: Tensor, v: Float64Array): number {
  const data = out.data();
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i] * v[i];
  return s;
}

/**
 * Checks the gradients of `fn` at `inputs` against finite differences, for every element of
 * every input that requires grad. Returns true, or throws an AutogradError whose message lists
 * the input, element index, analytic and numeric values of the worst mismatches.
 */
export function gradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradcheckOptions = {}): true {
  checkOptions('gradcheck', opts, optionKeys<GradcheckOptions>({ eps: true, atol: true, rtol: true }));
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const checked = inputs.map((x, i) => ({ x, i })).filter(({ x }) => x.requiresGrad);
  if (checked.length === 0) throw new AutogradError('gradcheck: no input requires grad; call requiresGrad_() on the inputs to check');
  for (const { x, i } of checked) {
    if (x.dtype !== 'float64') throw new DTypeError(`gradcheck: input ${i} is ${x.dtype}; use float64 inputs (x.double()) so finite differences are accurate`);
    // (An empty tensor may have zero strides without sharing anything, so it is not refused.)
    if (x.size > 0 && x.shape.some((s, d) => s > 1 && x.strides[d] === 0)) throw new ShapeError(`gradcheck: input ${i} (shape ${fmtShape(x.shape)}) is an expanded view whose elements share memory; pass x.clone()`);
  }

  const out = fn(...inputs);
  if (!(out instanceof Tensor)) throw new AutogradError('gradcheck: fn must return a Tensor');
  const v = upstreamValues(out.size, 12345);
  const vTensor = new Tensor(v, out.shape, { dtype: 'float64' }).to(out.dtype);
  const analytic = out.requiresGrad
    ? grad(out, checked.map((c) => c.x), { gradOutputs: vTensor, allowUnused: true, retainGraph: true })
    : checked.map(() => null);

  const mismatches: Mismatch[] = [];
  let total = 0;
  checked.forEach(({ x, i }, k) => {
    const a = analytic[k]?.data() ?? new Float64Array(x.size);
    for (let j = 0; j < x.size; j++) {
      total++;
      const pos = storagePosition(x, j);
      const saved = x.storage[pos];
      x.storage[pos] = saved + eps;
      const plus = noGrad(() => dot(fn(...inputs), v));
      x.storage[pos] = saved - eps;
      const minus = noGrad(() => dot(fn(...inputs), v));
      x.storage[pos] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const diff = Math.abs(a[j] - numeric);
      const tol = atol + rtol * Math.abs(numeric);
      if (!(diff <= tol)) mismatches.push({ input: i, element: j, index: unravel(j, x.shape), analytic: a[j], numeric, excess: diff - tol });
    }
  });

  if (mismatches.length > 0) {
    mismatches.sort((p, q) => (Number.isNaN(q.excess) ? 1 : q.excess - p.excess));
    const lines = mismatches.slice(0, 5).map(
      (m) => `  input ${m.input}, element ${m.element} (index [${m.index.join(',')}]): analytic ${m.analytic}, numeric ${m.numeric}`,
    );
    throw new AutogradError(
      `gradcheck: analytic and numeric gradients differ for ${mismatches.length} of ${total} elements (atol ${atol}, rtol ${rtol}, eps ${eps}); worst:\n${lines.join('\n')}`,
    );
  }

  if (out.requiresGrad) {
    const zeroGrads = grad(out, checked.map((c) => c.x), { gradOutputs: new Tensor(new Float64Array(out.size), out.shape).to(out.dtype), allowUnused: true });
    zeroGrads.forEach((g, k) => {
      const data = g?.data() ?? [];
      for (let j = 0; j < data.length; j++) {
        if (data[j] !== 0) throw new AutogradError(`gradcheck: a zero upstream gradient gave a nonzero gradient ${data[j]} for input ${checked[k].i}, element ${j}`);
      }
    });
  }
  return true;
}
