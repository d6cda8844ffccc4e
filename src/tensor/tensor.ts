/**
 * The Tensor: a strided view of a typed array.
 *
 * `storage` holds the elements; `shape`, `strides` (in elements) and `offset` say where element
 * (i0, …, i_{d−1}) lives: `storage[offset + Σ i_k · strides[k]]`. Views (transpose, slice, expand…)
 * share storage and differ only in these three fields. A tensor *holds* its gradient and the graph
 * node that made it, but knows nothing of how the graph is run (that is src/autograd/).
 *
 * The op methods (`add`, `matmul`, `sum`, …) are attached by the op files in
 * src/autograd/functions/, each beside its op, and `backward` by src/autograd/engine.ts.
 */
import { DTypeError, ShapeError, AutogradError, fmtShape } from '../errors.js';
import type { Node } from './graph-node.js';
import { allocate, isFloating, type DType, type TypedArray } from '../kernels/dtype.js';
import { contiguousStrides, shapeSize } from './shape.js';
import { currentBackend } from '../kernels/registry.js';
import { formatTensor } from './print.js';

/** Nested arrays of numbers (or booleans, for bool tensors), as `toArray()` returns them. */
export type NestedArray = number | boolean | NestedArray[];

/** A gradient hook: sees the gradient of a tensor; may return a replacement. */
export type GradHook = (grad: Tensor) => Tensor | void;

/** How many in-place changes a storage has seen; shared by a tensor and all its views. */
export interface VersionCounter {
  /** Bumped by every in-place op; backward compares it with the value saved at forward time. */
  value: number;
}

/**
 * What a view made by a view op (slice, narrow, transpose, view, expand…) remembers of where it
 * came from, so that an in-place change through it, or to its base, can rewrite the history of
 * both (see src/autograd/view-history.ts).
 */
export interface ViewRecord {
  /** The tensor that owns the storage (never itself a view): PyTorch's `_base`. */
  readonly base: Tensor;
  /** Whether the view was made while grad mode was on (a view made in noGrad has no history to follow). */
  readonly recorded: boolean;
  /** The base's gradFn when this view's gradFn was last set; when the base's differs, the view's history is out of date. */
  baseGradFn: Node | null;
}

/** The hooks of every tensor that has none (never mutated: registerHook replaces the list). */
const NO_HOOKS: readonly GradHook[] = [];

/** An n-dimensional array of one dtype: a strided view of a typed array, with its gradient and graph node. */
export class Tensor {
  /** The typed array holding the elements (shared with views). */
  readonly storage: TypedArray;
  /** Size of each dim. */
  readonly shape: readonly number[];
  /** Elements to step in `storage` for one step along each dim. */
  readonly strides: readonly number[];
  /** Position of element (0, …, 0) in `storage`. */
  readonly offset: number;
  /** The element type. */
  readonly dtype: DType;
  /** Whether gradients flow to this tensor. Set on leaves with `requiresGrad_()`. */
  requiresGrad = false;
  /** The accumulated gradient (leaves, and tensors that called `retainGrad()`). */
  grad: Tensor | null = null;
  /** The graph node that computed this tensor (null for leaves). */
  gradFn: Node | null = null;
  /** In-place version counter, shared with views of the same storage. */
  readonly version: VersionCounter;
  /** @internal Whether backward stores `.grad` on this non-leaf. */
  retainsGrad = false;
  /** @internal Hooks run on this tensor's gradient during backward. */
  hooks: readonly GradHook[] = NO_HOOKS;
  /** @internal Set on the output of a view op: its base and history (null for tensors that own their elements). */
  viewRecord: ViewRecord | null = null;

  constructor(
    storage: TypedArray,
    shape: readonly number[],
    options: { strides?: readonly number[]; offset?: number; dtype?: DType; version?: VersionCounter } = {},
  ) {
    this.storage = storage;
    // Own copies, typed readonly but not frozen: V8 handles frozen arrays on slower paths (in
    // every `map`/`every`/index over a shape), which on small tensors cost about as much as the
    // op itself.
    this.shape = shape.slice();
    this.strides = options.strides === undefined ? contiguousStrides(shape) : options.strides.slice();
    this.offset = options.offset ?? 0;
    this.dtype = options.dtype ?? dtypeOfStorage(storage);
    this.version = options.version ?? { value: 0 };
  }

