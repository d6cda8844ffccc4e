/**
 * Naive float64 reference arrays for the op table: a flat row-major Float64Array plus a shape,
 * and the few helpers the references are written with (index arithmetic, broadcasting, reducing
 * over dims). Everything here is plain loops, independent of the library's kernels, so a bug in
 * a kernel cannot hide in its own reference.
 */

/** A row-major float64 array of `shape` (0-d when `shape` is []). */
export interface NdArray {
  shape: number[];
  data: Float64Array;
}

/** Number of elements of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = acc;
    acc *= shape[d];
  }
  return out;
}

/** The multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

/** The flat position of `index` in `shape`. */
export function ravel(index: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + index[d];
  return flat;
}

/** An array of `shape` whose element at each index is `f(index)`. */
export function build(shape: readonly number[], f: (index: number[]) => number): NdArray {
  const data = new Float64Array(sizeOf(shape));
  for (let p = 0; p < data.length; p++) data[p] = f(unravel(p, shape));
  return { shape: [...shape], data };
}

/** The element of `x` at `index`. */
export function at(x: NdArray, index: readonly number[]): number {
  return x.data[ravel(index, x.shape)];
}

/** NumPy's broadcast shape of `a` and `b` (throws when incompatible: a test generator bug). */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`reference: shapes [${a}] and [${b}] do not broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The element of `x` that index `index` of the broadcast shape reads (right-aligned, size-1 dims repeat). */
export function atBroadcast(x: NdArray, index: readonly number[]): number {
  const lead = index.length - x.shape.length;
  const own = x.shape.map((s, d) => (s === 1 ? 0 : index[lead + d]));
  return at(x, own);
}

/** f applied elementwise. */
export function map(x: NdArray, f: (v: number) => number): NdArray {
  return { shape: [...x.shape], data: x.data.map(f) };
}

/** f applied elementwise over the broadcast of the inputs. */
export function zip(xs: readonly NdArray[], f: (...vs: number[]) => number): NdArray {
  const shape = xs.map((x) => x.shape).reduce(broadcastShape, []);
  return build(shape, (index) => f(...xs.map((x) => atBroadcast(x, index))));
}

/** Normalises a possibly negative dim. */
export function normDim(dim: number, ndim: number): number {
  return dim < 0 ? dim + ndim : dim;
}

/**
 * Reduces `x` over `dims` (list every dim to reduce them all): for each output position, `f`
 * receives the reduced elements in row-major order.
 */
export function reduce(x: NdArray, dims: readonly number[], keepdim: boolean, f: (values: number[]) => number): NdArray {
  const reduced = new Set(dims.map((d) => normDim(d, x.shape.length)));
  const keptShape = x.shape.map((s, d) => (reduced.has(d) ? 1 : s));
  const groups = new Map<number, number[]>();
  for (let p = 0; p < x.data.length; p++) {
    const index = unravel(p, x.shape);
    const key = ravel(index.map((i, d) => (reduced.has(d) ? 0 : i)), keptShape);
    const list = groups.get(key) ?? [];
    list.push(x.data[p]);
    groups.set(key, list);
  }
  const out = build(keptShape, (index) => f(groups.get(ravel(index, keptShape)) ?? []));
  return keepdim ? out : { shape: x.shape.filter((_, d) => !reduced.has(d)), data: out.data };
}

/**
 * For each position of `x`, `f` receives the whole line along `dim` through it and its own
 * position in that line (softmax-like ops).
 */
export function alongDim(x: NdArray, dim: number, f: (line: number[], i: number) => number): NdArray {
  const d = normDim(dim, x.shape.length);
  return build(x.shape, (index) => {
    const line: number[] = [];
    for (let j = 0; j < x.shape[d]; j++) line.push(at(x, index.map((v, k) => (k === d ? j : v))));
    return f(line, index[d]);
  });
}

/** erf by Simpson's rule on 2/√π e^(−t²) over [0, x] (2000 panels: error far below 1e-12 for |x| ≤ 6). */
export function erfRef(x: number): number {
  const n = 2000;
  const h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
  return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
}

/** The standard normal CDF Φ(x) = (1 + erf(x/√2))/2. */
export function phiRef(x: number): number {
  return 0.5 * (1 + erfRef(x / Math.SQRT2));
}

/** Naive (batched, broadcasting) matrix product with PyTorch's 1-d rules. */
export function matmulRef(a: NdArray, b: NdArray): NdArray {
  const a2 = a.shape.length === 1 ? { shape: [1, a.shape[0]], data: a.data } : a;
  const b2 = b.shape.length === 1 ? { shape: [b.shape[0], 1], data: b.data } : b;
  const m = a2.shape[a2.shape.length - 2];
  const k = a2.shape[a2.shape.length - 1];
  const n = b2.shape[b2.shape.length - 1];
  const batch = broadcastShape(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const full = build([...batch, m, n], (index) => {
    const bi = index.slice(0, -2);
    const [i, j] = index.slice(-2);
    let s = 0;
    for (let p = 0; p < k; p++) s += atBroadcast(a2, [...bi, i, p]) * atBroadcast(b2, [...bi, p, j]);
    return s;
  });
  let shape = full.shape;
  if (a.shape.length === 1) shape = shape.filter((_, d) => d !== shape.length - 2);
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  return { shape, data: full.data };
}
