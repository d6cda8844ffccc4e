/**
 * What a DataLoader reads: a dataset is anything with a length and a way to fetch sample i, as
 * PyTorch's map-style `Dataset`. A dataset that can also fetch many samples at once (gathering
 * rows of big tensors, as TensorDataset does) implements `getBatch`, and loaders use it.
 */
import type { Tensor } from '../tensor/tensor.js';

/** A map-style dataset: `length` samples, each a list of tensors (e.g. [image, label]). */
export interface Dataset {
  /** Number of samples. */
  readonly length: number;
  /** Sample `index` (0 ≤ index < length), one tensor per field. */
  get(index: number): Tensor[];
}

/** A dataset that fetches a whole batch at once: one tensor per field, batch dim first. */
export interface BatchDataset extends Dataset {
  /** The samples at `indices`, stacked: field k has shape [indices.length, ...sample shape]. */
  getBatch(indices: Int32Array): Tensor[];
}

/** True when `dataset` fetches whole batches itself. */
export function isBatchDataset(dataset: Dataset): dataset is BatchDataset {
  return typeof (dataset as Partial<BatchDataset>).getBatch === 'function';
}
