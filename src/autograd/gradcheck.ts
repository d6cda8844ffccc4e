/**
 * gradcheck: compares the gradients backward computes with central finite differences
 * (gradcheck-compare.ts has the math).
 *
 * By default the upstream gradient v is random, not ones (as `out.sum()` would use): a backward
 * that ignores or misroutes its incoming gradient then fails. `{ upstream: 'ones' }` makes it all
 * ones, so for an elementwise f each analytic entry is f′(x) — the number a student derived.
 * gradcheck also checks that a zero upstream gradient gives zero input gradients. Inputs must be
 * float64: in float32 the rounding error of f(x ± ε) swamps the difference.
 *
 * On a mismatch the report goes node by node (gradcheck-local.ts) and names the Function whose
 * own backward disagrees with its own forward, with x, upstream, analytic, numeric and errors.
 */
import { AutogradError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { isFloating } from '../kernels/dtype.js';
import { grad } from './grad.js';
import type { Function, ForwardArgs } from './function.js';
import { checkOptions, optionKeys } from '../options.js';
import { compareGradients, errors, sig, type CheckSettings } from './gradcheck-compare.js';
import { localReport } from './gradcheck-local.js';

/** Tolerances and modes: an entry passes when |analytic − numeric| ≤ atol + rtol·|numeric|. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /**
   * The upstream gradient: `'random'` (default; catches a backward that ignores it) or `'ones'`
   * (an elementwise op's analytic gradient is then f′(x)).
   */
  upstream?: 'random' | 'ones';
  /**
   * Refuse a backward that returns an input's gradient in a larger, broadcast shape when that
   * input was not broadcast (default false: the engine sums such a gradient down silently, as
   * it does for inputs that were broadcast). Allowed shapes: the input's own, or the op's output
   * shape when the input was broadcast into it.
   */
  strictGradShapes?: boolean;
}

const OPTION_KEYS = optionKeys<GradcheckOptions>({ eps: true, atol: true, rtol: true, upstream: true, strictGradShapes: true });

function settingsOf(op: string, opts: GradcheckOptions): CheckSettings {
  checkOptions(op, opts, OPTION_KEYS);
  const upstream = opts.upstream ?? 'random';
  if (upstream !== 'random' && upstream !== 'ones') throw new TypeError(`${op}: upstream must be 'random' or 'ones', got ${String(upstream)}`);
  for (const key of ['eps', 'atol', 'rtol'] as const) {
    const value = opts[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
      throw new TypeError(`${op}: ${key} must be a finite number ≥ 0, got ${String(value)}`);
    }
  }
  if (opts.eps === 0) throw new TypeError(`${op}: eps must be positive, got 0`);
  return { eps: opts.eps ?? 1e-6, atol: opts.atol ?? 1e-5, rtol: opts.rtol ?? 1e-3, upstream, strictGradShapes: opts.strictGradShapes ?? false };
}

/**
 * Checks the gradients of `fn` at `inputs` against finite differences, for every element of
 * every input that requires grad. Returns true, or throws an AutogradError listing the worst
 * mismatching elements and then, checked node by node, the Function whose own backward is wrong
 * (x, upstream, analytic, numeric, absolute and relative error).
 *
 * @example gradcheck((x) => x.sin().mul(x), [tensor([0.5, 1], { dtype: 'float64', requiresGrad: true })], { upstream: 'ones' })
 */
export function gradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradcheckOptions = {}): true {
  const s = settingsOf('gradcheck', opts);
  const checked = inputs.map((x, i) => ({ x, i })).filter(({ x }) => x.requiresGrad);
  if (checked.length === 0) throw new AutogradError('gradcheck: no input requires grad; call requiresGrad_() on the inputs to check');
  for (const { x, i } of checked) {
    if (x.dtype !== 'float64') throw new DTypeError(`gradcheck: input ${i} is ${x.dtype}; use float64 inputs (x.double()) so finite differences are accurate`);
    // (An empty tensor may have zero strides without sharing anything, so it is not refused.)
    if (x.size > 0 && x.shape.some((d, k) => d > 1 && x.strides[k] === 0)) throw new ShapeError(`gradcheck: input ${i} (shape ${fmtShape(x.shape)}) is an expanded view whose elements share memory; pass x.clone()`);
  }

  const run = () => {
    const out = fn(...inputs);
    if (!(out instanceof Tensor)) throw new AutogradError('gradcheck: fn must return a Tensor');
    return out;
  };
  const { mismatches, total, out } = compareGradients(run, checked, s);

  if (mismatches.length > 0) {
    const lines = mismatches.slice(0, 5).map(
      (m) => `  input ${m.input}, element ${m.element} (index [${m.index.join(',')}]): analytic ${sig(m.analytic)}, numeric ${sig(m.numeric)} (x ${sig(m.x)}, ${errors(m)})`,
    );
    throw new AutogradError(
      `gradcheck: analytic and numeric gradients differ for ${mismatches.length} of ${total} elements ` +
        `(atol ${s.atol}, rtol ${s.rtol}, eps ${s.eps}, upstream ${s.upstream}); worst:\n${lines.join('\n')}\n${localReport(fn, inputs, s)}`,
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

/**
 * gradcheck of one Function alone: `Fn.apply(...inputs)` against finite differences of
 * `Fn.forward`. The inputs that require grad are checked; when none does, every float input is
 * (as a float64 copy that requires grad). A failure names `<Fn>Backward`.
 *
 * @example checkFunction(Softplus, [tensor([-1, 0.5, 2], { dtype: 'float64' })], { upstream: 'ones' })
 */
export function checkFunction<F extends typeof Function>(fn: F, inputs: Tensor[], opts: GradcheckOptions = {}): true {
  settingsOf('checkFunction', opts);
  if (typeof fn !== 'function' || typeof (fn as { apply?: unknown }).apply !== 'function') {
    throw new TypeError('checkFunction: expected a Function subclass (a class with static forward, backward and apply)');
  }
  const anyNeeds = inputs.some((x) => x.requiresGrad);
  const args = anyNeeds ? inputs : inputs.map((x) => (isFloating(x.dtype) ? x.detach().to('float64').clone().requiresGrad_(true) : x));
  const apply = fn.apply as (this: F, ...rest: ForwardArgs<F>) => Tensor;
  return gradcheck((...xs) => apply.call(fn, ...(xs as unknown as ForwardArgs<F>)), args, opts);
}
