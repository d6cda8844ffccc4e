/**
 * Printing the autograd graph, for learners and for debugging: `graphToDot` gives Graphviz DOT
 * (`dot -Tpng`), `formatGraph` an indented text tree. Both walk the graph iteratively, so deep
 * graphs (long RNN unrolls) cannot overflow the stack.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../options.js';

/** Names to show for known tensors, e.g. `model.namedParameters()` or `{ x, w }`. */
export type TensorNames = Iterable<[string, Tensor]> | Record<string, Tensor>;

function nameMap(names: TensorNames | undefined): Map<Tensor, string> {
  const map = new Map<Tensor, string>();
  if (!names) return map;
  const entries = Symbol.iterator in names ? (names as Iterable<[string, Tensor]>) : Object.entries(names);
  for (const [name, t] of entries) map.set(t, name);
  return map;
}

/**
 * The tensors t's op read, each as the version it read (an input changed in place since then
 * is shown as it was, with the gradFn it had).
 */
function inputsOf(t: Tensor): Tensor[] {
  const node = t.gradFn;
  if (node === null) return [];
  return node.inputs.map((_, i) => node.inputVersion(i)).filter((x): x is Tensor => x !== null);
}

function describe(t: Tensor, names: Map<Tensor, string>): string {
  const shape = `[${t.shape.join(', ')}]`;
  const name = names.get(t);
  if (t.gradFn) return `${t.gradFn.name} → ${shape}${name ? ` ${name}` : ''}`;
  return `${name ?? 'leaf'} ${shape} ${t.dtype}${t.requiresGrad ? ' requiresGrad' : ''}`;
}

/** The graph that computed `root`, as Graphviz DOT: ops as boxes, leaves as ellipses, edges input → op. */
export function graphToDot(root: Tensor, opts: { names?: TensorNames } = {}): string {
  checkOptions('graphToDot', opts, ['names']);
  const names = nameMap(opts.names);
  const ids = new Map<Tensor, string>();
  const lines = ['digraph autograd {', '  rankdir=BT;', '  node [fontname="Helvetica", fontsize=10];'];
  const stack: Tensor[] = [root];
  const idOf = (t: Tensor) => {
    let id = ids.get(t);
    if (!id) {
      id = `t${ids.size}`;
      ids.set(t, id);
    }
    return id;
  };
  const seen = new Set<Tensor>();
  while (stack.length > 0) {
    const t = stack.pop() as Tensor;
    if (seen.has(t)) continue;
    seen.add(t);
    const shape = t.gradFn ? 'box' : 'ellipse';
    const label = describe(t, names).replace(/"/g, '\\"');
    lines.push(`  ${idOf(t)} [shape=${shape}, label="${label}"];`);
    for (const input of inputsOf(t)) {
      lines.push(`  ${idOf(input)} -> ${idOf(t)};`);
      stack.push(input);
    }
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * The graph as an indented tree, root first. A tensor reached a second time is marked
 * `(see above)` instead of being expanded again; `maxDepth` cuts very deep graphs.
 */
export function formatGraph(root: Tensor, opts: { names?: TensorNames; maxDepth?: number } = {}): string {
  checkOptions('formatGraph', opts, ['names', 'maxDepth']);
  const names = nameMap(opts.names);
  const maxDepth = opts.maxDepth ?? 50;
  const lines: string[] = [];
  const shown = new Set<Tensor>();
  const stack: { t: Tensor; prefix: string; last: boolean; depth: number }[] = [{ t: root, prefix: '', last: true, depth: 0 }];
  while (stack.length > 0) {
    const { t, prefix, last, depth } = stack.pop() as (typeof stack)[number];
    const branch = depth === 0 ? '' : last ? '└─ ' : '├─ ';
    const repeated = shown.has(t);
    lines.push(`${prefix}${branch}${describe(t, names)}${repeated && t.gradFn ? ' (see above)' : ''}`);
    if (repeated) continue;
    shown.add(t);
    const inputs = inputsOf(t);
    if (inputs.length === 0) continue;
    const childPrefix = depth === 0 ? '' : prefix + (last ? '   ' : '│  ');
    if (depth + 1 > maxDepth) {
      lines.push(`${childPrefix}└─ … (${inputs.length} more input${inputs.length > 1 ? 's' : ''}, cut at depth ${maxDepth})`);
      continue;
    }
    for (let i = inputs.length - 1; i >= 0; i--) {
      stack.push({ t: inputs[i], prefix: childPrefix, last: i === inputs.length - 1, depth: depth + 1 });
    }
  }
  return lines.join('\n');
}
