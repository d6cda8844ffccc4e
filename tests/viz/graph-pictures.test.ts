/**
 * Pictures of the autograd graph with values and gradients, on a·b + c (micrograd's first
 * example) before and after backward: DOT record nodes, the JSON data and the SVG laid out in
 * TypeScript. The constant c (needs no gradient) is drawn too, in grey.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor, viz, type Tensor } from '../../src/index.js';
import { launchChromium } from '../browser/chromium.js';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

interface ParsedSvg {
  /** The XML parser's error, or null when the document is well-formed. */
  error: string | null;
  root: string;
  boxes: { id: string; texts: string[]; x: number; y: number; width: number }[];
}

/** Parses an SVG document with the browser's XML parser (DOMParser, image/svg+xml) and reads its boxes. */
async function parseSvg(svg: string): Promise<ParsedSvg> {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const err = doc.getElementsByTagName('parsererror')[0];
    const boxes = Array.from(doc.getElementsByTagName('g'), (g) => {
      const rect = g.getElementsByTagName('rect')[0];
      const num = (name: string) => Number(rect.getAttribute(name));
      return { id: g.id, texts: Array.from(g.getElementsByTagName('text'), (t) => t.textContent ?? ''), x: num('x'), y: num('y'), width: num('width') };
    });
    return { error: err ? (err.textContent ?? 'parsererror') : null, root: doc.documentElement.nodeName, boxes };
  }, svg);
}

function abc(): { a: Tensor; b: Tensor; c: Tensor; y: Tensor } {
  const a = tensor(2, { dtype: 'float64', requiresGrad: true });
  const b = tensor(-3, { dtype: 'float64', requiresGrad: true });
  const c = tensor(10, { dtype: 'float64' });
  return { a, b, c, y: a.mul(b).add(c) };
}

