/**
 * The inputs of issue 19 §4 that PyTorch accepts, with PyTorch's results: dim ops on 0-d
 * tensors, gather/scatterAdd with an index smaller than the other tensors, clamp with min > max,
 * integer powers by a tensor exponent, in-place ops on zero-size tensors (Linear(0, 3)), cat and
 * stack of 100k tensors, hooks that return a valid replacement, and the int32 range edges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arange, cat, clamp, gather, grad, gradcheck, indexAdd, indexSelect, manualSeed, nn, noGrad, randint, randn, scatterAdd,
  stack, tensor, zeros, type Tensor,
} from '../../src/index.js';
import { stridesOf } from './reference.js';

const int = (v: number | number[], shape?: number[]) =>
  typeof v === 'number' ? tensor(v, { dtype: 'int32' }) : tensor(Int32Array.from(v), { shape: shape ?? [v.length] });
const f64 = (v: number | number[]) => tensor(v, { dtype: 'float64' });
const leaf = (t: Tensor) => t.double().requiresGrad_();

/** Calls visit(coords, flat) for every position of `shape`. */
function forEachPosition(shape: readonly number[], visit: (coords: number[], flat: number) => void): void {
  const total = shape.reduce((a, b) => a * b, 1);
  const coords = new Array<number>(shape.length).fill(0);
  for (let p = 0; p < total; p++) {
    visit(coords, p);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++coords[d] < shape[d]) break;
      coords[d] = 0;
    }
  }
}

/** A shape for x, a dim, and an index shape no larger than x outside `dim` (any size along it). */
const gatherGeometry = fc
  .integer({ min: 1, max: 3 })
  .chain((ndim) =>
    fc.record({
      x: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: ndim, maxLength: ndim }),
      dim: fc.integer({ min: 0, max: ndim - 1 }),
      fractions: fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: ndim, maxLength: ndim }),
      extra: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: ndim, maxLength: ndim }),
      seed: fc.integer({ min: 0, max: 1e6 }),
    }),
  )
  .map((g) => ({ ...g, index: g.x.map((s, d) => (d === g.dim ? 1 + Math.floor(g.fractions[d] * 4) : Math.max(1, Math.ceil(g.fractions[d] * s)))) }));

describe('0-d tensors in dim ops (PyTorch semantics)', () => {
  it('transpose(0, -1) of a 0-d tensor returns it, still in the graph', () => {
    const x = leaf(tensor(7));
    const y = x.transpose(0, -1);
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(7);
    expect(gradcheck((a) => a.transpose(0, -1).mul(a), [x])).toBe(true);
  });

  it('gather, scatterAdd, indexSelect and indexAdd treat a 0-d tensor as one of size 1', () => {
    expect(gather(tensor(7), 0, int(0)).toArray()).toBe(7);
    expect(gather(tensor(7), 0, int([0, 0])).toArray()).toEqual([7, 7]);
    expect(gather(tensor([4, 5, 6]), 0, int(2)).toArray()).toBe(6);
    expect(scatterAdd(tensor(7), 0, int(0), tensor(2)).toArray()).toBe(9);
    expect(indexSelect(tensor(7), 0, int([0])).shape).toEqual([]);
    expect(indexAdd(tensor(7), 0, int([0]), tensor([3])).toArray()).toBe(10);
    const x = leaf(tensor(1.5));
    const s = leaf(tensor(-0.5));
    expect(gradcheck((a) => gather(a, 0, int([0, 0])), [x])).toBe(true);
    expect(gradcheck((a, b) => scatterAdd(a, 0, int(0), b).mul(a), [x, s])).toBe(true);
    expect(gradcheck((a) => indexSelect(a, 0, int([0])).mul(a), [x])).toBe(true);
    expect(gradcheck((a, b) => indexAdd(a, 0, int([0]), b.reshape([1])).mul(b), [x, s])).toBe(true);
  });

  it('stack of 0-d tensors still makes a 1-d tensor', () => {
    expect(stack([tensor(7), tensor(8)]).toArray()).toEqual([7, 8]);
  });
});

