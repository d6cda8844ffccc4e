/**
 * A scatter plot as an RGB image: white canvas, faint axes through the origin, each point a small
 * square dot. Points map from the square [−extent, extent]² to pixels (y pointing up).
 */
import type { Tensor, viz } from 'tsgrad';

/** One set of points [n, 2] drawn in one colour. */
export interface ScatterSeries {
  points: Tensor;
  colour: [number, number, number];
}

/** Options of `scatterPlot`. */
export interface ScatterOptions {
  /** Width and height in pixels (default 400). */
  size?: number;
  /** Half-width of the plotted square in data units (default 3). */
  extent?: number;
  /** Side of each dot in pixels (default 2). */
  dot?: number;
}

/** The series drawn in order (later ones on top). */
export function scatterPlot(series: ScatterSeries[], opts: ScatterOptions = {}): viz.PngImage {
  const size = opts.size ?? 400;
  const extent = opts.extent ?? 3;
  const dot = opts.dot ?? 2;
  const pixels = new Uint8Array(size * size * 3).fill(255);
  const paint = (x: number, y: number, rgb: readonly number[]) => {
    if (x >= 0 && x < size && y >= 0 && y < size) pixels.set(rgb, (y * size + x) * 3);
  };
  const toPixel = (v: number) => Math.round(((v + extent) / (2 * extent)) * (size - 1));
  for (let i = 0; i < size; i++) {
    paint(i, toPixel(0), [220, 220, 220]);
    paint(toPixel(0), i, [220, 220, 220]);
  }
  for (const { points, colour } of series) {
    const xy = points.toTypedArray();
    for (let i = 0; i < xy.length; i += 2) {
      const px = toPixel(xy[i]);
      const py = size - 1 - toPixel(xy[i + 1]);
      for (let dy = 0; dy < dot; dy++) for (let dx = 0; dx < dot; dx++) paint(px + dx, py + dy, colour);
    }
  }
  return { width: size, height: size, channels: 3, pixels };
}
