/**
 * A picture of the autograd graph as SVG, laid out here in TypeScript — no Graphviz to install.
 *
 * Layout, as Graphviz's `dot` does it in outline (Sugiyama's method, simplified):
 *   1. layers by longest path from the root: layer(root) = 0, and an input sits one layer below
 *      the lowest op that reads it, so every edge points up, toward the root;
 *   2. order within each layer by barycenter: a node moves to the mean position of its
 *      neighbours in the layers around it, sweeping down then up a few times, which removes most
 *      crossings; an edge that spans several layers gets a waypoint in each layer between, ordered
 *      like a node, so it bends around the boxes instead of crossing them;
 *   3. boxes sized from their text, layers centred, arrows from each input to the op reading it.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, optionKeys } from '../options.js';
import { collectGraph, nameMap, titleOf, type GraphData, type GraphNode } from './graph-model.js';
import type { GraphPictureOptions } from './graph.js';

const CHAR_WIDTH = 7; // px per character of 12 px monospace text
const LINE_HEIGHT = 16;
const PAD = 8;
const GAP_X = 24;
const GAP_Y = 40;
const SWEEPS = 4;
const WAYPOINT_WIDTH = 8;

interface Box {
  node: GraphNode;
  lines: string[];
  width: number;
  height: number;
  x: number;
  y: number;
}

/** Longest-path layers from the root: edges go from a higher layer (input) to a lower one (op). */
function layers(graph: GraphData): Map<string, number> {
  const consumers = new Map<string, string[]>();
  const inputs = new Map<string, string[]>();
  for (const n of graph.nodes) {
    consumers.set(n.id, []);
    inputs.set(n.id, []);
  }
  for (const e of graph.edges) {
    consumers.get(e.from)?.push(e.to);
    inputs.get(e.to)?.push(e.from);
  }
  // Kahn's order from the root: a node once every op reading it has its layer.
  const waiting = new Map<string, number>();
  for (const n of graph.nodes) waiting.set(n.id, new Set(consumers.get(n.id)).size);
  const layer = new Map<string, number>([[graph.nodes[0].id, 0]]);
  const ready = [graph.nodes[0].id];
  while (ready.length > 0) {
    const id = ready.pop() as string;
    for (const input of new Set(inputs.get(id))) {
      layer.set(input, Math.max(layer.get(input) ?? 0, (layer.get(id) ?? 0) + 1));
      const left = (waiting.get(input) ?? 1) - 1;
      waiting.set(input, left);
      if (left === 0) ready.push(input);
    }
  }
  return layer;
}

/**
 * An edge spanning several layers runs through one waypoint per layer in between (a dummy node
 * of the ordering), so it is routed around the boxes instead of through them.
 */
interface Route {
  from: string;
  to: string;
  waypoints: string[];
}

function routes(graph: GraphData, layer: Map<string, number>): Route[] {
  return graph.edges.map((e, i) => {
    const top = layer.get(e.to) ?? 0;
    const bottom = layer.get(e.from) ?? 0;
    const waypoints: string[] = [];
    for (let k = bottom - 1; k > top; k--) {
      const id = `w${i}_${k}`;
      layer.set(id, k);
      waypoints.push(id);
    }
    return { from: e.from, to: e.to, waypoints };
  });
}

/** Each layer's ids (nodes and waypoints) in drawing order, crossings reduced by barycenter sweeps. */
function orderLayers(ids: readonly string[], layer: Map<string, number>, paths: readonly Route[]): string[][] {
  const rows: string[][] = [];
  for (const id of ids) {
    const k = layer.get(id) ?? 0;
    (rows[k] ??= []).push(id);
  }
  const neighbours = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const r of paths) {
    const chain = [r.from, ...r.waypoints, r.to];
    for (let i = 1; i < chain.length; i++) {
      neighbours.get(chain[i - 1])?.push(chain[i]);
      neighbours.get(chain[i])?.push(chain[i - 1]);
    }
  }
  const position = new Map<string, number>();
  const place = () => rows.forEach((row) => row.forEach((id, i) => position.set(id, (i + 0.5) / row.length)));
  place();
  const sweep = (k: number, towardRoot: boolean) => {
    const row = rows[k];
    const score = new Map<string, number>();
    row.forEach((id) => {
      const near = (neighbours.get(id) ?? []).filter((o) => ((layer.get(o) ?? 0) < k) !== towardRoot);
      score.set(id, near.length > 0 ? near.reduce((s, o) => s + (position.get(o) ?? 0), 0) / near.length : (position.get(id) ?? 0));
    });
    // A stable sort keeps the walk's order (inputs left to right) among equal scores.
    row.sort((p, q) => (score.get(p) ?? 0) - (score.get(q) ?? 0));
    row.forEach((id, i) => position.set(id, (i + 0.5) / row.length));
  };
  for (let s = 0; s < SWEEPS; s++) {
    for (let k = 1; k < rows.length; k++) sweep(k, false);
    for (let k = rows.length - 2; k >= 0; k--) sweep(k, true);
  }
  return rows;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

