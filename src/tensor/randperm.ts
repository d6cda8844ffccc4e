/**
 * randperm: a uniformly random order of 0 … n−1 as an int32 tensor (PyTorch's `torch.randperm`),
 * drawn from the library's global seeded generator or from a `RandomGenerator` of the caller's,
 * so a data split can have its own reproducible stream.
 */
import { ShapeError } from '../errors.js';
import { checkOptions } from '../options.js';
import { randomPermutation } from './permutation.js';
import { nextInt, type RandomGenerator } from './random.js';
import { Tensor } from './tensor.js';

/** Options of `randperm`. */
export interface RandpermOptions {
  /** The stream to draw from; the global generator (seeded by `manualSeed`) when left out. */
  generator?: RandomGenerator;
}

/**
 * A random permutation of 0 … n−1 (int32, shape [n]).
 *
 * @example randperm(4, { generator: new RandomGenerator(7) }) // the same order on every platform
 */
export function randperm(n: number, opts: RandpermOptions = {}): Tensor {
  checkOptions('randperm', opts, ['generator']);
  if (!Number.isInteger(n) || n < 0) throw new ShapeError(`randperm: n must be a non-negative integer, got ${n}`);
  const { generator } = opts;
  const draw = generator ? (low: number, high: number) => generator.nextInt(low, high) : nextInt;
  return new Tensor(randomPermutation(n, draw), [n]);
}
