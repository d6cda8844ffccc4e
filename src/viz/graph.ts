/**
 * Printing the autograd graph, for learners and for debugging: `graphToDot` gives Graphviz DOT
 * (`dot -Tpng`), `graphToJSON` the graph as data, `formatGraph` an indented text tree (and
 * graph-svg.ts an SVG picture without Graphviz). Both walk the graph iteratively, so deep
 * graphs (long RNN unrolls) cannot overflow the stack.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, optionKeys } from '../options.js';
import { collectGraph, nameMap, titleOf, type GraphData, type GraphNode, type TensorNames } from './graph-model.js';

export type { GraphData, GraphEdge, GraphNode, TensorNames } from './graph-model.js';

/**
 * The tensors t's op read that receive gradients, each as the version it read (formatGraph's
 * tree keeps to the gradient's path; the pictures also draw constant inputs).
 */
function gradInputsOf(t: Tensor): Tensor[] {
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

/** What a picture of the graph shows besides ops and shapes. */
export interface GraphPictureOptions {
  /** Names for known tensors, e.g. `{ a, b, c }` or `model.namedParameters()`. */
  names?: TensorNames;
  /** Show each tensor's values (a short summary). */
  values?: boolean;
  /** Show each tensor's `.grad` (`grad —` where there is none yet, as before backward). */
  grads?: boolean;
}

/** Text of a DOT record field: the characters records treat specially are escaped. */
function recordText(text: string): string {
  return text.replace(/[\\{}|<>"]/g, (c) => `\\${c}`);
}

/** `[2, 3] float64`: the shape and dtype line of a node. */
function shapeLine(n: GraphNode): string {
  return `[${n.shape.join(', ')}] ${n.dtype}`;
}

/**
 * The graph that computed `root`, as Graphviz DOT (`dot -Tsvg`): ops as boxes, leaves that
 * require grad as ellipses, inputs that need no gradient in grey, edges input → op. With
 * `values` or `grads`, nodes are records `{ title | data … | grad … }` (`grad —` before backward).
 *
 * @example viz.graphToDot(a.mul(b).add(c), { names: { a, b, c }, values: true, grads: true })
 */
export function graphToDot(root: Tensor, opts: GraphPictureOptions = {}): string {
  checkOptions('graphToDot', opts, optionKeys<GraphPictureOptions>({ names: true, values: true, grads: true }));
  const names = nameMap(opts.names);
  const { nodes, edges } = collectGraph(root, names);
  const lines = ['digraph autograd {', '  rankdir=BT;', '  node [fontname="Helvetica", fontsize=10];'];
  const records = opts.values === true || opts.grads === true;
  for (const n of nodes) {
    const grey = n.kind === 'constant' ? ', color=gray50, fontcolor=gray50, style=filled, fillcolor=gray92' : '';
    if (records) {
      const fields = [`${titleOf(n)} ${shapeLine(n)}`];
      if (opts.values) fields.push(`data ${n.value}`);
      if (opts.grads) fields.push(`grad ${n.grad ?? '—'}`);
      lines.push(`  ${n.id} [shape=record, label="{${fields.map(recordText).join(' | ')}}"${grey}];`);
    } else {
      const shape = n.kind === 'op' ? 'box' : 'ellipse';
      const label = n.kind === 'op' ? `${n.op} → [${n.shape.join(', ')}]${n.name ? ` ${n.name}` : ''}` : `${titleOf(n)} ${shapeLine(n)}${n.kind === 'leaf' ? ' requiresGrad' : ''}`;
      lines.push(`  ${n.id} [shape=${shape}, label="${label.replace(/"/g, '\\"')}"${grey}];`);
    }
  }
  for (const e of edges) lines.push(`  ${e.from} -> ${e.to};`);
  lines.push('}');
  return lines.join('\n');
}

/**
 * The graph that computed `root` as data: nodes (id, kind, op, name, shape, dtype, value and
 * grad summaries) and edges (from, to, input number); `JSON.stringify` it for a web page.
 *
 * @example viz.graphToJSON(loss).nodes.map((n) => n.op ?? n.name)
 */
export function graphToJSON(root: Tensor, opts: { names?: TensorNames } = {}): GraphData {
  checkOptions('graphToJSON', opts, ['names']);
  return collectGraph(root, nameMap(opts.names));
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
    const inputs = gradInputsOf(t);
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
