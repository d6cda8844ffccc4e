/**
 * Writing pictures for the examples: PNG bytes from `viz.encodePng` to a file (creating its
 * folder), and a [height, width] tensor of values in [0, 1] as an 8-bit gray image.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { viz, type Tensor } from 'tsgrad';

/** Writes `image` as a PNG file at `path`, creating the folder if needed. */
export function savePng(path: string, image: viz.PngImage): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, viz.encodePng(image));
}

/** A [height, width] tensor (0 = black, 1 = white; clamped) as a gray image, each value a `scale`×`scale` block. */
export function grayImage(t: Tensor, scale = 1): viz.PngImage {
  const [height, width] = t.shape;
  const values = t.toTypedArray();
  const pixels = new Uint8Array(height * scale * width * scale);
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const v = values[Math.floor(y / scale) * width + Math.floor(x / scale)];
      pixels[y * width * scale + x] = Math.round(255 * Math.min(1, Math.max(0, v)));
    }
  }
  return { width: width * scale, height: height * scale, channels: 1, pixels };
}
