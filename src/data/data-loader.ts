/**
 * DataLoader — PyTorch's `DataLoader` for map-style datasets: iterate it to get the dataset in
 * batches, each a list with one tensor per field, batch dim first (`for (const [x, y] of loader)`).
 *
 * With `shuffle`, every pass (every `for … of`) draws a new order. The order comes from the
 * library's global generator (so `manualSeed` reproduces it), or, when `seed` is given, from the
 * loader's own generator seeded once, so its epochs are reproducible whatever else draws random
 * numbers in between.
 */
import { stack } from '../autograd/functions/shape.js';
import { nextInt, RandomGenerator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { isBatchDataset, type Dataset } from './dataset.js';
import { identityOrder, randomPermutation, type IntSource } from '../tensor/permutation.js';
import { checkOptions, optionKeys } from '../options.js';

/** DataLoader's options. */
export interface DataLoaderOptions {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Visit the samples in a new random order every pass (default false). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Seed of the loader's own shuffling generator (default: use the global generator). */
  seed?: number;
}

/**
 * Iterates a dataset in batches, optionally shuffled.
 * `for (const [xb, yb] of new data.DataLoader(ds, { batchSize: 64, shuffle: true }))`
 */
export class DataLoader implements Iterable<Tensor[]> {
  /** The dataset read. */
  readonly dataset: Dataset;
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether each pass shuffles. */
  readonly shuffle: boolean;
  /** Whether a short last batch is dropped. */
  readonly dropLast: boolean;
  private readonly nextInt: IntSource;

  constructor(dataset: Dataset, options: DataLoaderOptions = {}) {
    checkOptions('DataLoader', options, optionKeys<DataLoaderOptions>({ batchSize: true, shuffle: true, dropLast: true, seed: true }));
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new RangeError(`DataLoader: seed must be an integer, got ${options.seed}`);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    if (options.seed === undefined) {
      this.nextInt = nextInt;
    } else {
      const generator = new RandomGenerator(options.seed);
      this.nextInt = (low, high) => generator.nextInt(low, high);
    }
  }

  /** Batches per pass. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One pass over the dataset (a new order each pass when shuffling). */
  *[Symbol.iterator](): Iterator<Tensor[]> {
    const n = this.dataset.length;
    const order = this.shuffle ? randomPermutation(n, this.nextInt) : identityOrder(n);
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      yield this.fetch(order.subarray(b * this.batchSize, Math.min(n, (b + 1) * this.batchSize)));
    }
  }

  /** The samples at `indices`: gathered by the dataset when it can, else fetched one by one and stacked. */
  private fetch(indices: Int32Array): Tensor[] {
    if (isBatchDataset(this.dataset)) return this.dataset.getBatch(indices);
    const samples = Array.from(indices, (i) => this.dataset.get(i));
    return samples[0].map((_, field) => stack(samples.map((s) => s[field])));
  }
}
