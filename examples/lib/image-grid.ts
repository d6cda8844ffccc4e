/**
 * Tiles a batch of single-channel images into one picture, row by row, with a gap between tiles:
 * [N, H, W] (or [N, 1, H, W], or [N, H·W] with `side` given) → [rows·(H + gap) − gap, cols·(W + gap) − gap].
 * Missing tiles in the last row and the gaps are filled with `background`.
 */
import { cat, full, noGrad, pad, type Tensor } from 'tsgrad';

/** Options of `imageGrid`. */
export interface ImageGridOptions {
  /** Tiles per row (default: ⌈√N⌉). */
  cols?: number;
  /** Pixels between tiles (default 1). */
  gap?: number;
  /** Value of the gaps and empty tiles (default 0.5, mid grey). */
  background?: number;
  /** Side of a square image when the batch comes flattened as [N, side²]. */
  side?: number;
}

/** One [height, width] tensor showing every image of `images` as a tile. */
export function imageGrid(images: Tensor, opts: ImageGridOptions = {}): Tensor {
  return noGrad(() => {
    const n = images.shape[0];
    const [h, w] = opts.side ? [opts.side, opts.side] : images.shape.slice(-2);
    const cols = opts.cols ?? Math.ceil(Math.sqrt(n));
    const rows = Math.ceil(n / cols);
    const gap = opts.gap ?? 1;
    const background = opts.background ?? 0.5;
    let tiles = images.reshape(n, h, w);
    // a gap on the right and at the bottom of every tile; the last ones are cut off at the end
    tiles = pad(tiles, [0, gap, 0, gap], { mode: 'constant', value: background });
    if (rows * cols > n) tiles = cat([tiles, full([rows * cols - n, h + gap, w + gap], background)], 0);
    // [rows, cols, H', W'] → [rows, H', cols, W'] → one picture
    const picture = tiles.reshape(rows, cols, h + gap, w + gap).permute(0, 2, 1, 3).reshape(rows * (h + gap), cols * (w + gap));
    return picture.narrow(0, 0, rows * (h + gap) - gap).narrow(1, 0, cols * (w + gap) - gap).contiguous();
  });
}
