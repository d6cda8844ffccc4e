/**
 * Creating tensors: from values, filled, ranges, and random (from the library's seeded generator).
 * Shapes may be given as an array or as spread numbers: `zeros([2, 3])` or `zeros(2, 3)`.
 */
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { INT32_MAX, INT32_MIN, allocate, checkDType, dtypeOfArray, isFloating, type DType, type TypedArray } from '../kernels/dtype.js';
import { checkTensorSize } from '../kernels/limits.js';
import { nextFloat, nextInt, nextNormal } from './random.js';
import { parseShape, shapeSize } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options every creation function takes. */
export interface CreationOptions {
  /**
   * The element type (default float32; `tensor()` infers int32/bool from integer/boolean data).
   * `zeros(2, 3, { dtype: 'float64' })`
   */
  dtype?: DType;
  /** Make the new tensor a leaf that requires grad (float dtypes only; default false). */
  requiresGrad?: boolean;
}

/** The keys of `CreationOptions`, checked by every creation function. */
const CREATION_KEYS = optionKeys<CreationOptions>({ dtype: true, requiresGrad: true });

/** A shape as an array or spread numbers, optionally followed by options. */
export type ShapeArgs = (number | readonly number[] | CreationOptions)[];

function splitShapeArgs(args: ShapeArgs, op: string): { shape: number[]; opts: CreationOptions } {
  const last = args[args.length - 1];
  const hasOpts = typeof last === 'object' && last !== null && !Array.isArray(last);
  const opts = hasOpts ? (last as CreationOptions) : {};
  checkOptions(op, opts, CREATION_KEYS);
  const dims = (hasOpts ? args.slice(0, -1) : args) as (number | readonly number[])[];
  return { shape: parseShape(dims, op), opts };
}

/** The dtype of `opts` (checked: an unknown string is a DTypeError at once), else `fallback`. */
function dtypeOf(opts: CreationOptions, fallback: DType, op: string): DType {
  const dtype = opts.dtype ?? fallback;
  checkDType(dtype, op);
  return dtype;
}

/** Allocates `shape`'s elements of `dtype` after the size check (a ShapeError naming `op` and the shape). */
function allocateShape(dtype: DType, shape: readonly number[], op: string): TypedArray {
  checkTensorSize(op, shapeSize(shape), dtype, shape);
  return allocate(dtype, shapeSize(shape), op);
}

function finish(t: Tensor, opts: CreationOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

function filled(shape: readonly number[], value: number, opts: CreationOptions, op: string): Tensor {
  const dtype = dtypeOf(opts, 'float32', op);
  if (dtype === 'int32') checkInt32(value, op, 'fill value');
  const data = allocateShape(dtype, shape, op);
  // bool storage holds only 0/1: every nonzero value is true.
  if (value !== 0) data.fill(dtype === 'bool' ? 1 : value);
  return finish(new Tensor(data, shape, { dtype }), opts);
}

/**
 * Flattens nested arrays, checking they are rectangular and hold only numbers and booleans;
 * returns values, shape, and whether every value is a boolean (a bool tensor; a mix of booleans
 * and numbers is numeric, as PyTorch).
 */
function flattenNested(values: NestedArray, op: string): { flat: number[]; shape: number[]; bool: boolean } {
  const shape: number[] = [];
  let probe: NestedArray = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe.length > 0 ? probe[0] : 0;
  }
  let bool = typeof probe === 'boolean';
  const flat: number[] = [];
  const walk = (v: NestedArray, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(v)) throw new ShapeError(`${op}: ragged nested array (expected shape ${fmtShape(shape)})`);
      if (typeof v === 'number') {
        flat.push(v);
        bool = false;
      } else if (typeof v === 'boolean') flat.push(v ? 1 : 0);
      else throw new TypeError(`${op}: element ${flat.length} is ${describeValue(v)}; expected a number or a boolean`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ShapeError(`${op}: ragged nested array (expected shape ${fmtShape(shape)}, found a length of ${Array.isArray(v) ? v.length : 'scalar'} at depth ${depth})`);
    }
    for (const x of v) walk(x, depth + 1);
  };
  walk(values, 0);
  return { flat, shape, bool };
}

/** How a non-number reads in messages: `the string 'a'`, `null`, `undefined`, `an object`. */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `the string '${v}'`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Throws a DTypeError naming `op` unless `v` truncates to an int32 (NaN and ±∞ never do). */
function checkInt32(v: number, op: string, what: string): void {
  const t = Math.trunc(v);
  if (!(t >= INT32_MIN && t <= INT32_MAX)) {
    throw new DTypeError(`${op}: ${what} (${v}) does not fit int32 (${INT32_MIN}..${INT32_MAX})`);
  }
}

/**
 * A tensor from a number, nested arrays or a typed array. dtype defaults: Float64Array → float64,
 * Int32Array → int32, booleans → bool, everything else float32. A typed array of the chosen
 * dtype is used as the storage without copying; `shape` reshapes flat data.
 */
