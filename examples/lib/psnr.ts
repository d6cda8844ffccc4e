/**
 * Peak signal-to-noise ratio of an image estimate against the clean image:
 * PSNR = 10·log₁₀(peak² / MSE), in decibels; higher is better. For pixels in [0, 1], peak = 1.
 */
import type { Tensor } from 'tsgrad';

/** PSNR in dB of `estimate` against `clean` (same shape), averaged over all pixels at once. */
export function psnr(estimate: Tensor, clean: Tensor, peak = 1): number {
  const mse = estimate.sub(clean).pow(2).mean().item();
  return 10 * Math.log10((peak * peak) / mse);
}