describe('gather and scatterAdd with an index smaller than the other tensors (PyTorch: index.size(d) ≤ src.size(d))', () => {
  it('gather reads x at the index along dim, for any index no larger than x elsewhere', () => {
    fc.assert(
      fc.property(gatherGeometry, (g) => {
        manualSeed(g.seed);
        const x = randn(g.x, { dtype: 'float64' });
        const index = randint(0, g.x[g.dim], g.index);
        const out = gather(x, g.dim, index);
        expect(out.shape).toEqual(g.index);
        const xs = x.toTypedArray();
        const idx = index.toTypedArray();
        const got = out.toTypedArray();
        const st = stridesOf(g.x);
        forEachPosition(g.index, (c, p) => {
          const at = c.reduce((acc, v, d) => acc + (d === g.dim ? idx[p] : v) * st[d], 0);
          expect(got[p]).toBe(xs[at]);
        });
        expect(gradcheck((a) => gather(a, g.dim, index), [x.requiresGrad_()])).toBe(true);
      }),
      { numRuns: 40, seed: 1919 },
    );
  });

  it('scatterAdd adds src’s leading block of index’s shape; src may be larger than index', () => {
    fc.assert(
      fc.property(gatherGeometry, (g) => {
        manualSeed(g.seed);
        const index = randint(0, g.x[g.dim], g.index);
        const srcShape = g.index.map((s, d) => s + g.extra[d]);
        const x = randn(g.x, { dtype: 'float64' });
        const src = randn(srcShape, { dtype: 'float64' });
        const out = scatterAdd(x, g.dim, index, src);
        const expected = Float64Array.from(x.toTypedArray());
        const idx = index.toTypedArray();
        const ss = src.toTypedArray();
        const xst = stridesOf(g.x);
        const sst = stridesOf(srcShape);
        forEachPosition(g.index, (c, p) => {
          const to = c.reduce((acc, v, d) => acc + (d === g.dim ? idx[p] : v) * xst[d], 0);
          expected[to] += ss[c.reduce((acc, v, d) => acc + v * sst[d], 0)];
        });
        const got = out.toTypedArray();
        expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
        expect(gradcheck((a, b) => scatterAdd(a, g.dim, index, b), [x.requiresGrad_(), src.requiresGrad_()])).toBe(true);
      }),
      { numRuns: 40, seed: 2020 },
    );
  });

  it('scatterAdd of a larger, non-contiguous src reads the right elements', () => {
    const src = tensor([[1, 2, 3], [4, 5, 6]]).transpose(0, 1); // [[1,4],[2,5],[3,6]]
    const out = scatterAdd(zeros(2, 2), 1, int([1, 0, 0, 1], [2, 2]), src);
    expect(out.toArray()).toEqual([[4, 1], [2, 5]]);
  });
});

describe('clamp with min > max (PyTorch: min(max(x, min), max))', () => {
  it('sets every element to max, keeps NaN, and passes no gradient', () => {
    expect(clamp(tensor([0, 2, 5, -9]), 3, 1).toArray()).toEqual([1, 1, 1, 1]);
    expect(Number.isNaN(clamp(tensor([NaN]), 3, 1).item())).toBe(true);
    expect(clamp(int([0, 2, 5]), 3, 1).toArray()).toEqual([1, 1, 1]);
    const t = tensor([0, 7]);
    noGrad(() => t.clamp_(3, 1));
    expect(t.toArray()).toEqual([1, 1]);
    const x = leaf(tensor([0, 2, 5]));
    expect(gradcheck((a) => clamp(a, 3, 1).mul(a), [x])).toBe(true);
    x.clamp(3, 1).sum().backward();
    expect(x.grad?.toArray()).toEqual([0, 0, 0]);
  });
});

describe('integer powers', () => {
  it('an integer tensor exponent below 0 gives 0 but for bases ±1 (PyTorch), a float exponent gives float', () => {
    expect(int([1, -1, -1, 2, -3, 0]).pow(int([-1, -1, -2, -1, -2, 2])).toArray()).toEqual([1, -1, 1, 0, 0, 0]);
    expect(int([2, 4]).pow(-0.5).toArray()).toEqual([Math.fround(Math.SQRT1_2), 0.5]);
    expect(int([2, 3]).pow(2).toArray()).toEqual([4, 9]);
  });
});

describe('in-place ops on zero-size tensors', () => {
  it('Linear(0, 3) builds, initialises, and maps [n, 0] inputs to its bias', () => {
    const layer = new nn.Linear(0, 3);
    expect(layer.weight.shape).toEqual([3, 0]);
    expect(layer.bias?.shape).toEqual([3]);
    const y = layer.forward(zeros(4, 0));
    expect(y.shape).toEqual([4, 3]);
    const b = layer.bias?.toArray() as number[];
    expect(y.toArray()).toEqual([b, b, b, b]);
    expect(new nn.Linear(3, 0).forward(zeros(2, 3)).shape).toEqual([2, 0]);
  });

  it('fill_, add_ and copy_ of a zero-size tensor succeed and bump the version; expanded views are still refused', () => {
    const t = zeros(3, 0);
    noGrad(() => t.fill_(1).add_(2).copy_(zeros(3, 0)));
    expect(t.version.value).toBe(3);
    expect(() => zeros(1, 2).expand(3, 2).fill_(1)).toThrow(/expanded view/);
  });
});

