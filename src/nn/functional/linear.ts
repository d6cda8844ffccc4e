/**
 * `linear(x, weight, bias)`: y = x·Wᵀ + b over any leading dims, W of shape [out, in] (PyTorch's layout).
 */
import { ShapeError, fmtShape } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';

/** y = x·Wᵀ + b for x (*, in), W [out, in], b [out] → (*, out). */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null, op = 'linear'): Tensor {
  const inFeatures = weight.shape[1];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new ShapeError(`${op}: expected input with last dim ${inFeatures}, got shape ${fmtShape(x.shape)}`);
  }
  // BEGIN SOLUTION m4 — linear: y = x·Wᵀ + b over the last dim of x (leading dims kept), b omitted when null
  // Fold the leading dims into rows so one matrix product does the work (and its backward sums nothing).
  const lead = x.shape.slice(0, -1);
  const rows = x.ndim === 2 ? x : x.reshape([-1, inFeatures]);
  let y = rows.matmul(weight.T);
  if (bias) y = y.add(bias);
  return x.ndim === 2 ? y : y.reshape([...lead, weight.shape[0]]);
  // END SOLUTION
}
