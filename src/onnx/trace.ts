/**
 * Tracing: one forward pass with the tracing hook on (`observeApplies`), so every op the model
 * runs is kept with all of its arguments — the autograd graph's nodes keep only the inputs that
 * need a gradient, while the exporter needs every argument (index tensors, shapes, dims).
 * The ops are then walked back from the outputs, as backward walks the graph, into the order
 * they ran.
 */
import { OnnxExportError } from './errors.js';
import { observeApplies, type AppliedOp } from '../autograd/function.js';
import { Tensor } from '../tensor/tensor.js';

/** Something with a forward over tensors: a Module, or any object shaped like one. */
export interface Traceable {
  /**
   * The computation to export: called with the sample inputs (tensors), it returns a tensor or
   * a (nested) array of tensors. Other parameters (an LSTM's optional state) keep their defaults
   * unless a sample input fills them.
   */
  forward(...inputs: never[]): unknown;
}

/** One traced forward pass: its outputs, flattened, and the op that made each tensor. */
export interface Trace {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly madeBy: ReadonlyMap<Tensor, AppliedOp>;
}

/** The tensors of a forward's result, depth first (a tensor, or arrays of them such as LSTM's [out, [h, c]]). */
function flattenOutputs(result: unknown, out: Tensor[] = []): Tensor[] {
  if (result instanceof Tensor) out.push(result);
  else if (Array.isArray(result)) for (const r of result) flattenOutputs(r, out);
  else throw new TypeError(`exportOnnx: forward must return a tensor or an array of tensors, got ${result === null ? 'null' : typeof result}`);
  return out;
}

/**
 * Runs `model.forward(...inputs)` once, recording every op call. The trace names values by
 * tensor, so a tensor changed in place after an op read or made it would stand for two values;
 * such a forward is refused (each tensor's version must stay what it was when first seen).
 */
export function traceForward(model: Traceable, inputs: readonly Tensor[]): Trace {
  const madeBy = new Map<Tensor, AppliedOp>();
  const firstVersion = new Map<Tensor, number>();
  let changed: Tensor | null = null;
  const see = (t: Tensor): void => {
    const before = firstVersion.get(t);
    if (before === undefined) firstVersion.set(t, t.version.value);
    else if (before !== t.version.value) changed ??= t;
  };
  const result = observeApplies((call) => {
    for (const a of call.args) if (a instanceof Tensor) see(a);
    see(call.output);
    madeBy.set(call.output, call);
  }, () => (model.forward as (...xs: readonly Tensor[]) => unknown).call(model, ...inputs));
  for (const t of firstVersion.keys()) see(t);
  if (changed !== null) {
    throw new OnnxExportError(`exportOnnx: forward changes a tensor of shape [${(changed as Tensor).shape.join(', ')}] in place after an op read or made it; in-place ops (relu_, add_, maskedFill_, …) cannot be exported — use their out-of-place forms (a layer updating running statistics in training mode does this too: call model.eval())`);
  }
  return { inputs, outputs: flattenOutputs(result), madeBy };
}

/** A tensor of the first trace with its counterpart in the second (itself when there is one trace). */
export interface TensorPair {
  readonly first: Tensor;
  readonly second: Tensor;
}

/** An op call of the first trace with the same call in the second. */
export interface CallPair {
  readonly first: AppliedOp;
  readonly second: AppliedOp;
}

/** What the walk found: the op calls in the order they ran, and the tensors no op made (leaves). */
export interface WalkedGraph {
  readonly calls: readonly CallPair[];
  readonly leaves: readonly TensorPair[];
}

function sameCall(a: AppliedOp, b: AppliedOp): boolean {
  if (a.op.name !== b.op.name || a.args.length !== b.args.length) return false;
  return a.args.every((x, i) => (x instanceof Tensor) === (b.args[i] instanceof Tensor));
}

/**
 * Walks both traces back from their outputs together (iteratively, so long unrolled graphs
 * cannot overflow the stack), pairing each op call with its counterpart. The two passes ran the
 * same model on inputs of different batch sizes; a model whose ops change with the batch size
 * cannot be exported with a dynamic axis, and is refused.
 */
export function walkTraces(first: Trace, second: Trace): WalkedGraph {
  const calls: CallPair[] = [];
  const leaves: TensorPair[] = [];
  const done = new Set<Tensor>();
  const stack: { pair: TensorPair; expanded: boolean }[] = first.outputs
    .map((t, i) => ({ pair: { first: t, second: second.outputs[i] }, expanded: false }))
    .reverse();
  while (stack.length > 0) {
    const { pair, expanded } = stack.pop() as (typeof stack)[number];
    if (done.has(pair.first)) continue;
    const call = first.madeBy.get(pair.first);
    if (call === undefined) {
      done.add(pair.first);
      leaves.push(pair);
      continue;
    }
    const other = second.madeBy.get(pair.second);
    if (other === undefined || !sameCall(call, other)) {
      throw new OnnxExportError(`exportOnnx: the model runs different ops for another batch size (${call.op.name} at one size, ${other ? other.op.name : 'no op'} at the other); it cannot be exported with a dynamic axis (pass dynamicAxes: {} for fixed shapes)`);
    }
    if (expanded) {
      done.add(pair.first);
      calls.push({ first: call, second: other });
      continue;
    }
    stack.push({ pair, expanded: true });
    for (let i = call.args.length - 1; i >= 0; i--) {
      const arg = call.args[i];
      if (arg instanceof Tensor && !done.has(arg)) stack.push({ pair: { first: arg, second: other.args[i] as Tensor }, expanded: false });
    }
  }
  return { calls, leaves };
}
