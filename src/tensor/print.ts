/**
 * PyTorch-like printing:
 *
 *   tensor([[ 1.5000, -2.0000],
 *           [ 0.2500,  3.0000]], shape=[2, 2], dtype=float32, requiresGrad=true)
 *
 * Floats print with 4 decimals (or in scientific notation when magnitudes span too much), whole
 * floats as `1.`, all elements right-aligned to one width. Tensors of more than 1000 elements
 * show the first and last 3 entries of each dim with `...` between.
 */
import type { Tensor } from './tensor.js';
import { contiguousStrides } from './shape.js';

const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

export function formatTensor(t: Tensor): string {
  const data = t.toTypedArray();
  const summarize = data.length > SUMMARY_THRESHOLD;
  const fmt = elementFormatter(t, data);
  const width = Math.max(1, ...visibleIndices(t.shape, summarize).map((i) => fmt(data[i]).length));
  const strides = contiguousStrides(t.shape);
  const indent = 'tensor('.length;

  const render = (dim: number, start: number): string => {
    if (dim === t.shape.length) return fmt(data[start]).padStart(width);
    const n = t.shape[dim];
    const parts: string[] = [];
    const push = (i: number) => parts.push(render(dim + 1, start + i * strides[dim]));
    if (summarize && n > 2 * EDGE_ITEMS) {
      for (let i = 0; i < EDGE_ITEMS; i++) push(i);
      parts.push('...');
      for (let i = n - EDGE_ITEMS; i < n; i++) push(i);
    } else {
      for (let i = 0; i < n; i++) push(i);
    }
    const depth = t.shape.length - dim - 1;
    const sep = depth === 0 ? ', ' : ',' + '\n'.repeat(depth) + ' '.repeat(indent + dim + 1);
    return '[' + parts.join(sep) + ']';
  };

  const extras = [`shape=[${t.shape.join(', ')}]`, `dtype=${t.dtype}`];
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${render(0, 0)}, ${extras.join(', ')})`;
}

/** Flat indices of the elements that will be printed (all, or the summarized edges). */
function visibleIndices(shape: readonly number[], summarize: boolean): number[] {
  const strides = contiguousStrides(shape);
  let indices = [0];
  shape.forEach((n, dim) => {
    const keep: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!summarize || n <= 2 * EDGE_ITEMS || i < EDGE_ITEMS || i >= n - EDGE_ITEMS) keep.push(i);
    }
    indices = indices.flatMap((base) => keep.map((i) => base + i * strides[dim]));
  });
  return indices;
}

function elementFormatter(t: Tensor, data: ArrayLike<number>): (v: number) => string {
  if (t.dtype === 'bool') return (v) => (v ? 'true' : 'false');
  if (t.dtype === 'int32') return (v) => String(v);
  let maxAbs = 0;
  let minAbs = Infinity;
  let allWhole = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allWhole = false;
  }
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (allWhole && maxAbs < 1e8) return (v) => (Number.isFinite(v) ? `${v}.` : special(v));
  const scientific = maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1000;
  return (v) => (Number.isFinite(v) ? (scientific ? v.toExponential(4) : v.toFixed(4)) : special(v));
}