  /** Number of dims. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return shapeSize(this.shape);
  }

  /** True for tensors not computed by a recorded op (user-created tensors, parameters). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** True when the elements lie in row-major order with no gaps (size-1 dims may have any stride). */
  isContiguous(): boolean {
    let expected = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] === 1) continue;
      if (this.strides[i] !== expected) return false;
      expected *= this.shape[i];
    }
    return true;
  }

  /**
   * The elements as a contiguous typed array: the storage itself when it already is exactly that
   * (callers must not write to it), else a fresh copy.
   */
  data(): TypedArray {
    const n = this.size;
    if (this.isContiguous() && this.offset === 0 && this.storage.length === n) return this.storage;
    return this.toTypedArray();
  }

  /** A contiguous copy of the elements (Uint8Array of 0/1 for bool). */
  toTypedArray(): TypedArray {
    const out = allocate(this.dtype, this.size);
    if (this.isContiguous()) {
      out.set(this.storage.subarray(this.offset, this.offset + out.length));
    } else {
      currentBackend().stridedCopy(this.storage, this.shape, this.strides, this.offset, out);
    }
    return out;
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new ShapeError(`item: only one-element tensors can be converted to a number, got shape ${fmtShape(this.shape)}`);
    }
    return this.storage[this.offset];
  }

  /** The elements as nested arrays (a plain number for 0-d; booleans for bool tensors). */
  toArray(): NestedArray {
    const flat = this.toTypedArray();
    const asValue = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    const build = (dim: number, start: number): NestedArray => {
      if (dim === this.shape.length) return asValue(flat[start]);
      const step = shapeSize(this.shape.slice(dim + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[dim]; i++) out.push(build(dim + 1, start + i * step));
      return out;
    };
    return build(0, 0);
  }

  /** PyTorch-like printing: values (abbreviated when large), shape, dtype, requiresGrad/gradFn. */
  toString(): string {
    return formatTensor(this);
  }

  /** Marks a leaf as needing gradients (or not). Only float tensors can require grad. */
  requiresGrad_(flag = true): this {
    if (flag && !isFloating(this.dtype)) {
      throw new DTypeError(`requiresGrad_: only float tensors can require gradients, got ${this.dtype}`);
    }
    if (!flag && !this.isLeaf) {
      throw new AutogradError(`requiresGrad_: cannot turn off gradients of a non-leaf tensor (made by ${this.gradFn?.name}); use detach()`);
    }
    this.requiresGrad = flag;
    return this;
  }

  /** Asks backward to keep this non-leaf tensor's gradient in `.grad`. */
  retainGrad(): void {
    if (!this.requiresGrad) {
      throw new AutogradError("retainGrad: can't retain the gradient of a tensor that does not require grad");
    }
    if (!this.isLeaf) this.retainsGrad = true;
  }

  /**
   * Registers `hook`, called with this tensor's gradient each time one is computed; a returned
   * tensor replaces the gradient. Returns a handle whose `remove()` unregisters it. A returned
   * tensor of another shape or dtype, or a non-tensor, makes backward throw.
   */
  registerHook(hook: GradHook): { remove(): void } {
    if (typeof hook !== 'function') throw new TypeError(`registerHook: expected a function, got ${typeof hook}`);
    if (!this.requiresGrad) {
      throw new AutogradError("registerHook: can't register a hook on a tensor that does not require grad");
    }
    // Copy on write: tensors without hooks share one empty list.
    this.hooks = [...this.hooks, hook];
    return {
      remove: () => {
        const i = this.hooks.indexOf(hook);
        if (i >= 0) this.hooks = [...this.hooks.slice(0, i), ...this.hooks.slice(i + 1)];
      },
    };
  }
}

function dtypeOfStorage(storage: TypedArray): DType {
  if (storage instanceof Float32Array) return 'float32';
  if (storage instanceof Float64Array) return 'float64';
  if (storage instanceof Int32Array) return 'int32';
  return 'bool';
}

/** Wraps a fresh contiguous typed array of `shape` as a tensor. */
export function fromStorage(storage: TypedArray, shape: readonly number[], dtype?: DType): Tensor {
  return new Tensor(storage, shape, dtype === undefined ? {} : { dtype });
}
