/**
 * Which number an explanation explains. A model f maps a batch x [M, …] to outputs [M, K] (one
 * row of K scores per input, e.g. class logits) or to [M] (one score each). Every method of
 * `explain` attributes one scalar per input, as Captum does: the score of a chosen output.
 *
 * The `target` option picks it:
 *   - omitted: f must return [M] or [M, 1]; that value is the score;
 *   - a number k: column k of [M, K], for every sample;
 *   - an array (or 1-d tensor) of N integers: column target[i] for sample i of x [N, …] (and for
 *     every perturbed or interpolated copy of sample i that a method evaluates);
 *   - a function (output [M, …]) → [M]: any reduction of the outputs, e.g. `(y) => y.sum(1)`.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';

/** The score an explanation attributes: see the module comment of `explain` (`target` option). */
export type ExplainTarget = number | readonly number[] | Tensor | ((output: Tensor) => Tensor);

/**
 * Reads the scores out of f's output for rows whose samples are `sampleOfRow` (row r comes from
 * sample sampleOfRow[r] of x). Differentiable: it is built from ops on `output`.
 */
export type ScorePicker = (output: Tensor, sampleOfRow: ArrayLike<number>) => Tensor;

function classIndices(method: string, target: number | readonly number[] | Tensor, n: number): Int32Array {
  const values = typeof target === 'number' ? new Array<number>(n).fill(target) : target instanceof Tensor ? Array.from(target.toTypedArray()) : Array.from(target);
  if (target instanceof Tensor && target.ndim > 1) throw new ShapeError(`${method}: target tensor must be 1-d (one class per sample), got shape ${fmtShape(target.shape)}`);
  if (values.length !== n) throw new ShapeError(`${method}: target has ${values.length} entries for ${n} samples; give one class index per sample, or one number for all`);
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${method}: target class indices must be non-negative integers, got ${v}`);
  }
  return Int32Array.from(values);
}

/** The picker for `target` over x with `n` samples; checks the target's form now, and f's output shape at each call. */
export function resolveTarget(method: string, target: ExplainTarget | undefined, n: number): ScorePicker {
  if (typeof target === 'function') {
    return (output) => {
      const scores = target(output);
      if (!(scores instanceof Tensor) || scores.ndim !== 1 || scores.shape[0] !== output.shape[0]) {
        const got = scores instanceof Tensor ? `shape ${fmtShape(scores.shape)}` : typeof scores;
        throw new ShapeError(`${method}: the target function must map f's output ${fmtShape(output.shape)} to one score per row [${output.shape[0]}], got ${got}`);
      }
      return scores;
    };
  }
  if (target === undefined) {
    return (output) => {
      if (output.ndim === 1) return output;
      if (output.ndim === 2 && output.shape[1] === 1) return output.reshape(output.shape[0]);
      throw new ShapeError(`${method}: f returned ${fmtShape(output.shape)}, more than one score per input; pass target (a class index, one per sample, or a function of the output)`);
    };
  }
  const classes = classIndices(method, target, n);
  return (output, sampleOfRow) => {
    if (output.ndim !== 2) throw new ShapeError(`${method}: a class-index target needs f to return [M, K], got ${fmtShape(output.shape)}`);
    const k = output.shape[1];
    const index = new Int32Array(sampleOfRow.length);
    for (let r = 0; r < index.length; r++) {
      index[r] = classes[sampleOfRow[r]];
      if (index[r] >= k) throw new RangeError(`${method}: target class ${index[r]} is out of range for f's ${k} outputs`);
    }
    return output.gather(1, tensor(index, { shape: [index.length, 1] })).reshape(index.length);
  };
}
