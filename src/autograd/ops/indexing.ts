/**
 * The functional forms of the indexing ops and matmul.
 */
import { ShapeError, fmtShape } from '../../errors.js';
import { normalizeDim } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Gather, IndexAdd, IndexSelect, ScatterAdd } from '../functions/indexing.js';
import { MatMul } from '../functions/matmul.js';
import { checkMask, where } from './elementwise.js';
import { reshape, squeeze, unsqueeze } from './shape.js';

/** A 0-d tensor as 1-d of size 1 (PyTorch indexes a 0-d tensor as one of size 1 along dim 0). */
function atLeast1d(t: Tensor): Tensor {
  return t.ndim === 0 ? unsqueeze(t, 0) : t;
}

/**
 * out[…i…] = x[…index[…i…]…] along `dim`; index is int32 with x's number of dims, no larger
 * than x in the other dims (PyTorch's rule). A 0-d x or index counts as 1-d of size 1.
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim, 'gather');
  if (x.ndim > 0 && index.ndim > 0) return Gather.apply(x, d, index);
  return reshape(Gather.apply(atLeast1d(x), d, atLeast1d(index)), [...index.shape]);
}

/**
 * A copy of x with src added at the positions index names along `dim`. index is no larger than
 * src in any dim and no larger than x outside `dim`; only src's leading block of index's shape
 * is added (PyTorch's rule). A 0-d tensor counts as 1-d of size 1.
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim, 'scatterAdd');
  if (x.ndim > 0 && index.ndim > 0 && src.ndim > 0) return ScatterAdd.apply(x, d, index, src);
  return reshape(ScatterAdd.apply(atLeast1d(x), d, atLeast1d(index), atLeast1d(src)), [...x.shape]);
}

/** The slices of x at the (1-d, int32) indices along `dim`; a 0-d x takes one index, 0. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim, 'indexSelect');
  if (x.ndim > 0) return IndexSelect.apply(x, d, index);
  if (index.size !== 1) throw new ShapeError(`indexSelect: a 0-d input takes exactly one index, got ${index.size} (index shape ${fmtShape(index.shape)})`);
  return reshape(IndexSelect.apply(atLeast1d(x), d, reshape(index, [1])), []);
}

/** A copy of x with slice j of src added to slice index[j] along `dim`; a 0-d x takes one index, 0. */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim, 'indexAdd');
  if (x.ndim > 0) return IndexAdd.apply(x, d, index, src);
  if (index.size !== 1 || src.size !== 1) {
    throw new ShapeError(`indexAdd: a 0-d input takes one index and one source value, got index ${fmtShape(index.shape)} and src ${fmtShape(src.shape)}`);
  }
  return reshape(IndexAdd.apply(atLeast1d(x), d, reshape(index, [1]), reshape(src, [1])), []);
}

/** x with `value` where mask is true (mask is bool and broadcasts to x's shape). */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkMask(mask, 'maskedFill');
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
