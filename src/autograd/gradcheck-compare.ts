/**
 * The numerical heart of gradcheck: for a function of some tensors and an upstream gradient v,
 * backward gives the vector-Jacobian product vᵀJ; each entry, for input element x_j, is
 * estimated by central differences
 *     (⟨v, f(x + ε e_j)⟩ − ⟨v, f(x − ε e_j)⟩) / (2ε),
 * which equals (vᵀJ)_j up to O(ε²). With v all ones and an elementwise f, (vᵀJ)_j = f′(x_j).
 * Used for the whole function (gradcheck) and for one Function at a time (the node-by-node report).
 */
import { Tensor } from '../tensor/tensor.js';
import { sameShape } from '../tensor/shape.js';
import { withStrictGradShapes } from './engine.js';
import { grad } from './grad.js';
import { noGrad } from './grad-mode.js';

/** How gradients are compared (gradcheck's options with their defaults filled in). */
export interface CheckSettings {
  eps: number;
  atol: number;
  rtol: number;
  upstream: 'random' | 'ones';
  strictGradShapes: boolean;
}

/** One input element whose analytic gradient misses the numeric one. */
export interface Mismatch {
  /** Position of the input among the function's arguments. */
  input: number;
  /** Row-major element number, and its index. */
  element: number;
  index: number[];
  /** The input's value there. */
  x: number;
  /** The upstream gradient at the same index, when the output has the input's shape (else null). */
  upstream: number | null;
  analytic: number;
  numeric: number;
  /** How far |analytic − numeric| exceeds its tolerance (NaN when either is NaN). */
  excess: number;
}

/** The outcome of comparing one function's gradients. */
export interface Comparison {
  mismatches: Mismatch[];
  /** Elements compared. */
  total: number;
  /** The function's output at the unperturbed inputs. */
  out: Tensor;
}

/** A small local generator (LCG), so gradcheck does not disturb the library's random stream. */
function upstreamValues(n: number, mode: 'random' | 'ones', seed: number): Float64Array {
  const out = new Float64Array(n);
  if (mode === 'ones') return out.fill(1);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** The index of the element with row-major number `flat`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
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
 * Compares backward's gradients of `run()` (which reads the tensors of `checked` — they are
 * perturbed in place and restored) with central differences, element by element.
 */
export function compareGradients(run: () => Tensor, checked: readonly { x: Tensor; i: number }[], s: CheckSettings): Comparison {
  const out = run();
  const v = upstreamValues(out.size, s.upstream, 12345);
  const vTensor = new Tensor(v, out.shape, { dtype: 'float64' }).to(out.dtype);
  const differentiate = () => grad(out, checked.map((c) => c.x), { gradOutputs: vTensor, allowUnused: true, retainGraph: true });
  const analytic = !out.requiresGrad ? checked.map(() => null) : s.strictGradShapes ? withStrictGradShapes(differentiate) : differentiate();

  const mismatches: Mismatch[] = [];
  let total = 0;
  checked.forEach(({ x, i }, k) => {
    const a = analytic[k]?.data() ?? new Float64Array(x.size);
    const aligned = sameShape(x.shape, out.shape);
    for (let j = 0; j < x.size; j++) {
      total++;
      const pos = storagePosition(x, j);
      const saved = x.storage[pos];
      x.storage[pos] = saved + s.eps;
      const plus = noGrad(() => dot(run(), v));
      x.storage[pos] = saved - s.eps;
      const minus = noGrad(() => dot(run(), v));
      x.storage[pos] = saved;
      const numeric = (plus - minus) / (2 * s.eps);
      const diff = Math.abs(a[j] - numeric);
      const tol = s.atol + s.rtol * Math.abs(numeric);
      if (!(diff <= tol)) {
        mismatches.push({ input: i, element: j, index: unravel(j, x.shape), x: saved, upstream: aligned ? v[j] : null, analytic: a[j], numeric, excess: diff - tol });
      }
    }
  });
  mismatches.sort((p, q) => (Number.isNaN(q.excess) ? 1 : Number.isNaN(p.excess) ? -1 : q.excess - p.excess));
  return { mismatches, total, out };
}

/** A number with 6 significant digits, trailing zeros dropped: 0.212212, 1.5e-7. */
export function sig(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
}

/** |analytic − numeric| and that over |numeric|, as shown in reports. */
export function errors(m: Mismatch): string {
  const abs = Math.abs(m.analytic - m.numeric);
  return `abs err ${sig(abs)}, rel err ${sig(abs / Math.max(Math.abs(m.numeric), Number.MIN_VALUE))}`;
}
