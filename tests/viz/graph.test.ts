import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';
import { formatGraph, graphToDot } from '../../src/viz/graph.js';

describe('graph printing', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const w = tensor([0.5, -1, 2], { requiresGrad: true });
  const loss = x.mul(w).add(x).sum();

  it('prints the tree root first, naming known tensors and marking repeats', () => {
    const text = formatGraph(loss, { names: { x, w } });
    expect(text.split('\n')).toEqual([
      'SumBackward → []',
      '└─ AddBackward → [3]',
      '   ├─ MulBackward → [3]',
      '   │  ├─ x [3] float32 requiresGrad',
      '   │  └─ w [3] float32 requiresGrad',
      '   └─ x [3] float32 requiresGrad',
    ]);
  });

  it('writes DOT with one node per tensor and one edge per input', () => {
    const dot = graphToDot(loss, { names: { x, w } });
    expect(dot.startsWith('digraph autograd {')).toBe(true);
    expect(dot.match(/\[shape=/g)?.length).toBe(5);
    expect(dot.match(/->/g)?.length).toBe(5);
    expect(dot).toContain('label="x [3] float32 requiresGrad"');
  });

  it('handles a 10,000-op chain without recursion and cuts the text at maxDepth', () => {
    let y = x;
    for (let i = 0; i < 10_000; i++) y = y.mul(1);
    // Each mul(1) reads x's chain and a constant 1 (a tensor that needs no gradient, drawn in grey).
    expect(graphToDot(y).match(/->/g)?.length).toBe(20_000);
    expect(graphToDot(y).match(/fontcolor=gray50/g)?.length).toBe(10_000);
    const lines = formatGraph(y, { maxDepth: 3 }).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toContain('cut at depth 3');
  });
});