export function tensor(
  values: number | boolean | NestedArray | TypedArray | ArrayLike<number>,
  opts: CreationOptions & { shape?: readonly number[] } = {},
): Tensor {
  checkOptions('tensor', opts, [...CREATION_KEYS, 'shape']);
  let flat: ArrayLike<number>;
  let shape: number[];
  let inferred: DType;
  if (typeof values === 'number' || typeof values === 'boolean') {
    flat = [typeof values === 'boolean' ? (values ? 1 : 0) : values];
    shape = [];
    inferred = typeof values === 'boolean' ? 'bool' : 'float32';
  } else if (Array.isArray(values)) {
    const f = flattenNested(values, 'tensor');
    flat = f.flat;
    shape = f.shape;
    inferred = f.bool ? 'bool' : 'float32';
  } else {
    if (typeof values !== 'object' || values === null || typeof (values as ArrayLike<number>).length !== 'number') {
      throw new TypeError(`tensor: expected a number, a boolean, nested arrays or a typed array, got ${describeValue(values)}`);
    }
    const arr = values as ArrayLike<number>;
    if (!ArrayBuffer.isView(arr)) {
      for (let i = 0; i < arr.length; i++) {
        if (typeof arr[i] !== 'number') throw new TypeError(`tensor: element ${i} is ${describeValue(arr[i])}; expected a number`);
      }
    }
    flat = arr;
    shape = [arr.length];
    inferred = dtypeOfArray(arr);
  }
  if (opts.shape) {
    const target = parseShape([opts.shape], 'tensor');
    if (shapeSize(target) !== flat.length) {
      throw new ShapeError(`tensor: shape ${fmtShape(target)} needs ${shapeSize(target)} values, got ${flat.length}`);
    }
    shape = target;
  }
  const dtype = dtypeOf(opts, inferred, 'tensor');
  let data: TypedArray;
  if (sameArrayKind(flat, dtype)) {
    data = flat as TypedArray;
  } else {
    // An int32 tensor truncates each value toward zero, as PyTorch; a value that would wrap is refused.
    if (dtype === 'int32') for (let i = 0; i < flat.length; i++) checkInt32(flat[i], 'tensor', `element ${i}`);
    data = allocate(dtype, flat.length, 'tensor');
    for (let i = 0; i < flat.length; i++) data[i] = dtype === 'bool' ? (flat[i] ? 1 : 0) : flat[i];
  }
  return finish(new Tensor(data, shape, { dtype }), opts);
}

function sameArrayKind(a: ArrayLike<number>, dtype: DType): boolean {
  return (
    (dtype === 'float32' && a instanceof Float32Array) ||
    (dtype === 'float64' && a instanceof Float64Array) ||
    (dtype === 'int32' && a instanceof Int32Array) ||
    (dtype === 'bool' && a instanceof Uint8Array)
  );
}

/**
 * @internal A fresh contiguous tensor of `shape` and `dtype` over `data` (allocated when
 * omitted): how a kernel's output array becomes a tensor.
 */
export function newTensor(shape: readonly number[], dtype: DType, data?: TypedArray): Tensor {
  return new Tensor(data ?? allocate(dtype, shapeSize(shape)), shape, { dtype });
}

/** A tensor of zeros. */
export function zeros(...args: ShapeArgs): Tensor {
  const { shape, opts } = splitShapeArgs(args, 'zeros');
  return filled(shape, 0, opts, 'zeros');
}

/** A tensor of ones. */
export function ones(...args: ShapeArgs): Tensor {
  const { shape, opts } = splitShapeArgs(args, 'ones');
  return filled(shape, 1, opts, 'ones');
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[] | number, value: number, opts: CreationOptions = {}): Tensor {
  checkOptions('full', opts, CREATION_KEYS);
  return filled(parseShape([shape], 'full'), value, opts, 'full');
}

/** The n×n identity matrix (n×m with a second size). */
export function eye(n: number, mOrOpts?: number | CreationOptions, maybeOpts: CreationOptions = {}): Tensor {
  const m = typeof mOrOpts === 'number' ? mOrOpts : n;
  const opts = typeof mOrOpts === 'object' ? mOrOpts : maybeOpts;
  checkOptions('eye', opts, CREATION_KEYS);
  const t = filled(parseShape([[n, m]], 'eye'), 0, { dtype: opts.dtype }, 'eye');
  for (let i = 0; i < Math.min(n, m); i++) t.storage[i * m + i] = 1;
  return finish(t, opts);
}

/**
 * Values from start (inclusive) to end (exclusive) by step: `arange(end)` or
 * `arange(start, end, step = 1)`. int32 when every argument is an integer, else float32.
 */
