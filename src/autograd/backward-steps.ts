/**
 * `backwardSteps(root)`: `root.backward()` one step at a time, for a learner (or a page) to watch
 * the chain rule work. Each step is one tensor's turn in the engine's walk — the same
 * `backwardStep` that `backward()` loops over (engine.ts), not a copy of it — so stepping to the
 * end leaves exactly the `.grad` values `backward()` would, and frees the graph as it does.
 */
import { Tensor } from '../tensor/tensor.js';
import type { Node } from '../tensor/graph-node.js';
import { assertDifferentiable, backwardStep, finishBackward, startBackward, upstream, type BackwardWalk, type SentGradient } from './engine.js';
import { withGradMode } from './grad-mode.js';
import { refreshViewHistory } from './view-history.js';

/** What one step of backward did for one forward argument of its node. */
export interface BackwardStepInput {
  /** The tensor that receives this argument's gradient (the version the op read); null for an argument that needs none. */
  readonly tensor: Tensor | null;
  /** The gradient this step sent it, ∂root/∂output · ∂output/∂input summed to its shape; null when none was sent. */
  readonly grad: Tensor | null;
  /** Its gradient so far, after this step: the sum of everything the steps up to this one sent it. */
  readonly total: Tensor | null;
  /** More than one edge of the graph reaches it (several ops read it, or this op reads it twice): its gradient is a sum. */
  readonly shared: boolean;
  /** This step added onto a gradient it had already received, from an earlier step or an earlier argument of this one. */
  readonly accumulated: boolean;
  /** How many edges of the graph may still send it a gradient after this step (0: its gradient is complete). Like `total`, read after the whole step. */
  readonly pending: number;
}

/** One step of backward: a tensor whose gradient is complete, and what its node sent to each input. */
export interface BackwardStep {
  /** The step's number, 0 for the root. */
  readonly index: number;
  /** The tensor whose turn it is: every tensor computed from it has had its turn, so its gradient is complete. */
  readonly tensor: Tensor;
  /** The node that computed `tensor`, whose backward ran in this step; null for a leaf, whose step stores its gradient in `.grad`. */
  readonly node: Node | null;
  /** The upstream gradient ∂root/∂tensor (after the tensor's hooks), the one its node's backward was given. */
  readonly grad: Tensor;
  /** One entry per forward argument of `node`, in order (empty for a leaf). */
  readonly inputs: readonly BackwardStepInput[];
}

/**
 * The steps of `root.backward(grad)`, one per tensor that a gradient reaches, in the engine's
 * order (reverse topological: the root first, each tensor after everything computed from it).
 * Taking a step runs it: the tensor's hooks, its `.grad` if it is a leaf, its node's backward, and
 * the sums into its inputs' gradients — as `backward()` does, on the same code. After the last
 * step (or when a loop over it stops early) the graph's saved tensors are freed, as after
 * `backward()`. The root and `grad` are checked when it is called, as `backward()` checks them.
 * The steps can be iterated once.
 *
 * @example for (const s of backwardSteps(a.mul(b).add(c))) console.log(s.node?.name ?? 'leaf', s.grad.item())
 */
export function backwardSteps(root: Tensor, grad?: Tensor): Iterable<BackwardStep> {
  if (grad !== undefined && grad !== null && !(grad instanceof Tensor)) {
    throw new TypeError('backwardSteps: the second argument is the upstream gradient (a Tensor)');
  }
  refreshViewHistory(root);
  assertDifferentiable(root, 'backwardSteps');
  const walk = startBackward([root], upstream([root], grad ? [grad] : undefined, 'backwardSteps'), { retainGraph: false, createGraph: false });
  return steps(walk);
}

/** How many edges of the graph reach each tensor (the gradients it will be sent). */
function edgeCounts(order: readonly Tensor[]): Map<Tensor, number> {
  const counts = new Map<Tensor, number>();
  for (const t of order) {
    const node = t.gradFn;
    if (node === null) continue;
    for (let i = 0; i < node.inputs.length; i++) {
      const input = node.inputVersion(i);
      if (input !== null) counts.set(input, (counts.get(input) ?? 0) + 1);
    }
  }
  return counts;
}

function* steps(walk: BackwardWalk): Generator<BackwardStep, void, undefined> {
  const edges = edgeCounts(walk.order);
  const received = new Map<Tensor, number>();
  let index = 0;
  try {
    for (const t of walk.order) {
      const sent: (SentGradient | null)[] = [];
      // Grad mode is the walk's (off: no graph of the backward) during the step only, not
      // while the caller looks at it between steps.
      const g = withGradMode(walk.options.createGraph, () => backwardStep(walk, t, sent));
      if (g === undefined) continue;
      const node = t.gradFn;
      const receivers = (node?.inputs ?? []).map((_, i) => node?.inputVersion(i) ?? null);
      for (const input of receivers) if (input !== null) received.set(input, (received.get(input) ?? 0) + 1);
      const inputs = receivers.map((input, i): BackwardStepInput => {
        const edgeCount = input === null ? 0 : (edges.get(input) ?? 0);
        return {
          tensor: input,
          grad: sent[i]?.grad ?? null,
          total: input === null ? null : (walk.totals.get(input) ?? null),
          shared: edgeCount > 1,
          accumulated: sent[i]?.accumulated ?? false,
          pending: input === null ? 0 : edgeCount - (received.get(input) ?? 0),
        };
      });
      yield { index: index++, tensor: t, node, grad: g, inputs };
    }
  } finally {
    finishBackward(walk);
  }
}
