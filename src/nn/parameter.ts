/**
 * A Parameter is a leaf tensor that a Module owns and an optimizer updates. It shares its
 * elements with the tensor it was made from and requires grad unless told otherwise.
 */
import { Tensor } from '../tensor/tensor.js';

/** A trainable leaf tensor owned by a Module. */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    // PyTorch's Parameter(data, requires_grad) is positional: an options object here would read as true.
    if (typeof requiresGrad !== 'boolean') throw new TypeError(`Parameter: requiresGrad must be a boolean, passed by position, got ${typeof requiresGrad}`);
    super(data.storage, data.shape, { strides: data.strides, offset: data.offset, dtype: data.dtype, version: data.version });
    if (requiresGrad) this.requiresGrad_(true);
  }
}
