/**
 * Calling the model in batches. Every method of `explain` evaluates f on many inputs at once
 * (interpolation paths, noisy copies, coalitions): up to `batchSize` rows per forward call, so the
 * model sees a few large batches instead of thousands of single inputs. The rows of one batch must
 * not influence each other (a model in eval mode: no batch statistics, no dropout).
 */
import { ShapeError, DTypeError, fmtShape } from '../errors.js';
import { grad } from '../autograd/grad.js';
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { cat } from '../autograd/functions/shape.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { allocate, isFloating, type TypedArray } from '../kernels/dtype.js';
import type { ScorePicker } from './target.js';

/** A model or closure being explained: a batch [M, …] in, outputs [M, …] out. */
export type ExplainedFunction = (x: Tensor) => Tensor;

/** Rows per forward call when `batchSize` is not given. */
export const DEFAULT_BATCH_SIZE = 256;

/** Checks `batchSize` and returns it (or the default). */
export function batchSizeOf(method: string, batchSize: number | undefined): number {
  const size = batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`${method}: batchSize must be a positive integer, got ${size}`);
  return size;
}

/** Checks that x is a float batch [N, …features] with N ≥ 1. */
export function checkInput(method: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${method}: x must be a Tensor [N, …features], got ${typeof x}`);
  if (x.ndim < 2 || x.shape[0] < 1) throw new ShapeError(`${method}: x must be a batch [N, …features] with N ≥ 1 (add a batch dim with unsqueeze(0)), got ${fmtShape(x.shape)}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`${method}: x must be float32 or float64, got ${x.dtype}`);
}

function callF(method: string, f: ExplainedFunction, input: Tensor): Tensor {
  const output = f(input);
  if (!(output instanceof Tensor) || output.ndim < 1 || output.shape[0] !== input.shape[0]) {
    const got = output instanceof Tensor ? fmtShape(output.shape) : typeof output;
    throw new ShapeError(`${method}: f must map a batch ${fmtShape(input.shape)} to outputs with ${input.shape[0]} rows, got ${got}`);
  }
  return output;
}

/**
 * Scores of `rows` inputs of shape featureShape, built batch by batch: `fill(row, data, offset)`
 * writes input `row` into `data` at `offset`. Only one batch of inputs exists at a time.
 */
export function scoreRows(
  method: string, f: ExplainedFunction, pick: ScorePicker, rows: number, featureShape: readonly number[], dtype: 'float32' | 'float64',
  fill: (row: number, data: TypedArray, offset: number) => void, sampleOfRow: (row: number) => number, batchSize: number,
): Float64Array {
  const size = featureShape.reduce((a, b) => a * b, 1);
  const scores = new Float64Array(rows);
  noGrad(() => {
    for (let start = 0; start < rows; start += batchSize) {
      const count = Math.min(batchSize, rows - start);
      const data = allocate(dtype, count * size);
      const samples = new Int32Array(count);
      for (let r = 0; r < count; r++) {
        fill(start + r, data, r * size);
        samples[r] = sampleOfRow(start + r);
      }
      const input = new Tensor(data, [count, ...featureShape], { dtype });
      const batch = pick(callF(method, f, input), samples).toTypedArray();
      for (let r = 0; r < count; r++) scores[start + r] = batch[r];
    }
  });
  return scores;
}

/**
 * ∂score/∂input for each row of `inputs` [M, …], in batches of `batchSize` rows. The rows are
 * independent, so the gradient of the summed scores of a batch is each row's own gradient.
 * A score that does not depend on the input has gradient zero.
 */
export function gradientRows(
  method: string, f: ExplainedFunction, pick: ScorePicker, inputs: Tensor, sampleOfRow: (row: number) => number, batchSize: number,
): Tensor {
  const rows = inputs.shape[0];
  const parts: Tensor[] = [];
  for (let start = 0; start < rows; start += batchSize) {
    const count = Math.min(batchSize, rows - start);
    const chunk = inputs.narrow(0, start, count).detach().contiguous().requiresGrad_();
    const samples = Int32Array.from({ length: count }, (_, r) => sampleOfRow(start + r));
    const g = enableGrad(() => {
      const scores = pick(callF(method, f, chunk), samples);
      // a score computed without recording (a constant, a detached value) has gradient zero
      return scores.requiresGrad ? grad(scores.sum(), [chunk], { allowUnused: true })[0] : null;
    });
    parts.push(g ? g.detach() : zerosLike(chunk));
  }
  return parts.length === 1 ? parts[0] : cat(parts, 0);
}
