/**
 * Views under in-place changes: how the histories of a view and its base are rewritten.
 *
 * A view (slice, narrow, transpose, view, expand, …) shares its base's elements. When an
 * in-place op changes a view of a tensor in the graph, the base's values change too, so both
 * histories are rewritten, as PyTorch does:
 *
 *   base ← CopySlices(base_old, r)   the base as it was, with the view's elements replaced by r,
 *                                    the op's result. Backward: base_old gets g with the view's
 *                                    elements zeroed (they were overwritten); r gets g at them.
 *   view ← AsStrided(base)           the view's elements picked from the base. Backward: g put
 *                                    back at those elements, zeros elsewhere.
 *
 * Any other view of the same base made earlier is then out of date: its gradFn still leads to the
 * base's old history. Each view remembers the base's gradFn its own was made from; when the two
 * differ, its gradFn is regenerated as AsStrided(base) the next time it is used (as an op's input,
 * a backward root, or the target of another in-place op).
 *
 * "The view's elements" are row-major element numbers of the base, found from the strides and
 * offsets of the two tensors over their shared storage, so every strided view is covered.
 */
import { AutogradError } from '../errors.js';
import { allocate } from '../kernels/dtype.js';
import { shapeSize } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Context, Node, type ContextWith, type OpClass } from '../tensor/graph-node.js';

/** The storage position of each element of t, in row-major order. */
function storagePositions(t: Tensor): Int32Array {
  const n = t.size;
  const out = new Int32Array(n);
  const { shape, strides } = t;
  const index = new Array<number>(shape.length).fill(0);
  let pos = t.offset;
  for (let k = 0; k < n; k++) {
    out[k] = pos;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]++;
      pos += strides[d];
      if (index[d] < shape[d]) break;
      pos -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}

/**
 * For each element of `view` (row-major), the row-major number of the same element in `base`.
 * Throws when the base repeats an element (an expanded base) or the view leaves the base.
 */
