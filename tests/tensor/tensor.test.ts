/**
 * Tensors and their creation: every creation function and dtype default of API.md, views that
 * share storage, contiguous(), Python slice bounds, item/toArray/toTypedArray, printing, the
 * seeded generator (with the first values for seed 0 pinned), type promotion, numerically
 * stable ops at ±1000, and log1p/expm1 near 0.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arange, eye, full, grad, linspace, logSoftmax, logsumexp, manualSeed, ones, onesLike, rand, randLike, randint, randn,
  randnLike, sigmoid, softmax, softplus, tensor, log1p, expm1, zeros, zerosLike, ShapeError, type Tensor,
} from '../../src/index.js';
import { makeTensor, sampleValues, uniformGenerator } from '../autograd/layouts.js';

const flat = (t: Tensor) => Array.from(t.toTypedArray());

describe('creation', () => {
  it('tensor() infers dtype: numbers and nested arrays float32, Float64Array float64, Int32Array int32, booleans bool', () => {
    expect(tensor(1.5).dtype).toBe('float32');
    expect(tensor(1.5).shape).toEqual([]);
    expect(tensor([[1, 2], [3, 4]]).dtype).toBe('float32');
    expect(tensor([[1, 2], [3, 4]]).shape).toEqual([2, 2]);
    expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Uint8Array([1, 2])).dtype).toBe('float32');
    expect(tensor(new Int16Array([1, -2])).dtype).toBe('float32');
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(true).dtype).toBe('bool');
  });

  it('tensor() honours dtype and shape, uses a matching typed array as storage, and rejects ragged input', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const t = tensor(data, { shape: [2, 3] });
    expect(t.storage).toBe(data);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tensor([1.7, -2.2], { dtype: 'int32' }).toArray()).toEqual([1, -2]);
    expect(tensor([1, 2], { dtype: 'float64', requiresGrad: true }).requiresGrad).toBe(true);
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(ShapeError);
  });

  it('zeros, ones, full and eye take array or spread shapes and options', () => {
    expect(zeros(2, 3).shape).toEqual([2, 3]);
    expect(zeros([2, 3]).dtype).toBe('float32');
    expect(flat(ones([2], { dtype: 'int32' }))).toEqual([1, 1]);
    expect(ones(2, { dtype: 'int32' }).dtype).toBe('int32');
    expect(zeros().shape).toEqual([]);
    expect(full([2, 2], 7).toArray()).toEqual([[7, 7], [7, 7]]);
    expect(full(3, -1, { dtype: 'float64' }).dtype).toBe('float64');
    expect(eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(zeros(2, { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('arange is int32 when every argument is an integer, else float32; linspace includes both ends', () => {
    expect(arange(5).dtype).toBe('int32');
    expect(flat(arange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(flat(arange(2, 8, 3))).toEqual([2, 5]);
    expect(flat(arange(5, 0, -2))).toEqual([5, 3, 1]);
    expect(arange(0, 1, 0.25).dtype).toBe('float32');
    expect(flat(arange(0, 1, 0.25))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(0.5, 3).dtype).toBe('float32');
    expect(arange(3, 1).size).toBe(0);
    expect(flat(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(flat(linspace(-1, 2, 1))).toEqual([-1]);
    expect(linspace(0, 1, 4).dtype).toBe('float32');
  });

  it('rand/randn are float (float32 by default), randint is int32 in [low, high)', () => {
    manualSeed(1);
    const u = rand(1000);
    expect(u.dtype).toBe('float32');
    expect(flat(u).every((v) => v >= 0 && v < 1)).toBe(true);
    expect(rand(2, 3, { dtype: 'float64' }).dtype).toBe('float64');
    const n = flat(randn(4000));
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    const variance = n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(Math.abs(variance - 1)).toBeLessThan(0.08);
    const r = randint(-2, 3, [500]);
    expect(r.dtype).toBe('int32');
    const seen = new Set(flat(r));
    expect([...seen].sort((p, q) => p - q)).toEqual([-2, -1, 0, 1, 2]);
  });

  it('*Like functions keep the shape and (for zeros/ones, and float randoms) the dtype', () => {
    const i = tensor(new Int32Array([1, 2, 3]));
    expect(zerosLike(i).dtype).toBe('int32');
    expect(flat(onesLike(i))).toEqual([1, 1, 1]);
    expect(randLike(i).dtype).toBe('float32');
    const d = zeros(2, 2, { dtype: 'float64' });
    expect(randnLike(d).dtype).toBe('float64');
    expect(randnLike(d).shape).toEqual([2, 2]);
  });

  it('bool tensors store 0/1 bytes: toTypedArray gives a Uint8Array, toArray gives true/false', () => {
    const b = tensor([[true, false], [false, true]]);
    const bytes = b.toTypedArray();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes)).toEqual([1, 0, 0, 1]);
    expect(b.toArray()).toEqual([[true, false], [false, true]]);
    expect(tensor([1, 2]).gt(1.5).toArray()).toEqual([false, true]);
  });
});

describe('seeded generator', () => {
  it('manualSeed reproduces rand, randn and randint', () => {
    const draw = () => [flat(rand(4)), flat(randn(4)), flat(randint(0, 100, [4]))];
    manualSeed(123);
    const a = draw();
    manualSeed(123);
    expect(draw()).toEqual(a);
    manualSeed(124);
    expect(draw()).not.toEqual(a);
  });

  it('pins the first values for seed 0 (any change to the generator shows here)', () => {
    manualSeed(0);
    expect(flat(rand(5))).toEqual([0.30100157856941223, 0.29905322194099426, 0.4687614142894745, 0.8623327016830444, 0.8639268279075623]);
    manualSeed(0);
    expect(flat(rand(3, { dtype: 'float64' }))).toEqual([0.3010015699546784, 0.2990532193798572, 0.46876141941174865]);
    manualSeed(0);
    expect(flat(randn(5))).toEqual([-0.25672659277915955, 0.7295745015144348, 0.9089741706848145, -0.7160099148750305, 0.032341666519641876]);
    manualSeed(0);
    expect(flat(randint(0, 10, [8]))).toEqual([3, 2, 4, 8, 8, 1, 7, 3]);
  });
});

describe('tensor properties and conversions', () => {
  it('reports shape, ndim, size, dtype, strides, contiguity and leafness', () => {
    const t = zeros(2, 3, 4);
    expect([t.ndim, t.size, t.dtype]).toEqual([3, 24, 'float32']);
    expect(t.strides).toEqual([12, 4, 1]);
    expect(t.isContiguous()).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(t.transpose(0, 2).isContiguous()).toBe(false);
  });

  it('item() reads one-element tensors and throws otherwise', () => {
    expect(tensor(2.5).item()).toBe(2.5);
    expect(tensor([[7]]).item()).toBe(7);
    expect(tensor([1, 2, 3]).slice(0, 1, 2).item()).toBe(2);
    expect(() => tensor([1, 2]).item()).toThrow(ShapeError);
  });

  it('toArray nests, toTypedArray copies in row-major order even from a view', () => {
    expect(tensor(3).toArray()).toBe(3);
    const t = arange(6).reshape(2, 3);
    expect(t.T.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    const copy = t.toTypedArray();
    copy[0] = 99;
    expect(flat(t)[0]).toBe(0);
    expect(Array.from(t.T.toTypedArray())).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('to/float/double/int cast (int truncates toward zero, bool is nonzero), to the same dtype is the tensor', () => {
    const t = tensor([1.7, -1.7, 0]);
    expect(t.to('float32')).toBe(t);
    expect(t.double().dtype).toBe('float64');
    expect(flat(t.int())).toEqual([1, -1, 0]);
    expect(t.to('bool').toArray()).toEqual([true, true, false]);
    expect(t.int().float().dtype).toBe('float32');
  });
});

describe('views share storage', () => {
  const base = () => arange(24).reshape(2, 3, 4).float();

  it('reshape/view/flatten of a contiguous tensor, transpose, permute, T, expand, narrow, slice, squeeze, unsqueeze', () => {
    const x = base();
    const views: [string, Tensor][] = [
      ['reshape', x.reshape(6, 4)],
      ['view', x.view(4, 6)],
      ['flatten', x.flatten()],
      ['transpose', x.transpose(0, 2)],
      ['permute', x.permute(2, 0, 1)],
      ['T', x.reshape(6, 4).T],
      ['expand', x.narrow(0, 0, 1).expand(5, 3, 4)],
      ['narrow', x.narrow(2, 1, 2)],
      ['slice', x.slice(2, 0, undefined, 2)],
      ['squeeze', x.narrow(0, 1, 1).squeeze(0)],
      ['unsqueeze', x.unsqueeze(1)],
    ];
    for (const [name, v] of views) expect(v.storage, name).toBe(x.storage);
    expect(views[6][1].strides).toEqual([0, 4, 1]);
    expect(x.slice(2, 1, undefined, 2).strides).toEqual([12, 4, 2]);
    expect(x.slice(2, 1, undefined, 2).offset).toBe(1);
    expect(x.permute(2, 0, 1).toArray()).toEqual([
      [[0, 4, 8], [12, 16, 20]], [[1, 5, 9], [13, 17, 21]], [[2, 6, 10], [14, 18, 22]], [[3, 7, 11], [15, 19, 23]],
    ]);
  });

  it('transpose of a 0-d or 1-d tensor is a view in the graph', () => {
    const s = tensor(2, { dtype: 'float64', requiresGrad: true });
    const st = s.transpose(0, 0);
    expect(st.requiresGrad).toBe(true);
    expect(grad(st.mul(3), [s])[0]?.item()).toBe(3);
    const v = tensor([1, 2], { requiresGrad: true });
    expect(v.transpose(0, -1).gradFn).not.toBeNull();
  });

  it('reshape of a non-viewable layout copies; view refuses it', () => {
    const t = base().transpose(1, 2);
    const r = t.reshape(24);
    expect(r.storage).not.toBe(t.storage);
    expect(flat(r)).toEqual(flat(t));
    expect(() => t.view(24)).toThrow(ShapeError);
  });

  it('contiguous() returns the tensor itself when it already is, else a contiguous copy', () => {
    const x = base();
    expect(x.contiguous()).toBe(x);
    const t = x.transpose(0, 1);
    const c = t.contiguous();
    expect(c.storage).not.toBe(x.storage);
    expect(c.isContiguous()).toBe(true);
    expect(c.toArray()).toEqual(t.toArray());
    const clone = x.clone();
    expect(clone.storage).not.toBe(x.storage);
  });

  it('slice bounds follow Python: negative counts from the end, out of range clamps, empty when start ≥ end', () => {
    const x = arange(10);
    const s = (start?: number, end?: number, step?: number) => flat(x.slice(0, start, end, step));
    expect(s(-3)).toEqual([7, 8, 9]);
    expect(s(undefined, -7)).toEqual([0, 1, 2]);
    expect(s(-100, 100)).toEqual(flat(x));
    expect(s(8, 100, 3)).toEqual([8]);
    expect(s(12)).toEqual([]);
    expect(s(5, 2)).toEqual([]);
    expect(s(1, -1, 4)).toEqual([1, 5]);
    expect(flat(x.narrow(0, -2, 2))).toEqual([8, 9]);
  });
});

describe('printing', () => {
  it('shows values, shape and dtype like PyTorch', () => {
    expect(tensor([[1.5, -2], [0.25, 3]]).toString()).toBe(
      'tensor([[ 1.5000, -2.0000],\n        [ 0.2500,  3.0000]], shape=[2, 2], dtype=float32)',
    );
    expect(tensor([1, 2, 3]).toString()).toBe('tensor([1., 2., 3.], shape=[3], dtype=float32)');
    expect(tensor(3.5).toString()).toBe('tensor(3.5000, shape=[], dtype=float32)');
    expect(arange(3).toString()).toBe('tensor([0, 1, 2], shape=[3], dtype=int32)');
    expect(tensor([true, false]).toString()).toBe('tensor([ true, false], shape=[2], dtype=bool)');
    expect(tensor([Number.NaN, Infinity, 1.5]).toString()).toBe('tensor([   nan,    inf, 1.5000], shape=[3], dtype=float32)');
    expect(tensor([1e-5, 1, 1000]).toString()).toMatch(/^tensor\(\[1\.0000e-0?5, 1\.0000e\+0?0, 1\.0000e\+0?3\]/);
  });

  it('shows requiresGrad on leaves and gradFn on results', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.toString()).toBe('tensor([1., 2.], shape=[2], dtype=float32, requiresGrad=true)');
    expect(x.mul(2).toString()).toBe('tensor([2., 4.], shape=[2], dtype=float32, gradFn=<MulBackward>)');
  });

  it('abbreviates large tensors with ...', () => {
    expect(arange(2000).toString()).toBe('tensor([   0,    1,    2, ..., 1997, 1998, 1999], shape=[2000], dtype=int32)');
    const lines = arange(2400).reshape(40, 60).float().toString().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('tensor([[   0.,    1.,    2., ...,   57.,   58.,   59.],');
    expect(lines[3].trim()).toBe('...,');
    expect(lines[6]).toBe('        [2340., 2341., 2342., ..., 2397., 2398., 2399.]], shape=[40, 60], dtype=float32)');
  });
});

describe('type promotion', () => {
  const i = tensor(new Int32Array([1, 2]));
  const f = tensor([1, 2]);
  const d = tensor(new Float64Array([1, 2]));
  const b = tensor([true, false]);

  it('float64 > float32 > int32 > bool between tensors', () => {
    expect(i.add(f).dtype).toBe('float32');
    expect(f.add(d).dtype).toBe('float64');
    expect(i.add(d).dtype).toBe('float64');
    expect(i.mul(i).dtype).toBe('int32');
    expect(b.add(i).dtype).toBe('int32');
    expect(b.mul(f).dtype).toBe('float32');
  });

  it('a JS number never widens a tensor, but a fraction makes an int tensor float32', () => {
    expect(f.mul(2).dtype).toBe('float32');
    expect(d.mul(2.5).dtype).toBe('float64');
    expect(i.add(3).dtype).toBe('int32');
    expect(flat(i.add(3))).toEqual([4, 5]);
    expect(i.mul(0.5).dtype).toBe('float32');
    expect(flat(i.mul(0.5))).toEqual([0.5, 1]);
  });

  it('true division and float functions of ints give float32; sums keep int; mean is float', () => {
    expect(i.div(i).dtype).toBe('float32');
    expect(flat(tensor(new Int32Array([1])).div(2))).toEqual([0.5]);
    expect(i.exp().dtype).toBe('float32');
    expect(i.sum().dtype).toBe('int32');
    expect(b.sum().item()).toBe(1);
    expect(i.mean().dtype).toBe('float32');
    expect(i.mean().item()).toBe(1.5);
    expect(i.eq(f).dtype).toBe('bool');
    expect(i.softmax(0).dtype).toBe('float32');
  });
});

describe('numerical stability at ±1000', () => {
  const big = (dtype: 'float32' | 'float64') => tensor([1000, -1000, 0], { dtype });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`softmax, logSoftmax and logsumexp stay finite and correct (${dtype})`, () => {
      expect(flat(softmax(big(dtype), 0))).toEqual([1, 0, 0]);
      const ls = flat(logSoftmax(big(dtype), 0));
      expect(ls[0]).toBe(0);
      expect(ls[1]).toBe(-2000);
      expect(ls[2]).toBe(-1000);
      expect(logsumexp(tensor([1000, 1000], { dtype }), 0).item()).toBeCloseTo(1000 + Math.LN2, 3);
      expect(logsumexp(tensor([-1000, -1000], { dtype }), 0).item()).toBeCloseTo(-1000 + Math.LN2, 3);
    });

    it(`sigmoid and softplus stay finite and correct (${dtype})`, () => {
      expect(flat(sigmoid(big(dtype)))).toEqual([1, 0, 0.5]);
      const sp = flat(softplus(big(dtype)));
      expect(sp.slice(0, 2)).toEqual([1000, 0]);
      expect(sp[2]).toBeCloseTo(Math.LN2, 6);
      // Outside the linear regime (threshold above 1000) the stable formula must still hold.
      expect(flat(softplus(big(dtype), { threshold: 5000 })).slice(0, 2)).toEqual([1000, 0]);
    });
  }

  it('their gradients at ±1000 are finite', () => {
    const x = tensor([1000, -1000, 0], { dtype: 'float64', requiresGrad: true });
    for (const f of [(t: Tensor) => t.softmax(0), (t: Tensor) => t.logSoftmax(0), (t: Tensor) => t.sigmoid(), (t: Tensor) => t.softplus(), (t: Tensor) => t.logsumexp(0)]) {
      const out = f(x);
      const [g] = grad(out, [x], { gradOutputs: full(out.shape, 0.7, { dtype: 'float64' }) });
      expect(flat(g as Tensor).every(Number.isFinite)).toBe(true);
    }
    const [gs] = grad(x.sigmoid().sum(), [x]);
    expect(flat(gs as Tensor)).toEqual([0, 0, 0.25]);
  });
});

describe('log1p and expm1 keep small |x|', () => {
  // log(1 + x) and exp(x) − 1 lose every digit of x = 1e-12 to rounding; these must not.
  const tiny = [1e-12, -3e-15, 1e-300];
  it('forward: relative error at the float64 rounding level', () => {
    for (const [f, ref] of [[log1p, Math.log1p], [expm1, Math.expm1]] as const) {
      const out = flat(f(tensor(tiny, { dtype: 'float64' })));
      out.forEach((v, i) => expect(Math.abs(v - ref(tiny[i])) / Math.abs(ref(tiny[i]))).toBeLessThan(1e-15));
      out.forEach((v, i) => expect(Math.abs(v / tiny[i] - 1)).toBeLessThan(1e-11));
    }
  });
  it('gradients 1/(1 + x) and eˣ', () => {
    const x = tensor([-0.5, 0, 2], { dtype: 'float64', requiresGrad: true });
    const [g1] = grad(x.log1p().sum(), [x]);
    const [g2] = grad(x.expm1().sum(), [x]);
    flat(g1 as Tensor).forEach((v, i) => expect(v).toBeCloseTo(1 / (1 + [-0.5, 0, 2][i]), 14));
    flat(g2 as Tensor).forEach((v, i) => expect(v).toBeCloseTo(Math.exp([-0.5, 0, 2][i]), 14));
  });
});

describe('special values', () => {
  const specials = () => tensor(new Float64Array([-Infinity, -1e308, -0, 0, 1e308, Infinity, NaN]));

  it('relu is max(x, 0) at ±∞, ±1e308 and NaN', () => {
    expect(flat(specials().relu())).toEqual([0, 0, 0, 0, 1e308, Infinity, NaN]);
  });

  it('elementwise maps keep IEEE semantics at the extremes', () => {
    expect(flat(specials().sigmoid())).toEqual([0, 0, 0.5, 0.5, 1, 1, NaN]);
    const unsignedZero = (t: Tensor) => flat(t).map((v) => (v === 0 ? 0 : v));
    expect(unsignedZero(specials().tanh())).toEqual([-1, -1, 0, 0, 1, 1, NaN]);
    expect(unsignedZero(specials().erf())).toEqual([-1, -1, 0, 0, 1, 1, NaN]);
    expect(flat(specials().softplus()).slice(0, 2)).toEqual([0, 0]);
    expect(flat(specials().softplus()).slice(4)).toEqual([1e308, Infinity, NaN]);
    expect(flat(specials().clamp(-1, 1))).toEqual([-1, -1, -0, 0, 1, 1, NaN]);
    expect(flat(specials().elu()).slice(0, 2)).toEqual([-1, -1]);
  });

  it('logsumexp propagates NaN (also beside ∞ or in an all-NaN row)', () => {
    expect(tensor([NaN]).logsumexp(0).item()).toBeNaN();
    expect(tensor([NaN, Infinity]).logsumexp(0).item()).toBeNaN();
    expect(tensor([-Infinity, NaN]).logsumexp(0).item()).toBeNaN();
    expect(tensor([Infinity, 1]).logsumexp(0).item()).toBe(Infinity);
    expect(tensor([-Infinity, -Infinity]).logsumexp(0).item()).toBe(-Infinity);
  });

  it('the gradient of x^0 is 0, also at x = 0 (as PyTorch)', () => {
    const x = tensor([0, 2], { dtype: 'float64', requiresGrad: true });
    expect(flat(grad(x.pow(0).sum(), [x])[0] as Tensor)).toEqual([0, 0]);
    // and d(0^b)/db is taken as its limit 0 for b ≥ 0
    const b = tensor([0, 1], { dtype: 'float64', requiresGrad: true });
    expect(flat(grad(tensor([0, 0], { dtype: 'float64' }).pow(b).sum(), [b])[0] as Tensor)).toEqual([0, 0]);
  });

  it('bool tensors only ever hold 0/1 (full, fill_, copy_ from other dtypes)', () => {
    expect(Array.from(full([2], 0.5, { dtype: 'bool' }).toTypedArray())).toEqual([1, 1]);
    expect(Array.from(zeros(3, { dtype: 'bool' }).copy_(tensor([0.5, 2, 0])).toTypedArray())).toEqual([1, 1, 0]);
    expect(Array.from(zeros(2, { dtype: 'bool' }).fill_(7).toTypedArray())).toEqual([1, 1]);
  });

  it('reductions and softmax accept dim 0 / -1 on a 0-d tensor', () => {
    const s = tensor(5, { dtype: 'float64' });
    expect(s.sum(0).item()).toBe(5);
    expect(s.mean(-1).item()).toBe(5);
    expect(s.logsumexp(0).item()).toBe(5);
    expect(s.softmax(0).item()).toBe(1);
    expect(s.logSoftmax(-1).item()).toBe(0);
    expect(s.sum(0, true).shape).toEqual([]);
  });
});

describe('view on strided layouts', () => {
  it('either views (sharing storage, same values as reshape) or throws a ShapeError; contiguous always views', () => {
    const product = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const layouts = ['contiguous', 'transposed', 'stepped', 'permuted'] as const;
    const shapeAndTarget = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 }).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.shuffledSubarray([...shape, 1, 1], { minLength: shape.length, maxLength: shape.length + 2 }), fc.constantFrom(...layouts)),
    );
    fc.assert(
      fc.property(shapeAndTarget, ([shape, parts, layout]) => {
        // The dims reordered, with size-1 dims added (or, when the draw changed the size, the shape itself).
        const target = product(parts) === product(shape) ? parts : shape;
        const x = makeTensor(sampleValues(shape, { lo: -1, hi: 1 }, uniformGenerator(7), false), 'float32', layout);
        let v: Tensor | null = null;
        try {
          v = x.view(target);
        } catch (e) {
          expect(e).toBeInstanceOf(ShapeError);
          expect(layout).not.toBe('contiguous');
        }
        if (v) {
          expect(v.storage).toBe(x.storage);
          expect(v.shape).toEqual(target);
          expect(flat(v)).toEqual(flat(x.reshape(target)));
        }
        // Inserting or removing size-1 dims is always a view, whatever the layout.
        expect(x.unsqueeze(0).storage).toBe(x.storage);
        expect(flat(x.unsqueeze(-1).squeeze())).toEqual(flat(x.squeeze()));
      }),
      { seed: 99, numRuns: 200 },
    );
  });
});
