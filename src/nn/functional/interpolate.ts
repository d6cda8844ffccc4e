/**
 * `interpolate(x, {size, scaleFactor, mode, alignCorners})`: PyTorch's `F.interpolate` for
 * 3-d (N, C, L) inputs (mode 'nearest' or 'linear') and 4-d (N, C, H, W) inputs ('nearest' or
 * 'bilinear'). Exactly one of size and scaleFactor is given; with scaleFactor the output size
 * is ⌊in·scaleFactor⌋ and — as PyTorch unless recomputeScaleFactor — the index formulas use
 * the given factor (scale = 1/scaleFactor); with size, or recomputeScaleFactor, scale = in/out.
 *
 * Index formulas, per axis, for output position i (PyTorch's, including its rounding: nearest
 * always computes in float32, linear in the input's float type):
 *   nearest:  out = in → i;  out = 2·in → ⌊i/2⌋;  else min(⌊i·scale⌋, in − 1)
 *   linear:   out = in → i (copy); else the source coordinate
 *               alignCorners:  s = i·(in − 1)/(out − 1)   (0 when out = 1)
 *               otherwise:     s = max(scale·(i + ½) − ½, 0)
 *             reads i0 = min(⌊s⌋, in − 1) and i1 = min(i0 + 1, in − 1) with weights 1 − λ, λ = s − i0.
 * The resampling itself is the Function Interpolate2d (autograd/functions/interpolate.ts); a
 * 3-d input is resampled as a 4-d one of height 1.
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { Interpolate2d } from '../../autograd/functions/interpolate.js';
import type { AxisTaps } from '../../kernels/interpolate.js';
import { checkOptions } from '../../options.js';
import { isFloating, type DType } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The interpolation modes: nearest neighbour, or linear (3-d input) / bilinear (4-d input). */
export type InterpolateMode = 'nearest' | 'linear' | 'bilinear';

/** Options of `interpolate` and `nn.Upsample`: exactly one of size and scaleFactor. */
export interface InterpolateOptions {
  /** Output spatial size: one number for every spatial dim, or one per dim. */
  size?: number | readonly number[];
  /** Multiplier of each spatial size (output ⌊in·scaleFactor⌋): one number, or one per dim. */
  scaleFactor?: number | readonly number[];
  /** 'nearest' (default), 'linear' for (N, C, L) inputs, 'bilinear' for (N, C, H, W). */
  mode?: InterpolateMode;
  /** (Bi)linear only: map the corner pixels' centres onto each other (default false). */
  alignCorners?: boolean;
  /** With scaleFactor: index by in/out of the computed size instead of by the factor (default false). */
  recomputeScaleFactor?: boolean;
}

const validKeys = ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'];

/**
 * Checks the options that do not depend on the input (exactly one of size and scaleFactor, a
 * known mode, alignCorners only with a linear mode); nn.Upsample calls it at construction.
 */
export function checkInterpolateOptions(op: string, opts: InterpolateOptions): void {
  checkOptions(op, opts, validKeys);
  const { size, scaleFactor, mode = 'nearest', alignCorners } = opts;
  if ((size === undefined || size === null) === (scaleFactor === undefined || scaleFactor === null)) {
    throw new TypeError(`${op}: give exactly one of size and scaleFactor`);
  }
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear') {
    throw new TypeError(`${op}: mode must be 'nearest', 'linear' or 'bilinear', got '${String(mode)}'`);
  }
  if (alignCorners !== undefined && alignCorners !== null && mode === 'nearest') {
    throw new TypeError(`${op}: alignCorners can only be set with the interpolating modes 'linear' and 'bilinear'`);
  }
  if (opts.recomputeScaleFactor && scaleFactor === undefined) {
    throw new TypeError(`${op}: recomputeScaleFactor is not meaningful with an explicit size`);
  }
}

/** A per-spatial-dim list from one value or a list of `dims` values. */
function perDim(op: string, name: string, v: number | readonly number[], dims: number, shape: readonly number[]): number[] {
  const list = typeof v === 'number' ? new Array<number>(dims).fill(v) : [...v];
  if (list.length !== dims) {
    throw new ShapeError(`${op}: ${name} ${fmtShape(list)} must have one entry per spatial dim (${dims}) of input shape ${fmtShape(shape)}`);
  }
  return list;
}

/**
 * Resamples x (N, C, L) or (N, C, H, W) to a new spatial size.
 * @example interpolate(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: false })   // [1, 3, 8, 8] → [1, 3, 16, 16]
 */
