/**
 * Matrix product of (…, m, k) and (…, k, n) tensors with broadcast batch dims; the 1-d cases
 * are handled by the `matmul` wrapper (unsqueeze, multiply, squeeze). The kernel comes from the
 * current backend. An operand that is the transpose of a contiguous matrix (as in every
 * backward, which multiplies by transposes) is passed with a trans flag instead of being copied.
 * Below the class, the functional form `matmul(a, b)` and the Tensor method `a.matmul(b)`.
 */
import { ShapeError, fmtShape } from '../../errors.js';
import type { MatmulSpec } from '../../kernels/backend.js';
import { currentBackend } from '../../kernels/registry.js';
import { allocate, isFloating, promoteTypes, type DType, type FloatArray } from '../../kernels/dtype.js';
import { broadcastShapes, shapeSize } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { Context } from '../../tensor/graph-node.js';
import { installMethods } from '../install-methods.js';
import { squeeze, unsqueeze } from './shape.js';
import { newTensor } from './util.js';

/** How a kernel reads one operand: its data, whether it is stored transposed, its batch stride. */
interface Operand {
  data: FloatArray;
  trans: boolean;
  batchStride: number;
}

/**
 * Lays `t` (…, r, c) out for the kernel over `batchShape`. A single matrix (no real batch dims)
 * gets batch stride 0; a contiguous or transposed-contiguous layout is used as is; anything else
 * is copied contiguous (expanded over the batch).
 */
function operandOf(t: Tensor, batchShape: readonly number[], dtype: DType): Operand {
  const r = t.shape[t.ndim - 2];
  const c = t.shape[t.ndim - 1];
  const single = t.shape.slice(0, -2).every((s) => s === 1);
  const view = single ? t.reshape([r, c]) : t.expand([...batchShape, r, c]);
  const sameType = view.dtype === dtype;
  const rs = view.strides[view.ndim - 2];
  const cs = view.strides[view.ndim - 1];
  const batchContiguous = (stride: number) => {
    let expected = stride;
    for (let d = view.ndim - 3; d >= 0; d--) {
      if (view.shape[d] !== 1 && view.strides[d] !== expected) return false;
      expected *= view.shape[d];
    }
    return true;
  };
  const asFloat = (v: Tensor) => v.storage as FloatArray;
  if (sameType && view.offset === 0 && batchContiguous(r * c)) {
    const full = view.storage.length === (single ? 1 : shapeSize(batchShape)) * r * c;
    if (full && (cs === 1 || c === 1) && (rs === c || r === 1)) return { data: asFloat(view), trans: false, batchStride: single ? 0 : r * c };
    if (full && (rs === 1 || r === 1) && (cs === r || c === 1)) return { data: asFloat(view), trans: true, batchStride: single ? 0 : r * c };
  }
  const copy = view.contiguous().to(dtype);
  return { data: copy.data() as FloatArray, trans: false, batchStride: single ? 0 : r * c };
}

class MatMul extends Function {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    if (a.ndim < 2 || b.ndim < 2) throw new ShapeError(`matmul: expected at least 2-d operands, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
    const m = a.shape[a.ndim - 2];
    const k = a.shape[a.ndim - 1];
    const n = b.shape[b.ndim - 1];
    if (b.shape[b.ndim - 2] !== k) {
      throw new ShapeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned (${k} != ${b.shape[b.ndim - 2]})`);
    }
    ctx.saveForBackward(a, b);
    const batchShape = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul');
    const outType = promoteTypes(a.dtype, b.dtype);
    const computeType: DType = isFloating(outType) ? outType : 'float64';
    const A = operandOf(a, batchShape, computeType);
    const B = operandOf(b, batchShape, computeType);
    const batch = shapeSize(batchShape);
    const out = allocate(computeType, batch * m * n) as FloatArray;
    const spec: MatmulSpec = { batch, m, n, k, transA: A.trans, transB: B.trans, aBatchStride: A.batchStride, bBatchStride: B.batchStride };
    if (out.length > 0) currentBackend().matmul(A.data, B.data, out, spec);
    const result = newTensor([...batchShape, m, n], computeType, out);
    return computeType === outType ? result : result.to(outType);
  }
  // guide:matmul-backward
  // C = A·B  ⇒  ∂L/∂A = G·Bᵀ,  ∂L/∂B = Aᵀ·G  (batch dims that were broadcast are summed by the engine).
  // An operand stored transposed (Linear's weight.T) gets its gradient in the same layout, as the
  // transpose of (B·Gᵀ) or (Gᵀ·A): the same sums, and the parameter's gradient comes out
  // contiguous, as PyTorch lays gradients out like their parameters.
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    // BEGIN SOLUTION m3 — MatMul.backward: C = A·B ⇒ ∂L/∂A = G·Bᵀ, ∂L/∂B = Aᵀ·G (transpose the last two dims), null where needsInputGrad is false
    const [a, b] = ctx.savedTensors;
    const gradA = () => storedTransposed(a) ? b.matmul(g.transpose(-1, -2)).transpose(-1, -2) : g.matmul(b.transpose(-1, -2));
    const gradB = () => storedTransposed(b) ? g.transpose(-1, -2).matmul(a).transpose(-1, -2) : a.transpose(-1, -2).matmul(g);
    return [ctx.needsInputGrad[0] ? gradA() : null, ctx.needsInputGrad[1] ? gradB() : null];
    // END SOLUTION
  }
  // guide:end
}

/** Whether t's last two dims are laid out column-major (the transpose of a contiguous matrix). */
function storedTransposed(t: Tensor): boolean {
  const r = t.shape[t.ndim - 2], c = t.shape[t.ndim - 1];
  return r > 1 && c > 1 && t.strides[t.ndim - 2] === 1 && t.strides[t.ndim - 1] === r;
}

// ── Functional form ────────────────────────────────────────────────────────────────────────

/**
 * Matrix product with PyTorch's rules: 1-d·1-d is a dot product, a 1-d operand is treated as a
 * row (left) or column (right) vector and that dim is dropped again, and leading batch dims broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`matmul: both operands need at least 1 dim, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.ndim === 1 && b.ndim === 1) {
    if (a.shape[0] !== b.shape[0]) throw new ShapeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned (${a.shape[0]} != ${b.shape[0]})`);
    return squeeze(MatMul.apply(unsqueeze(a, 0), unsqueeze(b, 1)), [0, 1]);
  }
  if (a.ndim === 1) {
    if (a.shape[0] !== b.shape[b.ndim - 2]) throw new ShapeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned (${a.shape[0]} != ${b.shape[b.ndim - 2]})`);
    return squeeze(MatMul.apply(unsqueeze(a, 0), b), -2);
  }
  if (b.ndim === 1) {
    if (b.shape[0] !== a.shape[a.ndim - 1]) throw new ShapeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned (${a.shape[a.ndim - 1]} != ${b.shape[0]})`);
    return squeeze(MatMul.apply(a, unsqueeze(b, 1)), -1);
  }
  return MatMul.apply(a, b);
}

// ── Tensor method ──────────────────────────────────────────────────────────────────────────

declare module '../../tensor/tensor.js' {
  interface Tensor {
    /**
     * The matrix product with PyTorch's rules: [n, k]·[k, m] → [n, m]; leading batch dims broadcast; a 1-d
     * operand is a row (left) or column (right) vector whose dim is dropped again; 1-d·1-d is a dot product.
     * `x.matmul(w.T)`
     */
    matmul(other: Tensor): Tensor;
  }
}

installMethods({
  matmul(other: Tensor) { return matmul(this, other); },
});
