/**
 * Baselines: the "absent" input that integrated gradients start from and that LIME puts in place
 * of switched-off features. A number (0: a black image, an all-zero row), or a tensor that
 * broadcasts to x [N, …] (one baseline for all samples, e.g. [1, D] training means, or one per
 * sample).
 */
import { ShapeError, fmtShape } from '../errors.js';
import { full } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastShapes } from '../tensor/shape.js';

/** A baseline: a number, or a tensor broadcastable to x's shape. */
export type Baseline = number | Tensor;

/** The baseline as a contiguous tensor of x's shape and dtype. */
export function expandBaseline(method: string, baseline: Baseline | undefined, x: Tensor): Tensor {
  if (baseline === undefined || typeof baseline === 'number') {
    const value = baseline ?? 0;
    if (!Number.isFinite(value)) throw new RangeError(`${method}: baseline must be finite, got ${value}`);
    return full(x.shape, value, { dtype: x.dtype });
  }
  if (!(baseline instanceof Tensor)) throw new TypeError(`${method}: baseline must be a number or a Tensor, got ${typeof baseline}`);
  let fits = baseline.ndim <= x.ndim;
  if (fits) {
    try {
      fits = broadcastShapes(baseline.shape, x.shape, method).every((d, i) => d === x.shape[i]);
    } catch {
      fits = false;
    }
  }
  if (!fits) throw new ShapeError(`${method}: baseline of shape ${fmtShape(baseline.shape)} does not broadcast to x's shape ${fmtShape(x.shape)}`);
  return baseline.to(x.dtype).expand(x.shape).contiguous();
}