export function interpolate(x: Tensor, opts: InterpolateOptions, op = 'interpolate'): Tensor {
  checkInterpolateOptions(op, opts);
  const mode = opts.mode ?? 'nearest';
  const spatialDims = x.ndim - 2;
  if (spatialDims !== 1 && spatialDims !== 2) {
    throw new ShapeError(`${op}: expected a 3-d (N, C, L) or 4-d (N, C, H, W) input, got shape ${fmtShape(x.shape)}`);
  }
  if (mode === 'linear' && spatialDims !== 1) throw new ShapeError(`${op}: mode 'linear' needs a 3-d input, got shape ${fmtShape(x.shape)}`);
  if (mode === 'bilinear' && spatialDims !== 2) throw new ShapeError(`${op}: mode 'bilinear' needs a 4-d input, got shape ${fmtShape(x.shape)}`);
  if (mode !== 'nearest' && !isFloating(x.dtype)) throw new DTypeError(`${op}: mode '${mode}' needs a float input, got ${x.dtype}`);
  if (x.dtype === 'bool') throw new DTypeError(`${op}: expected a float or int32 input, got bool`);
  const inSizes = x.shape.slice(2);
  let outSizes: number[];
  let factors: (number | undefined)[];
  if (opts.size !== undefined && opts.size !== null) {
    outSizes = perDim(op, 'size', opts.size, spatialDims, x.shape);
    if (outSizes.some((s) => !Number.isInteger(s) || s < 1)) throw new ShapeError(`${op}: size must hold positive integers, got ${fmtShape(outSizes)}`);
    factors = outSizes.map(() => undefined);
  } else {
    factors = perDim(op, 'scaleFactor', opts.scaleFactor as number | readonly number[], spatialDims, x.shape);
    if (factors.some((f) => !(typeof f === 'number' && f > 0 && Number.isFinite(f)))) {
      throw new ShapeError(`${op}: scaleFactor must hold positive finite numbers, got [${factors.join(',')}]`);
    }
    outSizes = inSizes.map((s, i) => Math.floor(s * (factors[i] as number)));
    if (opts.recomputeScaleFactor) factors = outSizes.map(() => undefined);
  }
  if (inSizes.some((s) => s < 1) || outSizes.some((s) => s < 1)) {
    throw new ShapeError(`${op}: input and output sizes should be greater than 0, got input shape ${fmtShape(x.shape)} and output size ${fmtShape(outSizes)}`);
  }
  const taps = (d: number) => mode === 'nearest'
    ? nearestTaps(inSizes[d], outSizes[d], factors[d])
    : linearTaps(inSizes[d], outSizes[d], factors[d], opts.alignCorners ?? false, x.dtype);
  if (spatialDims === 1) {
    return Interpolate2d.apply(x.contiguous().unsqueeze(2), identityTaps(1), taps(0)).squeeze(2);
  }
  return Interpolate2d.apply(x.contiguous(), taps(0), taps(1));
}

/** Taps that copy an axis unchanged (the height of a 1-d signal). */
function identityTaps(n: number): AxisTaps {
  const index = Int32Array.from({ length: n }, (_, i) => i);
  return { inSize: n, index0: index, index1: index, weight0: new Float64Array(n).fill(1), weight1: new Float64Array(n) };
}

/** PyTorch's nearest-neighbour source of each output position (float32 arithmetic, as PyTorch). */
export function nearestTaps(inSize: number, outSize: number, factor: number | undefined): AxisTaps {
  const f32 = Math.fround;
  const scale = factor !== undefined ? f32(1 / factor) : f32(inSize / outSize);
  const index = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    if (outSize === inSize) index[i] = i;
    else if (outSize === 2 * inSize) index[i] = i >> 1;
    else index[i] = Math.min(Math.floor(f32(i * scale)), inSize - 1);
  }
  return { inSize, index0: index, index1: index, weight0: new Float64Array(outSize).fill(1), weight1: new Float64Array(outSize) };
}

/** PyTorch's linear source positions and weights along one axis (arithmetic in the input's float type). */
export function linearTaps(inSize: number, outSize: number, factor: number | undefined, alignCorners: boolean, dtype: DType): AxisTaps {
  if (outSize === inSize) return identityTaps(inSize);
  const r = dtype === 'float32' ? Math.fround : (v: number) => v;
  let ratio: number;
  if (alignCorners) ratio = outSize > 1 ? r(r(inSize - 1) / (outSize - 1)) : 0;
  else ratio = factor !== undefined ? r(1 / factor) : r(r(inSize) / outSize);
  const taps: AxisTaps = {
    inSize, index0: new Int32Array(outSize), index1: new Int32Array(outSize), weight0: new Float64Array(outSize), weight1: new Float64Array(outSize),
  };
  for (let i = 0; i < outSize; i++) {
    const source = alignCorners ? r(ratio * i) : Math.max(r(r(ratio * (i + 0.5)) - 0.5), 0);
    const i0 = Math.min(Math.trunc(source), inSize - 1);
    const lambda = Math.min(Math.max(r(source - i0), 0), 1);
    taps.index0[i] = i0;
    taps.index1[i] = i0 < inSize - 1 ? i0 + 1 : i0;
    taps.weight0[i] = r(1 - lambda);
    taps.weight1[i] = lambda;
  }
  return taps;
}
