/**
 * Heat maps: a 2-d tensor (attention weights, an image, a weight matrix) as an RGB image, each
 * element a `scale`×`scale` block coloured by its value on a dark-blue → teal → yellow ramp.
 */
import { ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { encodePng, type PngImage } from './png.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options of `heatmap`. */
export interface HeatmapOptions {
  /** Pixels per element along each side [8]. */
  scale?: number;
  /** Value drawn with the first colour [the tensor's minimum]. */
  min?: number;
  /** Value drawn with the last colour [the tensor's maximum]. */
  max?: number;
}

/** The colour ramp, evenly spaced from low to high values; interpolated linearly between. */
const RAMP: readonly (readonly [number, number, number])[] = [
  [22, 14, 58],
  [38, 84, 146],
  [28, 150, 140],
  [120, 200, 84],
  [246, 230, 52],
];

/** RGB of `u` ∈ [0, 1] on the ramp (NaN is drawn magenta, so it stands out). */
export function rampColour(u: number): [number, number, number] {
  if (Number.isNaN(u)) return [255, 0, 255];
  const x = Math.min(1, Math.max(0, u)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [RAMP[i], RAMP[i + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number];
}

/** A 2-d tensor [rows, cols] as an RGB image of (rows·scale) × (cols·scale) pixels. */
export function heatmap(t: Tensor, opts: HeatmapOptions = {}): PngImage {
  checkOptions('heatmap', opts, optionKeys<HeatmapOptions>({ scale: true, min: true, max: true }));
  if (t.ndim !== 2) throw new ShapeError(`heatmap: expected a 2-d tensor, got ${fmtShape(t.shape)}`);
  const scale = opts.scale ?? 8;
  if (!Number.isInteger(scale) || scale < 1) throw new ShapeError(`heatmap: scale must be a positive integer, got ${scale}`);
  const [rows, cols] = t.shape;
  const values = t.toTypedArray();
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const min = opts.min ?? lo;
  const max = opts.max ?? hi;
  const span = max > min ? max - min : 1;
  const width = cols * scale;
  const pixels = new Uint8Array(rows * scale * width * 3);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const rgb = rampColour((values[r * cols + c] - min) / span);
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) pixels.set(rgb, ((r * scale + dy) * width + c * scale + dx) * 3);
      }
    }
  }
  return { width, height: rows * scale, channels: 3, pixels };
}

/** `heatmap` encoded as PNG bytes. */
export function heatmapPng(t: Tensor, opts: HeatmapOptions = {}): Uint8Array {
  return encodePng(heatmap(t, opts));
}