export function positionsInBase(base: Tensor, view: Tensor, op: string): Int32Array {
  const at = storagePositions(view);
  if (base.isContiguous()) {
    for (let k = 0; k < at.length; k++) at[k] -= base.offset;
  } else {
    const basePositions = storagePositions(base);
    let min = Infinity;
    let max = -Infinity;
    for (const p of basePositions) {
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    const numberAt = new Int32Array(basePositions.length === 0 ? 0 : max - min + 1).fill(-1);
    basePositions.forEach((p, j) => {
      if (numberAt[p - min] !== -1) {
        throw new AutogradError(`${op}: the view's base (shape [${base.shape.join(',')}], strides [${base.strides.join(',')}]) repeats elements in memory; clone() the base first`);
      }
      numberAt[p - min] = j;
    });
    for (let k = 0; k < at.length; k++) {
      const p = at[k] - min;
      at[k] = p >= 0 && p < numberAt.length ? numberAt[p] : -1;
    }
  }
  for (let k = 0; k < at.length; k++) {
    if (at[k] < 0 || at[k] >= base.size) {
      throw new AutogradError(`${op}: the view (shape [${view.shape.join(',')}]) reaches elements outside its base (shape [${base.shape.join(',')}])`);
    }
  }
  return at;
}

/** The positions of view t's elements in its base, as an int32 index tensor (for indexSelect/indexAdd). */
export function viewPositions(t: Tensor, op: string): Tensor {
  const base = (t.viewRecord as NonNullable<Tensor['viewRecord']>).base;
  const positions = positionsInBase(base, t, op);
  return new Tensor(positions, [positions.length], { dtype: 'int32' });
}

type AsStridedCtx = ContextWith<{ positions: Tensor; baseShape: readonly number[] }>;

/** The record of a view regenerated from its base: the view's elements picked from the base. */
export class AsStrided {
  // A pick: each picked element's gradient goes back to where it was picked, zeros elsewhere.
  static backward(ctx: AsStridedCtx, g: Tensor): Tensor {
    const n = shapeSize(ctx.baseShape);
    const zeros = new Tensor(allocate(g.dtype, n), [n], { dtype: g.dtype });
    return zeros.indexAdd(0, ctx.positions, g.reshape(-1)).reshape([...ctx.baseShape]);
  }
}

type CopySlicesCtx = ContextWith<{ positions: Tensor; baseShape: readonly number[]; viewShape: readonly number[] }>;

/** The record of an in-place change through a view, on its base: base_old with the view's elements replaced by r. */
export class CopySlices {
  // ∂/∂base_old = g with the view's elements zeroed (overwritten),  ∂/∂r = g at the view's elements
  static backward(ctx: CopySlicesCtx, g: Tensor): (Tensor | null)[] {
    return [
      ctx.needsInputGrad[0] ? g.maskedFill(regionMask(ctx.positions, ctx.baseShape), 0) : null,
      ctx.needsInputGrad[1] ? g.reshape(-1).indexSelect(0, ctx.positions).reshape([...ctx.viewShape]) : null,
    ];
  }
}

/** A bool tensor of the base's shape, true at the view's elements (made in backward only: a buffer filled row by row keeps no mask per row). */
function regionMask(positions: Tensor, baseShape: readonly number[]): Tensor {
  const mask = new Tensor(allocate('bool', shapeSize(baseShape)), baseShape, { dtype: 'bool' });
  for (const p of positions.storage) mask.storage[p] = 1;
  return mask;
}

/**
 * A new tensor object for t as it is now: same elements, gradFn and requiresGrad. An in-place op
 * reads t through it, and it stands for this version of t in the graph once t moves on.
 */
export function currentVersion(t: Tensor): Tensor {
  const v = new Tensor(t.storage, t.shape, { strides: t.strides, offset: t.offset, dtype: t.dtype, version: t.version });
  v.gradFn = t.gradFn;
  v.requiresGrad = t.requiresGrad;
  return v;
}

/**
 * Gives t the new gradFn `node`. Its old gradFn learns which tensor now stands for the version it
 * computed (`older`); with `moveHooks`, t's hooks go with that version (hooks registered before an
 * in-place change see the gradient of the value before it, as in PyTorch).
 */
export function replaceHistory(t: Tensor, node: Node | null, older: Tensor, moveHooks: boolean): void {
  if (t.gradFn !== null) {
    t.gradFn.olderVersion = older;
    if (moveHooks) {
      older.hooks = t.hooks;
      t.hooks = [];
    }
  }
  t.gradFn = node;
  if (node !== null) t.requiresGrad = true;
}

/** A Node recorded by hand (not through Function.apply), for inputs that may or may not need a gradient. */
function recordNode(op: OpClass, fields: object, inputs: (Tensor | null)[]): Node {
  const ctx = Object.assign(new Context(inputs.map((t) => t !== null && t.requiresGrad)), fields);
  const live = inputs.map((t) => (t !== null && t.requiresGrad ? t : null));
  return new Node(op, ctx, live);
}

/** Regenerates t's gradFn as AsStrided(base) when t is a view whose base got a new history since t's was set. */
export function refreshViewHistory(t: Tensor): void {
  const view = t.viewRecord;
  if (view === null || !view.recorded || view.baseGradFn === view.base.gradFn) return;
  const base = view.base;
  const node = base.requiresGrad ? recordNode(AsStrided, { positions: viewPositions(t, 'view'), baseShape: base.shape }, [base]) : null;
  replaceHistory(t, node, currentVersion(t), false);
  view.baseGradFn = base.gradFn;
}

/**
 * Records an in-place change through view t (result r, already written at `positions`, from
 * viewPositions) on its base: the base gets CopySlices(base_old, r), the view AsStrided(base).
 * `baseOld` and `viewOld` stand for their versions before the change (see currentVersion).
 */
export function rebaseThroughView(t: Tensor, r: Tensor, positions: Tensor, baseOld: Tensor, viewOld: Tensor): void {
  const view = t.viewRecord as NonNullable<Tensor['viewRecord']>;
  const base = view.base;
  const node = recordNode(CopySlices, { positions, baseShape: base.shape, viewShape: t.shape }, [baseOld, r]);
  replaceHistory(base, node, baseOld, true);
  replaceHistory(t, recordNode(AsStrided, { positions, baseShape: base.shape }, [base]), viewOld, true);
  view.baseGradFn = base.gradFn;
}
