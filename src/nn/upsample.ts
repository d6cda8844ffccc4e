/**
 * Upsample: PyTorch's `nn.Upsample(size=None, scale_factor=None, mode='nearest',
 * align_corners=None)`, a layer without parameters that resamples (N, C, L) or (N, C, H, W)
 * inputs with `interpolate` (see functional/interpolate.ts for the exact index formulas).
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkInterpolateOptions, interpolate, type InterpolateMode, type InterpolateOptions } from './functional/interpolate.js';
import { Module } from './module.js';

/**
 * Resamples its input to `size` or by `scaleFactor`, by nearest or (bi)linear interpolation.
 * @example new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }).forward(randn([1, 3, 4, 4]))   // [1, 3, 8, 8]
 */
export class Upsample extends Module {
  /** Output spatial size (null when scaleFactor is given). */
  readonly size: number | readonly number[] | null;
  /** Spatial multiplier (null when size is given). */
  readonly scaleFactor: number | readonly number[] | null;
  /** The interpolation mode. */
  readonly mode: InterpolateMode;
  /** (Bi)linear only: corner pixels' centres map onto each other. */
  readonly alignCorners: boolean | null;
  /** With scaleFactor: index by in/out of the computed size instead of by the factor. */
  readonly recomputeScaleFactor: boolean | null;

  constructor(opts: InterpolateOptions) {
    super();
    checkInterpolateOptions('Upsample', opts);
    this.size = opts.size ?? null;
    this.scaleFactor = opts.scaleFactor ?? null;
    this.mode = opts.mode ?? 'nearest';
    this.alignCorners = opts.alignCorners ?? null;
    this.recomputeScaleFactor = opts.recomputeScaleFactor ?? null;
  }

  /** x (N, C, L) or (N, C, H, W) → the same with the new spatial size. */
  override forward(x: Tensor): Tensor {
    const opts: InterpolateOptions = { mode: this.mode };
    if (this.size !== null) opts.size = this.size;
    if (this.scaleFactor !== null) opts.scaleFactor = this.scaleFactor;
    if (this.alignCorners !== null) opts.alignCorners = this.alignCorners;
    if (this.recomputeScaleFactor !== null) opts.recomputeScaleFactor = this.recomputeScaleFactor;
    return interpolate(x, opts, 'Upsample');
  }

  override extraRepr(): string {
    const show = (v: number | readonly number[]) => (typeof v === 'number' ? String(v) : `[${v.join(', ')}]`);
    const what = this.size !== null ? `size=${show(this.size)}` : `scaleFactor=${show(this.scaleFactor as number | readonly number[])}`;
    const corners = this.alignCorners !== null ? `, alignCorners=${this.alignCorners}` : '';
    const recompute = this.recomputeScaleFactor !== null ? `, recomputeScaleFactor=${this.recomputeScaleFactor}` : '';
    return `${what}, mode='${this.mode}'${corners}${recompute}`;
  }
}