export function arange(startOrEnd: number, end?: number, step = 1, opts: CreationOptions = {}): Tensor {
  checkOptions('arange', opts, CREATION_KEYS);
  const start = end === undefined ? 0 : startOrEnd;
  const stop = end === undefined ? startOrEnd : end;
  if (step === 0 || !Number.isFinite(step)) throw new ShapeError(`arange: step must be a finite non-zero number, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new ShapeError(`arange: start and end must be finite numbers, got ${start} and ${stop}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const integral = [start, stop, step].every(Number.isInteger);
  const dtype = dtypeOf(opts, integral ? 'int32' : 'float32', 'arange');
  checkTensorSize('arange', n, dtype, [n]);
  if (dtype === 'int32' && n > 0) {
    checkInt32(start, 'arange', 'start');
    checkInt32(start + (n - 1) * step, 'arange', 'last value');
  }
  const data = allocate(dtype, n, 'arange');
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(new Tensor(data, [n], { dtype }), opts);
}

/** `steps` evenly spaced values from start to end, both included. */
export function linspace(start: number, end: number, steps: number, opts: CreationOptions = {}): Tensor {
  checkOptions('linspace', opts, CREATION_KEYS);
  if (!Number.isInteger(steps) || steps < 0) throw new ShapeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const dtype = dtypeOf(opts, 'float32', 'linspace');
  checkTensorSize('linspace', steps, dtype, [steps]);
  const data = allocate(dtype, steps, 'linspace');
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) data[i] = i === steps - 1 && steps > 1 ? end : start + i * delta;
  return finish(new Tensor(data, [steps], { dtype }), opts);
}

function randomFilled(shape: readonly number[], opts: CreationOptions, op: string, draw: () => number): Tensor {
  const dtype = dtypeOf(opts, 'float32', op);
  if (!isFloating(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  const data = allocateShape(dtype, shape, op);
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return finish(new Tensor(data, shape, { dtype }), opts);
}

/** Uniform samples in [0, 1). */
export function rand(...args: ShapeArgs): Tensor {
  const { shape, opts } = splitShapeArgs(args, 'rand');
  return randomFilled(shape, opts, 'rand', nextFloat);
}

/** Standard normal samples. */
export function randn(...args: ShapeArgs): Tensor {
  const { shape, opts } = splitShapeArgs(args, 'randn');
  return randomFilled(shape, opts, 'randn', nextNormal);
}

/**
 * Uniform integers in [low, high), int32 by default. Both bounds must be integers and every
 * value of [low, high) must fit the dtype (int32: −2³¹..2³¹−1; float32: |v| ≤ 2²⁴; float64:
 * |v| ≤ 2⁵³; bool: 0..1), else DTypeError: `randint(0, 1e10, [3])` throws instead of wrapping.
 */
export function randint(low: number, high: number, shape: readonly number[] | number, opts: CreationOptions = {}): Tensor {
  checkOptions('randint', opts, CREATION_KEYS);
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new ShapeError(`randint: low and high must be integers, got ${low} and ${high}`);
  if (!(high > low)) throw new ShapeError(`randint: high (${high}) must be greater than low (${low})`);
  const dims = parseShape([shape], 'randint');
  const dtype = dtypeOf(opts, 'int32', 'randint');
  const [min, max] = EXACT_INTEGERS[dtype];
  if (low < min || high - 1 > max) {
    throw new DTypeError(`randint: the range [${low}, ${high}) does not fit ${dtype} (values ${min}..${max})`);
  }
  const data = allocateShape(dtype, dims, 'randint');
  for (let i = 0; i < data.length; i++) data[i] = nextInt(low, high);
  return finish(new Tensor(data, dims, { dtype }), opts);
}

/** The integers each dtype holds exactly, as [min, max]. */
const EXACT_INTEGERS: Readonly<Record<DType, readonly [number, number]>> = {
  bool: [0, 1],
  int32: [INT32_MIN, INT32_MAX],
  float32: [-(2 ** 24), 2 ** 24],
  float64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Zeros with t's shape and dtype. */
export function zerosLike(t: Tensor, opts: CreationOptions = {}): Tensor {
  checkOptions('zerosLike', opts, CREATION_KEYS);
  return filled(t.shape, 0, { dtype: t.dtype, ...opts }, 'zerosLike');
}

/** Ones with t's shape and dtype. */
export function onesLike(t: Tensor, opts: CreationOptions = {}): Tensor {
  checkOptions('onesLike', opts, CREATION_KEYS);
  return filled(t.shape, 1, { dtype: t.dtype, ...opts }, 'onesLike');
}

/** Uniform [0, 1) samples with t's shape (and dtype, when float). */
export function randLike(t: Tensor, opts: CreationOptions = {}): Tensor {
  checkOptions('randLike', opts, CREATION_KEYS);
  return randomFilled(t.shape, { dtype: isFloating(t.dtype) ? t.dtype : 'float32', ...opts }, 'randLike', nextFloat);
}

/** Standard normal samples with t's shape (and dtype, when float). */
export function randnLike(t: Tensor, opts: CreationOptions = {}): Tensor {
  checkOptions('randnLike', opts, CREATION_KEYS);
  return randomFilled(t.shape, { dtype: isFloating(t.dtype) ? t.dtype : 'float32', ...opts }, 'randnLike', nextNormal);
}
