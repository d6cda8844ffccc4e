/**
 * Features of the perturbation methods (KernelSHAP, exact Shapley values, LIME). By default each
 * element of a sample is one feature. A `featureMask` groups elements into features that are
 * switched on and off together — superpixels of an image, the channels of a pixel, one-hot
 * columns of a category: an integer tensor holding a group id for each element of one sample,
 * of the sample's shape [...features] or broadcastable to it (a [H, W] mask for [C, H, W] images
 * groups all channels of a pixel; a leading batch dim of 1 is allowed). The ids need not be
 * contiguous; they are numbered in increasing order. Each group's attribution is written back to
 * all of its elements.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { checkNumberArgs } from '../options.js';
import { tensor } from '../tensor/creation.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../kernels/dtype.js';

/** Elements of one sample grouped into features: groupOf[e] ∈ [0, groups). */
export interface FeatureGroups {
  /** Number of features (groups). */
  groups: number;
  /** The group of each element of a sample, in row-major order. */
  groupOf: Int32Array;
}

/** The groups given by `mask` for samples of shape `featureShape` (each element its own group without a mask). */
export function featureGroups(method: string, mask: Tensor | undefined, featureShape: readonly number[]): FeatureGroups {
  const size = featureShape.reduce((a, b) => a * b, 1);
  if (mask === undefined) return { groups: size, groupOf: Int32Array.from({ length: size }, (_, e) => e) };
  if (!(mask instanceof Tensor)) throw new TypeError(`${method}: featureMask must be an integer Tensor, got ${typeof mask}`);
  const dropped = mask.ndim === featureShape.length + 1 && mask.shape[0] === 1 ? mask.reshape(mask.shape.slice(1)) : mask;
  let fits = dropped.ndim <= featureShape.length;
  if (fits) {
    try {
      fits = broadcastShapes(dropped.shape, featureShape, method).every((d, i) => d === featureShape[i]);
    } catch {
      fits = false;
    }
  }
  if (!fits) throw new ShapeError(`${method}: featureMask of shape ${fmtShape(mask.shape)} does not broadcast to a sample's shape ${fmtShape(featureShape)}`);
  const ids = dropped.expand(featureShape).toTypedArray();
  const distinct = new Map<number, number>();
  for (const id of ids) {
    if (!Number.isInteger(id)) throw new RangeError(`${method}: featureMask must hold integer group ids, got ${id}`);
    distinct.set(id, 0);
  }
  const sorted = [...distinct.keys()].sort((a, b) => a - b);
  sorted.forEach((id, g) => distinct.set(id, g));
  return { groups: sorted.length, groupOf: Int32Array.from(ids, (id) => distinct.get(id) ?? 0) };
}

/** Per-group values `perGroup` [N·groups] written to every element: a tensor of `shape` [N, ...features]. */
export function broadcastGroups(perGroup: Float64Array, { groups, groupOf }: FeatureGroups, shape: readonly number[], dtype: 'float32' | 'float64'): Tensor {
  const n = shape[0];
  const size = groupOf.length;
  const out = allocate(dtype, n * size);
  for (let i = 0; i < n; i++) {
    for (let e = 0; e < size; e++) out[i * size + e] = perGroup[i * groups + groupOf[e]];
  }
  return new Tensor(out, shape, { dtype });
}

/**
 * A feature mask of square superpixels for [h, w] images: cells of `cell`×`cell` pixels, numbered
 * row by row (the last row and column of cells may be smaller). An int32 tensor [h, w].
 *
 * @example explain.gridMask(28, 28, 7) // 16 cells of 7×7 pixels, ids 0…15
 */
export function gridMask(h: number, w: number, cell: number): Tensor {
  checkNumberArgs('explain.gridMask', { h, w, cell });
  for (const [name, v] of [['h', h], ['w', w], ['cell', cell]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`explain.gridMask: ${name} must be a positive integer, got ${v}`);
  }
  const cols = Math.ceil(w / cell);
  const ids = new Int32Array(h * w);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) ids[r * w + c] = Math.floor(r / cell) * cols + Math.floor(c / cell);
  }
  return tensor(ids, { shape: [h, w] });
}
