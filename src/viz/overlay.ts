/**
 * Attribution overlays: a heat map of per-pixel scores (saliency, integrated gradients, SHAP or
 * LIME values) blended over the image they explain, so the evidence is seen on the picture.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { rampColour } from './heatmap.js';
import type { PngImage } from './png.js';

/** Options of `heatmapOverlay`. */
export interface HeatmapOverlayOptions {
  /** Weight of the heat map against the image, in [0, 1] [0.5]. */
  alpha?: number;
  /** Pixels per element along each side [1]. */
  scale?: number;
  /** Score drawn with the first colour of the ramp [the scores' minimum]. */
  min?: number;
  /** Score drawn with the last colour of the ramp [the scores' maximum]. */
  max?: number;
}

/**
 * `scores` [H, W] coloured on `viz.heatmap`'s ramp and blended over `image` — gray [H, W] or
 * [1, H, W], or RGB [3, H, W], values in [0, 1] (clamped) — as an RGB image:
 * pixel = (1 − alpha)·image + alpha·colour(score). For signed scores pass min = −max, so 0 sits
 * mid-ramp.
 *
 * @example viz.encodePng(viz.heatmapOverlay(image, attributions.abs(), { alpha: 0.6, scale: 4 }))
 */
export function heatmapOverlay(image: Tensor, scores: Tensor, opts: HeatmapOverlayOptions = {}): PngImage {
  checkOptions('heatmapOverlay', opts, optionKeys<HeatmapOverlayOptions>({ alpha: true, scale: true, min: true, max: true }));
  const colour = image.ndim === 3 && image.shape[0] === 3;
  const gray = image.ndim === 2 || (image.ndim === 3 && image.shape[0] === 1);
  if (!colour && !gray) throw new ShapeError(`heatmapOverlay: image must be [H, W], [1, H, W] or [3, H, W], got ${fmtShape(image.shape)}`);
  const [height, width] = image.shape.slice(-2);
  if (scores.ndim !== 2 || scores.shape[0] !== height || scores.shape[1] !== width) {
    throw new ShapeError(`heatmapOverlay: scores must be [${height},${width}] like the image ${fmtShape(image.shape)}, got ${fmtShape(scores.shape)}`);
  }
  const alpha = opts.alpha ?? 0.5;
  const scale = opts.scale ?? 1;
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`heatmapOverlay: alpha must be in [0, 1], got ${alpha}`);
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`heatmapOverlay: scale must be a positive integer, got ${scale}`);
  const pixels = image.toTypedArray();
  const values = scores.toTypedArray();
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const min = opts.min ?? lo;
  const max = opts.max ?? hi;
  const span = max > min ? max - min : 1;
  const plane = height * width;
  const outWidth = width * scale;
  const out = new Uint8Array(height * scale * outWidth * 3);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const p = r * width + c;
      const ramp = rampColour((values[p] - min) / span);
      const rgb = [0, 1, 2].map((k) => {
        const base = 255 * Math.min(1, Math.max(0, pixels[colour ? k * plane + p : p]));
        return Math.round((1 - alpha) * base + alpha * ramp[k]);
      });
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) out.set(rgb, ((r * scale + dy) * outWidth + c * scale + dx) * 3);
      }
    }
  }
  return { width: outWidth, height: height * scale, channels: 3, pixels: out };
}
