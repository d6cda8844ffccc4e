/**
 * The `data` namespace: datasets and the DataLoader that batches and shuffles them.
 */
export type { Dataset, BatchDataset } from './dataset.js';
export { TensorDataset } from './tensor-dataset.js';
export { DataLoader, type DataLoaderOptions } from './data-loader.js';
export * as toy from './toy.js';
export type { ToyData, ToyOptions } from './toy.js';
