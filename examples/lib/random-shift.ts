/**
 * Data augmentation for small image sets: every image of a batch moved by a random whole number
 * of pixels (dx, dy ∈ [−maxShift, maxShift], drawn independently per image), the uncovered border
 * filled with 0 (background). A digit shifted by a pixel or two is still the same digit, so the
 * network sees a slightly different training set every epoch and generalises better from few
 * samples — 8,000 MNIST digits in the demo.
 */
import { tensor, type RandomGenerator, type Tensor } from 'tsgrad';

/** images [N, C, H, W] → a new float32 tensor of the same shape, each image shifted at random. */
export function randomShift(images: Tensor, maxShift: number, rng: RandomGenerator): Tensor {
  if (images.ndim !== 4) throw new Error(`randomShift: expected images [N, C, H, W], got shape [${images.shape.join(', ')}]`);
  const [n, channels, height, width] = images.shape;
  const src = images.float().data();
  const out = new Float32Array(src.length);
  const plane = height * width;
  for (let s = 0; s < n; s++) {
    const dy = rng.nextInt(-maxShift, maxShift + 1);
    const dx = rng.nextInt(-maxShift, maxShift + 1);
    // out[y, x] = in[y − dy, x − dx] where that pixel exists: rows [y0, y1), columns [x0, x1).
    const y0 = Math.max(0, dy), y1 = Math.min(height, height + dy);
    const x0 = Math.max(0, dx), x1 = Math.min(width, width + dx);
    for (let c = 0; c < channels; c++) {
      const base = (s * channels + c) * plane;
      for (let y = y0; y < y1; y++) {
        const from = base + (y - dy) * width - dx;
        out.set(src.subarray(from + x0, from + x1), base + y * width + x0);
      }
    }
  }
  return tensor(out, { shape: images.shape });
}
