/**
 * The quantization arithmetic: how float values become int8 and back.
 *
 * Weights, per output channel o, symmetric:  scale_o = max_j |w[o, j]| / 127,
 *   q[o, j] = clamp(round(w[o, j] / scale_o), −127, 127),  w ≈ scale_o · q.
 * The range stops at −127 so that +w and −w quantize to opposite values.
 *
 * Activations, per tensor, affine over [min(x_min, 0), max(x_max, 0)] (0 must be exact: zero
 * padding and ReLU outputs are full of it):
 *   scale = (max − min) / 255,  zeroPoint = clamp(round(−128 − min / scale), −128, 127),
 *   q = clamp(round(x / scale) + zeroPoint, −128, 127),  x ≈ scale · (q − zeroPoint).
 *
 * Rounding is to nearest, ties to even (what PyTorch's quantize_per_tensor and
 * quantize_per_channel do). Scales are float32 values, as they are stored. An activation NaN
 * quantizes to the zero point.
 */

/** 1.5·2⁵²: adding and subtracting it rounds a float64 of magnitude below 2⁵¹ to an integer, ties to even. */
const ROUNDER = 6755399441055744;

/** x rounded to the nearest integer, ties to the even one (2.5 → 2, 3.5 → 4, −2.5 → −2), for |x| < 2⁵¹. */
export function roundHalfEven(x: number): number {
  // The sum has no fraction bits left, so the addition itself rounds (IEEE round-to-nearest-even).
  return x + ROUNDER - ROUNDER;
}

/** Weights quantized per output channel: int8 values and one float32 scale per channel. */
export interface ChannelQuantized {
  /** [channels, perChannel] in [−127, 127]. */
  values: Int8Array;
  /** One per channel, so that w ≈ scales[o] · values[o, j]. */
  scales: Float32Array;
}

/**
 * Symmetric per-channel quantization of `w`, read as `channels` rows (the first dim of a Linear
 * or Conv2d weight). A channel of zeros gets scale 1 (its values stay 0).
 *
 * @example quantizePerChannel(Float32Array.of(0.5, -1, 2, 4), 2) // values [64, -127, 64, 127], scales [1/127, 4/127]
 */
export function quantizePerChannel(w: ArrayLike<number>, channels: number): ChannelQuantized {
  const per = channels === 0 ? 0 : w.length / channels;
  const values = new Int8Array(w.length);
  const scales = new Float32Array(channels);
  for (let o = 0; o < channels; o++) {
    let amax = 0;
    for (let j = 0; j < per; j++) amax = Math.max(amax, Math.abs(w[o * per + j]));
    const scale = amax > 0 ? Math.fround(amax / 127) : 1;
    scales[o] = scale;
    for (let j = 0; j < per; j++) values[o * per + j] = Math.max(-127, Math.min(127, roundHalfEven(w[o * per + j] / scale)));
  }
  return { values, scales };
}

/** The scale and zero point of an int8 activation tensor. */
export interface ActivationParams {
  /** Real value of one step. */
  scale: number;
  /** The int8 value that stands for real 0. */
  zeroPoint: number;
}

/** The smallest and largest of `x` (both 0 for an empty x; NaN is skipped). */
export function rangeOf(x: ArrayLike<number>): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  return { min, max };
}

/**
 * The affine int8 parameters covering [min, max] widened to include 0 (see the file comment). An
 * all-zero range gets scale 1. Infinite bounds are refused: no finite scale covers them.
 */
export function activationParams(min: number, max: number, op = 'quant'): ActivationParams {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`${op}: cannot quantize an activation range [${min}, ${max}]; it must be finite`);
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  const scale = hi > lo ? Math.fround((hi - lo) / 255) : 1;
  const zeroPoint = Math.max(-128, Math.min(127, roundHalfEven(-128 - lo / scale)));
  return { scale, zeroPoint };
}

/**
 * `x` quantized with `p` into `out` (a new Int8Array by default): clamp(round(x·(1/scale)) + zeroPoint)
 * — multiplying by the reciprocal, as FBGEMM's quantize does, rather than dividing.
 */
export function quantizeActivations(x: ArrayLike<number>, p: ActivationParams, out: Int8Array = new Int8Array(x.length)): Int8Array {
  const inverse = 1 / p.scale;
  const zeroPoint = p.zeroPoint;
  for (let i = 0; i < x.length; i++) {
    const q = x[i] * inverse + ROUNDER - ROUNDER + zeroPoint;
    out[i] = q < -128 ? -128 : q > 127 ? 127 : q;
  }
  return out;
}
