/**
 * The layers of src/, bottom to top. A file may import from its own folder and from the layers
 * below its own; never from a layer above (type-only imports included: a type that a lower layer
 * needs belongs at or below it). Folders that share a layer must not import each other in a
 * cycle, and no two files may import each other at run time, directly or around a loop.
 * docs/architecture.md draws the same picture.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Bottom to top; each entry a layer, each name a top-level file or folder of src/. */
const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'options.ts'],
  ['kernels'],
  ['backends'],
  ['tensor'],
  ['autograd'],
  ['io', 'data'],
  ['nn', 'optim'],
  ['explain', 'viz', 'onnx', 'learn', 'quant'],
  ['index.ts', 'gpu.ts', 'node'],
];

const src = join(import.meta.dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

/** Every relative import and re-export of the file (static and dynamic), resolved to a path under src/. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  const pattern = /(?:^|\n)\s*(import|export)(\s+type)?\b[^;]*?\bfrom\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(pattern)) {
    const spec = m[3] ?? m[4];
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    found.push({ from: relative(src, file), to: relative(src, target), typeOnly: m[2] !== undefined });
  }
  return found;
}

/** The unit a path belongs to: its top-level folder, or a backends/<name> folder, or the file itself. */
function unitOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'backends' && parts.length > 2) return `backends/${parts[1]}`;
  return parts[0];
}

function layerOf(path: string): number {
  const top = path.split('/')[0];
  const layer = LAYERS.findIndex((names) => names.includes(top));
  if (layer < 0) throw new Error(`src/${path} is in no layer: add its folder to LAYERS (and to docs/architecture.md)`);
  return layer;
}

/** Cycles in a directed graph, each as the list of nodes around it (one per strongly connected set). */
function cyclesOf(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('layering of src/', () => {
  const imports = sourceFiles(src).flatMap(importsOf);

  it('every folder of src/ is in a layer', () => {
    const tops = readdirSync(src).filter((name) => name.endsWith('.ts') || statSync(join(src, name)).isDirectory());
    expect(tops.filter((name) => !LAYERS.some((names) => names.includes(name)))).toEqual([]);
  });

  it('no import runs up the layers', () => {
    const upward = imports
      .filter((i) => unitOf(i.from) !== unitOf(i.to) && layerOf(i.to) > layerOf(i.from))
      .map((i) => `${i.from} → ${i.to}`);
    expect(upward).toEqual([]);
  });

  it('folders that share a layer import each other in no cycle', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports) {
      const a = unitOf(i.from);
      const b = unitOf(i.to);
      if (a === b || layerOf(i.from) !== layerOf(i.to)) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)!.add(b);
    }
    expect(cyclesOf(edges)).toEqual([]);
  });

  it('no files import each other at run time, directly or around a loop', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports) {
      if (i.typeOnly) continue;
      if (!edges.has(i.from)) edges.set(i.from, new Set());
      edges.get(i.from)!.add(i.to);
    }
    expect(cyclesOf(edges)).toEqual([]);
  });

  it('above backends/, code reaches kernels only through the backend: it imports from kernels/ only types, the contract and registry, dtypes, limits and the pooling geometry', () => {
    // A kernel function imported above backends/ would bypass currentBackend(), so no plug-in
    // could replace it. These files hold no loops over tensor data.
    const reachable = ['kernels/backend.ts', 'kernels/registry.ts', 'kernels/dtype.ts', 'kernels/limits.ts', 'kernels/pool2d.ts'];
    const backendsLayer = layerOf('backends');
    const bypassing = imports
      .filter((i) => layerOf(i.from) > backendsLayer && i.to.startsWith('kernels/') && !i.typeOnly && !reachable.includes(i.to))
      .map((i) => `${i.from} → ${i.to}`);
    expect(bypassing).toEqual([]);
  });

  it('finds the imports it checks (a regression guard for the pattern above)', () => {
    expect(imports.some((i) => i.from === 'autograd/engine.ts' && i.to.startsWith('tensor/'))).toBe(true);
    expect(imports.some((i) => i.typeOnly)).toBe(true);
    expect(imports.some((i) => i.from === 'autograd/functions/binary.ts' && i.to === 'kernels/registry.ts' && !i.typeOnly)).toBe(true);
  });
});
