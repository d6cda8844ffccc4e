/**
 * The functional forms of the indexing ops and matmul.
 */
import { ShapeError, fmtShape } from '../../errors.js';
import { normalizeDim } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Gather, IndexAdd, IndexSelect, ScatterAdd } from '../functions/indexing.js';
import { MatMul } from '../functions/matmul.js';
import { where } from './elementwise.js';
import { squeeze, unsqueeze } from './shape.js';

/** out[…i…] = x[…index[…i…]…] along `dim`; index is int32 with x's number of dims. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  return Gather.apply(x, normalizeDim(dim, x.ndim, 'gather'), index);
}

/** A copy of x with src added at the positions index names along `dim`. */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return ScatterAdd.apply(x, normalizeDim(dim, x.ndim, 'scatterAdd'), index, src);
}

/** The slices of x at the (1-d, int32) indices along `dim`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  return IndexSelect.apply(x, normalizeDim(dim, x.ndim, 'indexSelect'), index);
}

/** A copy of x with slice j of src added to slice index[j] along `dim`. */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return IndexAdd.apply(x, normalizeDim(dim, x.ndim, 'indexAdd'), index, src);
}

/** x with `value` where mask is true (mask broadcasts to x's shape). */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  const out = where(mask, value, x);
  if (out.ndim !== x.ndim || out.shape.some((s, i) => s !== x.shape[i])) {
    throw new ShapeError(`maskedFill: mask of shape ${fmtShape(mask.shape)} does not broadcast to the input shape ${fmtShape(x.shape)}`);
  }
  return out.dtype === x.dtype ? out : out.to(x.dtype);
}

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