const STYLE: Record<GraphNode['kind'], { fill: string; stroke: string; text: string }> = {
  op: { fill: '#e8f0fe', stroke: '#3b6fd8', text: '#111111' },
  leaf: { fill: '#e9f7ec', stroke: '#2f8f46', text: '#111111' },
  constant: { fill: '#eeeeee', stroke: '#999999', text: '#777777' },
};

/**
 * The graph that computed `root` as a standalone SVG document: one box per tensor (ops blue,
 * leaves that require grad green, inputs that need no gradient grey) with its op or name, shape
 * and dtype, and with `values`/`grads` its data and `.grad` (`grad —` before backward); arrows go
 * from each input up to the op that read it, the root at the top.
 *
 * @example writeFileSync('graph.svg', viz.graphToSvg(loss, { names: { a, b, c }, values: true, grads: true }))
 */
export function graphToSvg(root: Tensor, opts: GraphPictureOptions = {}): string {
  checkOptions('graphToSvg', opts, optionKeys<GraphPictureOptions>({ names: true, values: true, grads: true }));
  const graph = collectGraph(root, nameMap(opts.names));
  const layer = layers(graph);
  const paths = routes(graph, layer);
  const waypointIds = paths.flatMap((r) => r.waypoints);
  const rows = orderLayers([...graph.nodes.map((n) => n.id), ...waypointIds], layer, paths);
  const boxes = new Map<string, Box>();
  for (const node of graph.nodes) {
    const lines = [titleOf(node), `[${node.shape.join(', ')}] ${node.dtype}`];
    if (opts.values) lines.push(`data ${node.value}`);
    if (opts.grads) lines.push(`grad ${node.grad ?? '—'}`);
    const width = Math.max(...lines.map((l) => l.length)) * CHAR_WIDTH + 2 * PAD;
    boxes.set(node.id, { node, lines, width, height: lines.length * LINE_HEIGHT + PAD, x: 0, y: 0 });
  }
  // A waypoint is a box with no text, as wide as a gap, so edges pass between the boxes.
  const waypoints = new Map<string, Box>(waypointIds.map((id) => [id, { node: graph.nodes[0], lines: [], width: WAYPOINT_WIDTH, height: 0, x: 0, y: 0 }]));
  const rowBoxes = rows.map((row) => row.map((id) => (boxes.get(id) ?? waypoints.get(id)) as Box));
  const rowWidth = (row: Box[]) => row.reduce((s, b) => s + b.width, 0) + GAP_X * (row.length - 1);
  const width = Math.max(...rowBoxes.map(rowWidth)) + 2 * PAD;
  let y = PAD;
  for (const row of rowBoxes) {
    let x = (width - rowWidth(row)) / 2;
    const rowHeight = Math.max(...row.map((b) => b.height));
    for (const b of row) {
      b.x = x;
      b.y = y + (rowHeight - b.height) / 2;
      x += b.width + GAP_X;
    }
    y += rowHeight + GAP_Y;
  }
  const height = y - GAP_Y + PAD;

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12">`,
    '  <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker></defs>',
    `  <rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  for (const r of paths) {
    const from = boxes.get(r.from) as Box;
    const to = boxes.get(r.to) as Box;
    const points = [[from.x + from.width / 2, from.y]];
    for (const id of r.waypoints) {
      const w = waypoints.get(id) as Box;
      points.push([w.x + w.width / 2, w.y]);
    }
    points.push([to.x + to.width / 2, to.y + to.height]);
    const stroke = 'stroke="#555555" stroke-width="1.2" marker-end="url(#arrow)"';
    if (points.length === 2) {
      out.push(`  <line x1="${points[0][0]}" y1="${points[0][1]}" x2="${points[1][0]}" y2="${points[1][1]}" ${stroke}/>`);
    } else {
      out.push(`  <polyline points="${points.map(([x, y]) => `${x},${y}`).join(' ')}" fill="none" ${stroke}/>`);
    }
  }
  for (const b of boxes.values()) {
    const style = STYLE[b.node.kind];
    out.push(`  <g id="${b.node.id}">`);
    out.push(`    <rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="4" fill="${style.fill}" stroke="${style.stroke}"/>`);
    b.lines.forEach((line, i) => {
      if (i >= 2) {
        const ly = b.y + PAD / 2 + i * LINE_HEIGHT;
        out.push(`    <line x1="${b.x}" y1="${ly}" x2="${b.x + b.width}" y2="${ly}" stroke="${style.stroke}" stroke-width="0.5"/>`);
      }
      const weight = i === 0 ? ' font-weight="bold"' : '';
      out.push(`    <text x="${b.x + PAD}" y="${b.y + PAD / 2 + (i + 1) * LINE_HEIGHT - 4}" fill="${style.text}"${weight}>${escapeXml(line)}</text>`);
    });
    out.push('  </g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
