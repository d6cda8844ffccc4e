/**
 * gradcheck's node-by-node report: when a function's gradients are wrong, which Function is to
 * blame? Each op call is recorded with the arguments it actually got (observeApplies), then
 * checked alone: its backward against finite differences of its own forward at those arguments.
 * A Function whose local gradient is wrong is named with x, the upstream value, analytic and
 * numeric values for its worst elements.
 */
import { isFloating } from '../kernels/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { observeApplies, type Function } from './function.js';
import { compareGradients, errors, sig, type CheckSettings, type Mismatch } from './gradcheck-compare.js';

/** One recorded op call: the op class, its arguments (tensors copied as they were read), which need a gradient. */
interface RecordedCall {
  op: typeof Function;
  args: unknown[];
  needsGrad: boolean[];
}

/** A copy of t's values that shares nothing with it (floats in float64), made without ops so the trace stays quiet. */
function snapshot(t: Tensor): Tensor {
  const data = t.data();
  if (isFloating(t.dtype)) return new Tensor(Float64Array.from(data as ArrayLike<number>), t.shape, { dtype: 'float64' });
  return new Tensor(data.slice(), t.shape, { dtype: t.dtype });
}

/** The differentiable op calls `fn(...inputs)` makes, outermost ones only, with their arguments as read. */
function recordCalls(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[]): RecordedCall[] {
  const calls: RecordedCall[] = [];
  observeApplies(
    (call) => {
      if (call.ctx === null || !call.ctx.needsInputGrad.some(Boolean) || !('apply' in call.op)) return;
      const args = call.args.map((a) => (a instanceof Tensor ? snapshot(a) : a));
      calls.push({ op: call.op as typeof Function, args, needsGrad: call.ctx.needsInputGrad.slice() });
    },
    () => fn(...inputs),
  );
  return calls;
}

/** The mismatches of one call checked alone; null when it cannot be rerun on its own. */
function checkCall(call: RecordedCall, s: CheckSettings): Mismatch[] | null {
  const args = call.args.map((a, i) => (a instanceof Tensor && call.needsGrad[i] && isFloating(a.dtype) ? snapshot(a).requiresGrad_(true) : a));
  const checked = args.flatMap((x, i) => (x instanceof Tensor && x.requiresGrad ? [{ x, i }] : []));
  const apply = call.op.apply as (this: typeof Function, ...rest: unknown[]) => Tensor;
  try {
    return compareGradients(() => apply.call(call.op, ...args), checked, s).mismatches;
  } catch {
    return null;
  }
}

/** One report line for a local mismatch: x, upstream, analytic, numeric and errors. */
function localLine(m: Mismatch, s: CheckSettings): string {
  const upstream = m.upstream === null ? `upstream ${s.upstream} (output shape differs)` : `upstream ${sig(m.upstream)}`;
  const derivative = m.upstream !== null && s.upstream === 'ones' ? ' (= f′(x))' : '';
  return `  input ${m.input} at [${m.index.join(',')}]: x ${sig(m.x)}, ${upstream}, analytic ${sig(m.analytic)}${derivative}, numeric ${sig(m.numeric)}, ${errors(m)}`;
}

/**
 * The node-by-node part of a gradcheck failure report: the Functions of `fn` whose local
 * gradients are wrong (at most 3, each with its 3 worst elements), or a line saying every
 * Function passed alone.
 */
export function localReport(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], s: CheckSettings): string {
  let calls: RecordedCall[];
  try {
    calls = recordCalls(fn, inputs);
  } catch {
    return 'Node by node: the function could not be traced again, so no single Function is named.';
  }
  const blamed: string[] = [];
  const seen = new Set<string>();
  let wrong = 0;
  for (const call of calls) {
    const mismatches = checkCall(call, s);
    if (mismatches === null || mismatches.length === 0) continue;
    wrong++;
    const key = call.op.name;
    if (seen.has(key) || seen.size >= 3) continue;
    seen.add(key);
    blamed.push(
      `${call.op.name}Backward is wrong: ${call.op.name}.backward disagrees with finite differences of ${call.op.name}.forward at the inputs it saw ` +
        `(${mismatches.length} element${mismatches.length > 1 ? 's' : ''}; worst):`,
      ...mismatches.slice(0, 3).map((m) => localLine(m, s)),
    );
  }
  if (wrong === 0) {
    return `Node by node: each of the ${calls.length} Function call${calls.length === 1 ? '' : 's'} passes alone, so the mismatch comes from how fn combines them (a value read outside the graph, .data() or detach, or randomness).`;
  }
  return blamed.join('\n');
}
