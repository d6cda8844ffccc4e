/**
 * TensorDataset — PyTorch's `TensorDataset`: sample i is row i of each of its tensors (features,
 * labels, …), which must all have the same number of rows.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { BatchDataset } from './dataset.js';

/**
 * A dataset over tensors that share their first dim: sample i is [t0[i], t1[i], …].
 * `new data.TensorDataset(images, labels)`
 */
export class TensorDataset implements BatchDataset {
  /** The tensors, one per field, all with `length` rows. */
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ShapeError('TensorDataset: expected at least one tensor');
    const rows = tensors[0].shape[0];
    for (const t of tensors) {
      if (t.ndim === 0 || t.shape[0] !== rows) {
        throw new ShapeError(`TensorDataset: every tensor needs the same first dim, got shapes ${tensors.map((u) => fmtShape(u.shape)).join(', ')}`);
      }
    }
    this.tensors = tensors;
  }

  /** Number of samples (rows). */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Row `index` of each tensor (views sharing the tensors' storage). */
  get(index: number): Tensor[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new ShapeError(`TensorDataset.get: index ${index} is out of range for ${this.length} samples`);
    }
    return this.tensors.map((t) => t.narrow(0, index, 1).squeeze(0));
  }

  /** The rows at `indices` of each tensor, gathered in one indexSelect per tensor (copies). */
  getBatch(indices: Int32Array): Tensor[] {
    const index = tensor(indices);
    return this.tensors.map((t) => t.indexSelect(0, index));
  }
}
