/**
 * The autograd graph below a tensor as plain data, shared by the DOT, JSON and SVG pictures:
 * one node per tensor (an op's output, a leaf that requires grad, or a constant input that needs
 * no gradient), one edge per input an op read. The walk is iterative, so deep graphs (long RNN
 * unrolls) cannot overflow the stack.
 */
import { Tensor } from '../tensor/tensor.js';

/** Names to show for known tensors, e.g. `model.namedParameters()` or `{ x, w }`. */
export type TensorNames = Iterable<[string, Tensor]> | Record<string, Tensor>;

/** One tensor of the graph. */
export interface GraphNode {
  /** `t0` for the root, then in the order the walk meets them. */
  id: string;
  /** `op`: computed by an op; `leaf`: a leaf that requires grad; `constant`: an input that needs no gradient. */
  kind: 'op' | 'leaf' | 'constant';
  /** The node's op, e.g. `MulBackward` (null for leaves and constants). */
  op: string | null;
  /** The name given in `names`, if any. */
  name: string | null;
  /** The tensor's shape. */
  shape: number[];
  /** The tensor's dtype, e.g. `float32`. */
  dtype: string;
  /** A short summary of the values: `[1, 2, 3]`, or the first ones and the count. */
  value: string;
  /** A summary of `.grad` (null when it has none: before backward, or a non-leaf without retainGrad). */
  grad: string | null;
}

/** `from` is read by `to` as its forward argument number `input`. */
export interface GraphEdge {
  /** The id of the input tensor. */
  from: string;
  /** The id of the op's output tensor. */
  to: string;
  /** Which forward argument of the op `from` is (0 for the first). */
  input: number;
}

/** The graph as data: nodes (root first) and edges. */
export interface GraphData {
  /** One per tensor, the root first. */
  nodes: GraphNode[];
  /** One per input an op read. */
  edges: GraphEdge[];
}

/** The names of `names` by tensor. */
export function nameMap(names: TensorNames | undefined): Map<Tensor, string> {
  const map = new Map<Tensor, string>();
  if (!names) return map;
  const entries = Symbol.iterator in names ? (names as Iterable<[string, Tensor]>) : Object.entries(names);
  for (const [name, t] of entries) map.set(t, name);
  return map;
}

/**
 * The tensors t's op read, with their argument numbers: each input that receives a gradient as
 * the version it read (an input changed in place since then is shown as it was), and each
 * constant input.
 */
export function inputsOf(t: Tensor): { tensor: Tensor; input: number }[] {
  const node = t.gradFn;
  if (node === null) return [];
  const out: { tensor: Tensor; input: number }[] = [];
  node.inputs.forEach((_, i) => {
    const arg = node.args[i];
    const tensor = node.inputVersion(i) ?? (node.inputs[i] === null && arg instanceof Tensor ? arg : null);
    if (tensor !== null) out.push({ tensor, input: i });
  });
  return out;
}

/** A number with 4 significant digits: 0.3333, 1.5e-7, 12. */
export function short(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/** The values of t in one short line: `3`, `[1, 2, 3]`, or `[0.1, 0.2, 0.3, 0.4, … (12 values)]`. */
export function summarize(t: Tensor): string {
  const data = t.data();
  const values = Array.from(data.subarray(0, Math.min(data.length, 6)) as ArrayLike<number | bigint>, (v) => (typeof v === 'number' ? short(v) : String(v)));
  if (t.shape.length === 0) return values[0];
  if (data.length <= 6) return `[${values.join(', ')}]`;
  return `[${values.slice(0, 4).join(', ')}, … (${data.length} values)]`;
}

/** The graph that computed `root`, as nodes and edges; ids number the tensors in depth-first order, inputs left to right. */
export function collectGraph(root: Tensor, names: Map<Tensor, string>): GraphData {
  const order: Tensor[] = [];
  const ids = new Map<Tensor, string>();
  const stack: Tensor[] = [root];
  while (stack.length > 0) {
    const t = stack.pop() as Tensor;
    if (ids.has(t)) continue;
    ids.set(t, `t${order.length}`);
    order.push(t);
    const inputs = inputsOf(t);
    // Pushed in reverse, so inputs are visited (and numbered) left to right.
    for (let k = inputs.length - 1; k >= 0; k--) stack.push(inputs[k].tensor);
  }
  const idOf = (t: Tensor) => ids.get(t) as string;
  const nodes: GraphNode[] = order.map((t) => ({
    id: idOf(t),
    kind: t.gradFn ? 'op' : t.requiresGrad ? 'leaf' : 'constant',
    op: t.gradFn?.name ?? null,
    name: names.get(t) ?? null,
    shape: t.shape.slice(),
    dtype: t.dtype,
    value: summarize(t),
    grad: t.grad ? summarize(t.grad) : null,
  }));
  const edges = order.flatMap((t) => inputsOf(t).map(({ tensor, input }) => ({ from: idOf(tensor), to: idOf(t), input })));
  return { nodes, edges };
}

/** The title line of a node: the op (and name), or the name of a leaf (`leaf`/`const` without one). */
export function titleOf(n: GraphNode): string {
  if (n.op !== null) return n.name ? `${n.op} ${n.name}` : n.op;
  return n.name ?? (n.kind === 'leaf' ? 'leaf' : 'const');
}