describe('cat and stack of 100k tensors (no arguments spread onto the stack)', () => {
  const n = 100_000;

  it('cat joins them in order', () => {
    const parts = Array.from({ length: n }, (_, i) => tensor([i, -i]));
    const out = cat(parts);
    expect(out.shape).toEqual([2 * n]);
    const data = out.toTypedArray();
    expect([data[0], data[1], data[2 * 77_777], data[2 * 77_777 + 1], data[2 * n - 2]]).toEqual([0, -0, 77_777, -77_777, n - 1]);
  });

  it('stack keeps every gradient on its own input', () => {
    const parts = Array.from({ length: n }, (_, i) => tensor([i % 7]).requiresGrad_());
    const weights = arange(0, n).reshape([n, 1]).float();
    stack(parts).mul(weights).sum().backward();
    for (const i of [0, 1, 1023, 1024, 1025, 65_535, 65_536, n - 1]) expect(parts[i].grad?.toArray()).toEqual([i]);
  });

  it('a cat over the grouping size passes gradcheck', () => {
    manualSeed(5);
    const parts = Array.from({ length: 1100 }, () => randn([1], { dtype: 'float64' }));
    const picked = [0, 1023, 1024, 1099].map((i) => (parts[i] = parts[i].clone().requiresGrad_()));
    expect(gradcheck((...xs) => cat(parts.map((p) => xs[picked.indexOf(p)] ?? p)).pow(2), picked)).toBe(true);
  });
});

describe('large module trees (no arguments spread onto the stack)', () => {
  it('namedModules lists a nested subtree of 150k modules', () => {
    const list = new nn.ModuleList(Array.from({ length: 150_000 }, () => new nn.Identity()));
    const names = new nn.Sequential(list).namedModules().map(([name]) => name);
    expect(names).toHaveLength(150_002);
    expect(names[150_001]).toBe('0.149999');
  });
});

describe('gradient hooks that return a valid replacement', () => {
  it('a tensor of the same shape and dtype replaces the gradient; nothing keeps it', () => {
    const x = tensor([1, 2]).requiresGrad_();
    x.registerHook((g) => g.mul(10));
    x.registerHook(() => undefined);
    x.mul(2).sum().backward();
    expect(x.grad?.toArray()).toEqual([20, 20]);
    const y = f64([1, 2]).requiresGrad_();
    const h = y.mul(3);
    h.registerHook((g) => g.add(1));
    const [gy] = grad(h.sum(), [y]);
    expect(gy?.toArray()).toEqual([6, 6]);
  });

  it('a bad hook inside grad() throws too', () => {
    const y = f64([1, 2]).requiresGrad_();
    const h = y.mul(3);
    h.registerHook(() => zeros(3, { dtype: 'float64' }));
    expect(() => grad(h.sum(), [y])).toThrow(/hook 0 changed the size of the gradient from \[2\] to \[3\]/);
  });
});

describe('tensor() of mixed booleans and numbers', () => {
  it('is numeric, not bool (PyTorch)', () => {
    const t = tensor([true, 2, false]);
    expect(t.dtype).toBe('float32');
    expect(t.toArray()).toEqual([1, 2, 0]);
    expect(tensor([[true], [false]]).dtype).toBe('bool');
  });
});

describe('int32 range edges', () => {
  it('values at the edges are kept, fractions truncate toward zero (PyTorch)', () => {
    expect(tensor([2 ** 31 - 1, -(2 ** 31), 1.7, -1.7], { dtype: 'int32' }).toArray()).toEqual([2 ** 31 - 1, -(2 ** 31), 1, -1]);
    expect(arange(2 ** 31 - 3, 2 ** 31).toArray()).toEqual([2 ** 31 - 3, 2 ** 31 - 2, 2 ** 31 - 1]);
  });

  it('randint over the whole int32 range stays in it', () => {
    manualSeed(3);
    const r = randint(-(2 ** 31), 2 ** 31, [1000]).toTypedArray();
    expect(r.every((v) => v >= -(2 ** 31) && v <= 2 ** 31 - 1)).toBe(true);
    expect(r.some((v) => v < 0) && r.some((v) => v > 0)).toBe(true);
  });
});