describe('graph pictures', () => {
  it('DOT: record nodes with data and grad, grad — before backward, the constant in grey', () => {
    const { a, b, c, y } = abc();
    const names = { a, b, c, y };
    expect(viz.graphToDot(y, { names, values: true, grads: true })).toMatchInlineSnapshot(`
      "digraph autograd {
        rankdir=BT;
        node [fontname="Helvetica", fontsize=10];
        t0 [shape=record, label="{AddBackward y [] float64 | data 4 | grad —}"];
        t1 [shape=record, label="{MulBackward [] float64 | data -6 | grad —}"];
        t2 [shape=record, label="{a [] float64 | data 2 | grad —}"];
        t3 [shape=record, label="{b [] float64 | data -3 | grad —}"];
        t4 [shape=record, label="{c [] float64 | data 10 | grad —}", color=gray50, fontcolor=gray50, style=filled, fillcolor=gray92];
        t1 -> t0;
        t4 -> t0;
        t2 -> t1;
        t3 -> t1;
      }"
    `);
    y.backward();
    expect(viz.graphToDot(y, { names, values: true, grads: true })).toMatchInlineSnapshot(`
      "digraph autograd {
        rankdir=BT;
        node [fontname="Helvetica", fontsize=10];
        t0 [shape=record, label="{AddBackward y [] float64 | data 4 | grad —}"];
        t1 [shape=record, label="{MulBackward [] float64 | data -6 | grad —}"];
        t2 [shape=record, label="{a [] float64 | data 2 | grad -3}"];
        t3 [shape=record, label="{b [] float64 | data -3 | grad 2}"];
        t4 [shape=record, label="{c [] float64 | data 10 | grad —}", color=gray50, fontcolor=gray50, style=filled, fillcolor=gray92];
        t1 -> t0;
        t4 -> t0;
        t2 -> t1;
        t3 -> t1;
      }"
    `);
  });

  it('JSON: nodes with id, kind, op, shape, dtype, value and grad summaries; edges with input numbers', () => {
    const { a, b, c, y } = abc();
    const before = viz.graphToJSON(y, { names: { a, b, c } });
    expect(before.nodes.every((n) => n.grad === null)).toBe(true);
    y.backward();
    expect(JSON.stringify(viz.graphToJSON(y, { names: { a, b, c } }), null, 1)).toMatchInlineSnapshot(`
      "{
       "nodes": [
        {
         "id": "t0",
         "kind": "op",
         "op": "AddBackward",
         "name": null,
         "shape": [],
         "dtype": "float64",
         "value": "4",
         "grad": null
        },
        {
         "id": "t1",
         "kind": "op",
         "op": "MulBackward",
         "name": null,
         "shape": [],
         "dtype": "float64",
         "value": "-6",
         "grad": null
        },
        {
         "id": "t2",
         "kind": "leaf",
         "op": null,
         "name": "a",
         "shape": [],
         "dtype": "float64",
         "value": "2",
         "grad": "-3"
        },
        {
         "id": "t3",
         "kind": "leaf",
         "op": null,
         "name": "b",
         "shape": [],
         "dtype": "float64",
         "value": "-3",
         "grad": "2"
        },
        {
         "id": "t4",
         "kind": "constant",
         "op": null,
         "name": "c",
         "shape": [],
         "dtype": "float64",
         "value": "10",
         "grad": null
        }
       ],
       "edges": [
        {
         "from": "t1",
         "to": "t0",
         "input": 0
        },
        {
         "from": "t4",
         "to": "t0",
         "input": 1
        },
        {
         "from": "t2",
         "to": "t1",
         "input": 0
        },
        {
         "from": "t3",
         "to": "t1",
         "input": 1
        }
       ]
      }"
    `);
  });

  it('SVG: a layered layout with boxes and arrows, well-formed XML, every label present', async () => {
    const { a, b, c, y } = abc();
    const names = { a, b, c };
    const before = viz.graphToSvg(y, { names, values: true, grads: true });
    expect(before).toMatchInlineSnapshot(`
      "<svg xmlns="http://www.w3.org/2000/svg" width="219" height="312" viewBox="0 0 219 312" font-family="monospace" font-size="12">
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker></defs>
        <rect width="219" height="312" fill="#ffffff"/>
        <line x1="54.5" y1="120" x2="109.5" y2="80" stroke="#555555" stroke-width="1.2" marker-end="url(#arrow)"/>
        <line x1="168" y1="120" x2="109.5" y2="80" stroke="#555555" stroke-width="1.2" marker-end="url(#arrow)"/>
        <line x1="54.5" y1="232" x2="54.5" y2="192" stroke="#555555" stroke-width="1.2" marker-end="url(#arrow)"/>
        <line x1="164.5" y1="232" x2="54.5" y2="192" stroke="#555555" stroke-width="1.2" marker-end="url(#arrow)"/>
        <g id="t0">
          <rect x="63" y="8" width="93" height="72" rx="4" fill="#e8f0fe" stroke="#3b6fd8"/>
          <text x="71" y="24" fill="#111111" font-weight="bold">AddBackward</text>
          <text x="71" y="40" fill="#111111">[] float64</text>
          <line x1="63" y1="44" x2="156" y2="44" stroke="#3b6fd8" stroke-width="0.5"/>
          <text x="71" y="56" fill="#111111">data 4</text>
          <line x1="63" y1="60" x2="156" y2="60" stroke="#3b6fd8" stroke-width="0.5"/>
          <text x="71" y="72" fill="#111111">grad —</text>
        </g>
        <g id="t1">
          <rect x="8" y="120" width="93" height="72" rx="4" fill="#e8f0fe" stroke="#3b6fd8"/>
          <text x="16" y="136" fill="#111111" font-weight="bold">MulBackward</text>
          <text x="16" y="152" fill="#111111">[] float64</text>
          <line x1="8" y1="156" x2="101" y2="156" stroke="#3b6fd8" stroke-width="0.5"/>
          <text x="16" y="168" fill="#111111">data -6</text>
          <line x1="8" y1="172" x2="101" y2="172" stroke="#3b6fd8" stroke-width="0.5"/>
          <text x="16" y="184" fill="#111111">grad —</text>
        </g>
        <g id="t2">
          <rect x="11.5" y="232" width="86" height="72" rx="4" fill="#e9f7ec" stroke="#2f8f46"/>
          <text x="19.5" y="248" fill="#111111" font-weight="bold">a</text>
          <text x="19.5" y="264" fill="#111111">[] float64</text>
          <line x1="11.5" y1="268" x2="97.5" y2="268" stroke="#2f8f46" stroke-width="0.5"/>
          <text x="19.5" y="280" fill="#111111">data 2</text>
          <line x1="11.5" y1="284" x2="97.5" y2="284" stroke="#2f8f46" stroke-width="0.5"/>
          <text x="19.5" y="296" fill="#111111">grad —</text>
        </g>
        <g id="t3">
          <rect x="121.5" y="232" width="86" height="72" rx="4" fill="#e9f7ec" stroke="#2f8f46"/>
          <text x="129.5" y="248" fill="#111111" font-weight="bold">b</text>
          <text x="129.5" y="264" fill="#111111">[] float64</text>
          <line x1="121.5" y1="268" x2="207.5" y2="268" stroke="#2f8f46" stroke-width="0.5"/>
          <text x="129.5" y="280" fill="#111111">data -3</text>
          <line x1="121.5" y1="284" x2="207.5" y2="284" stroke="#2f8f46" stroke-width="0.5"/>
          <text x="129.5" y="296" fill="#111111">grad —</text>
        </g>
        <g id="t4">
          <rect x="125" y="120" width="86" height="72" rx="4" fill="#eeeeee" stroke="#999999"/>
          <text x="133" y="136" fill="#777777" font-weight="bold">c</text>
          <text x="133" y="152" fill="#777777">[] float64</text>
          <line x1="125" y1="156" x2="211" y2="156" stroke="#999999" stroke-width="0.5"/>
          <text x="133" y="168" fill="#777777">data 10</text>
          <line x1="125" y1="172" x2="211" y2="172" stroke="#999999" stroke-width="0.5"/>
          <text x="133" y="184" fill="#777777">grad —</text>
        </g>
      </svg>"
    `);
    y.backward();
    const after = viz.graphToSvg(y, { names, values: true, grads: true });
    expect(after).toMatchInlineSnapshot(`
      "<svg xmlns="http://www.w3.org/2000/svg" width="219" height="312" viewBox="0 0 219 312" font-family="monospace" font-size="12">
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker></defs>
        <rect width="219" height="312" fill="#ffffff"/>
        <line x1="54.5" y1="120" x2="109.5" y2="80" stroke="#555555" stroke-width="1.2" marker-end="url(#arrow)"/>
        <line x1="168" y1="120" x2="109.5" y2="80" stroke="#555555" stroke-width="1.2" marker-end="url(#arrow)"/>
        <line x1="54.5" y1="232" x2="54.5" y2="192" stroke="#555555" stroke-width="1.2" marker-end="url(#arrow)"/>
        <line x1="164.5" y1="232" x2="54.5" y2="192" stroke="#555555" stroke-width="1.2" marker-end="url(#arrow)"/>
        <g id="t0">
          <rect x="63" y="8" width="93" height="72" rx="4" fill="#e8f0fe" stroke="#3b6fd8"/>
          <text x="71" y="24" fill="#111111" font-weight="bold">AddBackward</text>
          <text x="71" y="40" fill="#111111">[] float64</text>
          <line x1="63" y1="44" x2="156" y2="44" stroke="#3b6fd8" stroke-width="0.5"/>
          <text x="71" y="56" fill="#111111">data 4</text>
          <line x1="63" y1="60" x2="156" y2="60" stroke="#3b6fd8" stroke-width="0.5"/>
          <text x="71" y="72" fill="#111111">grad —</text>
        </g>
        <g id="t1">
          <rect x="8" y="120" width="93" height="72" rx="4" fill="#e8f0fe" stroke="#3b6fd8"/>
          <text x="16" y="136" fill="#111111" font-weight="bold">MulBackward</text>
          <text x="16" y="152" fill="#111111">[] float64</text>
          <line x1="8" y1="156" x2="101" y2="156" stroke="#3b6fd8" stroke-width="0.5"/>
          <text x="16" y="168" fill="#111111">data -6</text>
          <line x1="8" y1="172" x2="101" y2="172" stroke="#3b6fd8" stroke-width="0.5"/>
          <text x="16" y="184" fill="#111111">grad —</text>
        </g>
        <g id="t2">
          <rect x="11.5" y="232" width="86" height="72" rx="4" fill="#e9f7ec" stroke="#2f8f46"/>
          <text x="19.5" y="248" fill="#111111" font-weight="bold">a</text>
          <text x="19.5" y="264" fill="#111111">[] float64</text>
          <line x1="11.5" y1="268" x2="97.5" y2="268" stroke="#2f8f46" stroke-width="0.5"/>
          <text x="19.5" y="280" fill="#111111">data 2</text>
          <line x1="11.5" y1="284" x2="97.5" y2="284" stroke="#2f8f46" stroke-width="0.5"/>
          <text x="19.5" y="296" fill="#111111">grad -3</text>
        </g>
        <g id="t3">
          <rect x="121.5" y="232" width="86" height="72" rx="4" fill="#e9f7ec" stroke="#2f8f46"/>
          <text x="129.5" y="248" fill="#111111" font-weight="bold">b</text>
          <text x="129.5" y="264" fill="#111111">[] float64</text>
          <line x1="121.5" y1="268" x2="207.5" y2="268" stroke="#2f8f46" stroke-width="0.5"/>
          <text x="129.5" y="280" fill="#111111">data -3</text>
          <line x1="121.5" y1="284" x2="207.5" y2="284" stroke="#2f8f46" stroke-width="0.5"/>
          <text x="129.5" y="296" fill="#111111">grad 2</text>
        </g>
        <g id="t4">
          <rect x="125" y="120" width="86" height="72" rx="4" fill="#eeeeee" stroke="#999999"/>
          <text x="133" y="136" fill="#777777" font-weight="bold">c</text>
          <text x="133" y="152" fill="#777777">[] float64</text>
          <line x1="125" y1="156" x2="211" y2="156" stroke="#999999" stroke-width="0.5"/>
          <text x="133" y="168" fill="#777777">data 10</text>
          <line x1="125" y1="172" x2="211" y2="172" stroke="#999999" stroke-width="0.5"/>
          <text x="133" y="184" fill="#777777">grad —</text>
        </g>
      </svg>"
    `);

    const parsed = await parseSvg(after);
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    const texts = parsed.boxes.flatMap((b) => b.texts);
    for (const label of ['AddBackward', 'MulBackward', 'a', 'b', 'c', 'data 4', 'data -6', 'grad -3', 'grad 2', 'grad —']) expect(texts).toContain(label);
    // One box per tensor, every node's label in it; the root at the top, each input below the op that read it.
    const json = viz.graphToJSON(y, { names });
    expect(parsed.boxes.map((b) => b.id).sort()).toEqual(json.nodes.map((n) => n.id).sort());
    for (const n of json.nodes) expect(parsed.boxes.find((b) => b.id === n.id)?.texts[0]).toBe(n.op ?? n.name);
    const top = (id: string) => parsed.boxes.find((b) => b.id === id)?.y ?? NaN;
    for (const e of json.edges) expect(top(e.from)).toBeGreaterThan(top(e.to));
    // A document that is not well-formed is caught by the same parse.
    expect((await parseSvg(after.replace('</g>', ''))).error).not.toBeNull();
  });

  it('orders layers by barycenter so that inputs sit under the ops that read them', async () => {
    // Two independent branches joined at the root: no edge should cross.
    const p = tensor([1, 2], { requiresGrad: true });
    const q = tensor([3, 4], { requiresGrad: true });
    const r = tensor([5, 6], { requiresGrad: true });
    const s = tensor([7, 8], { requiresGrad: true });
    const root = p.mul(q).add(r.sub(s));
    const svg = viz.graphToSvg(root, { names: { p, q, r, s } });
    const { boxes } = await parseSvg(svg);
    const centre = (label: string) => {
      const box = boxes.find((b) => b.texts[0] === label);
      return (box?.x ?? NaN) + (box?.width ?? NaN) / 2;
    };
    expect(centre('MulBackward')).toBeLessThan(centre('SubBackward'));
    expect(Math.max(centre('p'), centre('q'))).toBeLessThan(Math.min(centre('r'), centre('s')));
  });

  it('routes an edge that spans several layers around the boxes between', async () => {
    // w is read by the matmul deep down and by a sum just below the root: a long edge.
    const w = tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true });
    const h = tensor([1, 2]).matmul(w).tanh().exp();
    const svg = viz.graphToSvg(h.sum().add(w.sum()), { names: { w } });
    const { boxes, error } = await parseSvg(svg);
    expect(error).toBeNull();
    const polylines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)));
    expect(polylines.length).toBe(1);
    const inner = polylines[0].slice(1, -1);
    expect(inner.length).toBeGreaterThan(0);
    for (const [x, y] of inner) {
      for (const b of boxes) {
        const rect = svg.match(new RegExp(`<g id="${b.id}">\\s*<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"`));
        const height = Number(rect?.[1]);
        expect(x > b.x && x < b.x + b.width && y > b.y && y < b.y + height, `waypoint (${x}, ${y}) inside box ${b.texts[0]}`).toBe(false);
      }
    }
  });

  it('checks its options', () => {
    const { y } = abc();
    expect(() => viz.graphToSvg(y, { value: true } as object)).toThrow(/graphToSvg: unknown option 'value'/);
    expect(() => viz.graphToDot(y, { grad: true } as object)).toThrow(/graphToDot: unknown option 'grad'/);
    expect(() => viz.graphToJSON(y, { values: true } as object)).toThrow(/graphToJSON: unknown option 'values'/);
  });
});
