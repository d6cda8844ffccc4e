/**
 * Batch norm in eval mode is written in tsgrad with plain ops (functional/batch-norm.ts):
 *   y = (x − mean.reshape(P)) · rsqrt(var.reshape(P) + ε) [· weight.reshape(P)] [+ bias.reshape(P)]
 * with P = [1, C, 1, …] and mean, var, weight, bias the layer's buffers and parameters. This pass
 * finds that pattern among the traced calls and replaces it with one `BatchNormEval` call, which
 * becomes ONNX's BatchNormalization. A step is taken into the pattern only when its output is
 * used by the next step alone, so no value another op reads disappears.
 */
import type { AppliedOp } from '../autograd/function.js';
import { Tensor } from '../tensor/tensor.js';
import type { CallPair } from './trace.js';

/** The name of the fused call's op. */
export const batchNormEvalOp = { name: 'BatchNormEval' } as const;

/**
 * The calls with each eval-mode batch-norm pattern fused into one call whose arguments are
 * [x, mean, var, weight | null, bias | null, ε].
 */
export function fuseBatchNorm(calls: readonly CallPair[], outputs: readonly Tensor[], isState: (t: Tensor) => boolean): CallPair[] {
  const madeBy = new Map<Tensor, CallPair>();
  const readers = new Map<Tensor, CallPair[]>();
  for (const pair of calls) {
    madeBy.set(pair.first.output, pair);
    for (const a of pair.first.args) if (a instanceof Tensor) readers.set(a, [...(readers.get(a) ?? []), pair]);
  }
  const outputSet = new Set(outputs);
  /** Read by exactly one call and not a graph output. */
  const readOnce = (t: Tensor): boolean => readers.get(t)?.length === 1 && !outputSet.has(t);

  /** The call named `name` that made `t`, when `t` is read by one call only (the pattern's next step). */
  const producer = (t: unknown, name: string): CallPair | null => {
    if (!(t instanceof Tensor) || !readOnce(t)) return null;
    const pair = madeBy.get(t);
    return pair !== undefined && pair.first.op.name === name ? pair : null;
  };
  /** The one call named `name` that reads `t` as its first argument. */
  const consumer = (t: Tensor, name: string): CallPair | null => {
    if (!readOnce(t)) return null;
    const pair = (readers.get(t) as CallPair[])[0];
    return pair.first.op.name === name && pair.first.args[0] === t ? pair : null;
  };
  /** The 1-d state tensor (buffer or parameter) that `t` reshapes, with that Reshape call. */
  const reshapedState = (t: unknown): { pair: CallPair; state: Tensor } | null => {
    const pair = producer(t, 'Reshape');
    const source = pair?.first.args[0];
    return pair && source instanceof Tensor && isState(source) && source.ndim === 1 ? { pair, state: source } : null;
  };

  const absorbed = new Set<CallPair>();
  const fused = new Map<CallPair, CallPair>();
  for (const mul of calls) {
    if (mul.first.op.name !== 'Mul' || absorbed.has(mul)) continue;
    const sub = producer(mul.first.args[0], 'Sub');
    const mean = sub && reshapedState(sub.first.args[1]);
    const rsqrt = producer(mul.first.args[1], 'Rsqrt');
    const add = rsqrt && producer(rsqrt.first.args[0], 'Add');
    const variance = add && reshapedState(add.first.args[0]);
    const eps = add?.first.args[1];
    if (!sub || !mean || !rsqrt || !add || !variance || !(eps instanceof Tensor) || eps.ndim !== 0 || madeBy.has(eps)) continue;
    const parts = [mean.pair, sub, variance.pair, add, rsqrt, mul];
    let last = mul;
    let weight: Tensor | null = null;
    let bias: Tensor | null = null;
    const scale = consumer(last.first.output, 'Mul');
    const scaleBy = scale && reshapedState(scale.first.args[1]);
    if (scale && scaleBy) {
      weight = scaleBy.state;
      parts.push(scaleBy.pair, scale);
      last = scale;
    }
    const shift = consumer(last.first.output, 'Add');
    const shiftBy = shift && reshapedState(shift.first.args[1]);
    if (shift && shiftBy) {
      bias = shiftBy.state;
      parts.push(shiftBy.pair, shift);
      last = shift;
    }
    const build = (side: 'first' | 'second'): AppliedOp => ({
      op: batchNormEvalOp,
      args: [sub[side].args[0], mean.state, variance.state, weight, bias, eps.item()],
      output: last[side].output,
      ctx: null,
    });
    for (const p of parts) absorbed.add(p);
    fused.set(last, { first: build('first'), second: build('second') });
  }
  return calls.flatMap((pair) => (fused.has(pair) ? [fused.get(pair) as CallPair] : absorbed.has(pair) ? [] : [pair]));
}
