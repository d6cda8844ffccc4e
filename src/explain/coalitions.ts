/**
 * The value of a coalition of features, as KernelSHAP defines it (Lundberg & Lee, 2017): with the
 * features S taken from the sample x and the others from background rows b,
 *   v(S) = (1/B) Σ_b F(x_S, b_S̄),
 * the expected score when the features outside S are unknown and drawn from the background
 * (features treated as independent). v(∅) = E[F(background)], v(all) = F(x).
 */
import { ShapeError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../kernels/dtype.js';
import { scoreRows, type ExplainedFunction } from './batching.js';
import type { FeatureGroups } from './features.js';
import type { ScorePicker } from './target.js';

/** Everything fixed while the coalitions of the samples of x are evaluated. */
export interface CoalitionGame {
  /** The method's name, for errors. */
  method: string;
  /** The model. */
  f: ExplainedFunction;
  /** Reads the score from f's output. */
  pick: ScorePicker;
  /** The features. */
  features: FeatureGroups;
  /** Background rows, B·D values. */
  background: TypedArray;
  /** Number of background rows B. */
  backgroundRows: number;
  /** A sample's shape. */
  featureShape: readonly number[];
  /** x's dtype. */
  dtype: 'float32' | 'float64';
  /** Rows per forward call. */
  batchSize: number;
}

/** Checks `background` [B, ...featureShape] and returns its values in `dtype`. */
export function backgroundValues(method: string, background: unknown, featureShape: readonly number[], dtype: 'float32' | 'float64'): { values: TypedArray; rows: number } {
  if (!(background instanceof Tensor)) throw new TypeError(`${method}: background must be a Tensor [B,${featureShape.join(',')}] of reference inputs`);
  const fits = background.ndim === featureShape.length + 1 && background.shape[0] >= 1 && featureShape.every((d, i) => background.shape[i + 1] === d);
  if (!fits) throw new ShapeError(`${method}: background must have shape [B,${featureShape.join(',')}] (B ≥ 1 rows shaped as a sample of x), got ${fmtShape(background.shape)}`);
  return { values: background.to(dtype).toTypedArray(), rows: background.shape[0] };
}

/**
 * v(S) for `count` coalitions of sample `sample` (values `xi`): coalition c is the 0/1 bytes
 * coalitions[c·groups … (c+1)·groups). All count·B rows go through f in batches.
 */
export function coalitionValues(game: CoalitionGame, xi: TypedArray, sample: number, coalitions: Uint8Array, count: number): Float64Array {
  const { groups, groupOf } = game.features;
  const size = groupOf.length;
  const b = game.backgroundRows;
  const scores = scoreRows(game.method, game.f, game.pick, count * b, game.featureShape, game.dtype, (row, data, offset) => {
    const c = Math.floor(row / b);
    const from = (row % b) * size;
    for (let e = 0; e < size; e++) data[offset + e] = coalitions[c * groups + groupOf[e]] ? xi[e] : game.background[from + e];
  }, () => sample, game.batchSize);
  const values = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    let s = 0;
    for (let r = 0; r < b; r++) s += scores[c * b + r];
    values[c] = s / b;
  }
  return values;
}
