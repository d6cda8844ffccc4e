/**
 * One run of backprop as the page shows it, without the DOM: the graph's picture and data
 * (`viz.graphToSvg`, `viz.graphToJSON`), which picture node is which tensor, and
 * `backwardSteps(root)` taken one step at a time, each step described by node ids and numbers.
 * The page (main.ts) only draws what this says; the tests drive it in Node as well.
 */
import { backwardSteps, viz, type BackwardStep, type Tensor } from 'tsgrad';

/** What one step did to one node of the picture. */
export interface NodeChange {
  /** The picture's node id (`t0` is the root). */
  id: string;
  /** The gradient this step sent it. */
  sent: number[];
  /** Its gradient so far, after the step. */
  total: number[];
  /** This step added onto a gradient it had already received. */
  accumulated: boolean;
  /** Several edges reach it: its gradient is a sum. */
  shared: boolean;
  /** How many more gradients it waits for (0: complete). */
  pending: number;
}

/** One step, as the page shows it. */
export interface StepView {
  /** The step's number, from 0. */
  index: number;
  /** The node whose turn it is: its gradient is complete. */
  id: string;
  /** The op whose backward ran (e.g. `MulBackward`), or null for a leaf (its gradient is stored in `.grad`). */
  op: string | null;
  /** The node's (complete) gradient, the upstream gradient of its op. */
  grad: number[];
  /** What the step sent to each input node that takes a gradient. */
  changes: NodeChange[];
}

/** The numbers of a tensor, as plain numbers. */
export function numbers(t: Tensor): number[] {
  return Array.from(t.toTypedArray() as ArrayLike<number>);
}

/** A short text for numbers: `3`, `-0.4621`, `[0.1, -2, 3]`, `[0.1, 0.2, … (12)]`. */
export function formatNumbers(values: readonly number[], shape: readonly number[] = values.length === 1 ? [] : [values.length]): string {
  const short = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));
  if (shape.length === 0) return short(values[0]);
  if (values.length <= 4) return `[${values.map(short).join(', ')}]`;
  return `[${values.slice(0, 3).map(short).join(', ')}, … (${values.length})]`;
}

/** A graph to step through: build it with the forward pass, then call `step()` until it returns null. */
export class BackpropSession {
  /** The picture (standalone SVG, values and grads shown; the grads before backward are `—`). */
  readonly svg: string;
  /** The graph as data: node ids, kinds, ops, names, shapes; edges with input numbers. */
  readonly graph: viz.GraphData;
  private readonly tensors = new Map<string, Tensor>();
  private readonly ids = new Map<Tensor, string>();
  private readonly steps: Iterator<BackwardStep>;
  private finished = false;
  private taken = 0;

  /**
   * @param root The graph's output (a scalar, or pass `grad`).
   * @param names Names to show, e.g. the inputs `{ a, b }` and sub-expressions.
   */
  constructor(
    readonly root: Tensor,
    names: viz.TensorNames,
  ) {
    this.svg = viz.graphToSvg(root, { names, values: true, grads: true });
    this.graph = viz.graphToJSON(root, { names });
    this.matchTensors();
    this.steps = backwardSteps(root)[Symbol.iterator]();
  }

  /**
   * Which tensor each node of the picture is: the root is `t0`, and an edge `from → to` with
   * input number i is argument i of the op that computed `to` — `to.gradFn.inputVersion(i)`
   * (null for a constant, which never takes a gradient).
   */
  private matchTensors(): void {
    const rootId = this.graph.nodes[0].id;
    this.tensors.set(rootId, this.root);
    this.ids.set(this.root, rootId);
    const queue = [rootId];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      const node = this.tensors.get(id)?.gradFn ?? null;
      if (node === null) continue;
      for (const edge of this.graph.edges) {
        if (edge.to !== id || this.tensors.has(edge.from)) continue;
        const input = node.inputVersion(edge.input);
        if (input === null) continue;
        this.tensors.set(edge.from, input);
        this.ids.set(input, edge.from);
        queue.push(edge.from);
      }
    }
  }

  /** The tensor drawn as node `id` (undefined for a constant). */
  tensorOf(id: string): Tensor | undefined {
    return this.tensors.get(id);
  }

  /** The node id of a tensor of the graph. */
  idOf(t: Tensor): string | undefined {
    return this.ids.get(t);
  }

  /** True once every step was taken (at once after the last one: each node of the picture that takes a gradient has one step). */
  get done(): boolean {
    return this.finished;
  }

  /** Takes the next step of backward and describes it; null when backward is over. */
  step(): StepView | null {
    if (this.finished) return null;
    const next = this.steps.next();
    if (next.done === true) {
      this.finished = true;
      return null;
    }
    const s = next.value;
    const changes: NodeChange[] = [];
    for (const input of s.inputs) {
      const id = input.tensor === null ? undefined : this.ids.get(input.tensor);
      if (id === undefined || input.grad === null || input.total === null) continue;
      changes.push({
        id,
        sent: numbers(input.grad),
        total: numbers(input.total),
        accumulated: input.accumulated,
        shared: input.shared,
        pending: input.pending,
      });
    }
    if (++this.taken === this.tensors.size) {
      // Every tensor has had its step: end the walk now (it frees the graph, as backward() does).
      this.steps.return?.();
      this.finished = true;
    }
    return { index: s.index, id: this.ids.get(s.tensor) ?? '?', op: s.node?.name ?? null, grad: numbers(s.grad), changes };
  }
}
