/**
 * A line chart as an RGB image: white canvas, light grid lines at every tenth of the y range and
 * at each x tick, each series a coloured polyline with a dot at each point. No text (the caller
 * says in words what the axes and colours are).
 */
import type { viz } from 'tsgrad';

/** One curve: points (x, y) in order, drawn in one colour. */
export interface LineSeries {
  points: [number, number][];
  colour: [number, number, number];
}

/** Options of `linePlot`. */
export interface LinePlotOptions {
  width?: number;
  height?: number;
  /** The plotted ranges (default: x from the data, y from 0 to 1). */
  xRange?: [number, number];
  yRange?: [number, number];
}

/** The series drawn in order (later ones on top), with a 20-pixel margin. */
export function linePlot(series: LineSeries[], opts: LinePlotOptions = {}): viz.PngImage {
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const [x0, x1] = opts.xRange ?? [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = opts.yRange ?? [0, 1];
  const margin = 20;
  const pixels = new Uint8Array(width * height * 3).fill(255);
  const paint = (x: number, y: number, rgb: readonly number[]) => {
    if (x >= 0 && x < width && y >= 0 && y < height) pixels.set(rgb, (y * width + x) * 3);
  };
  const px = (x: number) => Math.round(margin + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * margin - 1));
  const py = (y: number) => Math.round(height - margin - 1 - ((y - y0) / (y1 - y0 || 1)) * (height - 2 * margin - 1));
  for (let i = 0; i <= 10; i++) {
    const row = py(y0 + (i / 10) * (y1 - y0));
    const shade = i === 0 || i === 10 ? 160 : 225;
    for (let x = px(x0); x <= px(x1); x++) paint(x, row, [shade, shade, shade]);
  }
  for (const x of new Set(xs)) for (let y = py(y1); y <= py(y0); y += 3) paint(px(x), y, [235, 235, 235]);
  for (const { points, colour } of series) {
    // Bresenham-free: step along the longer side of each segment, one pixel at a time.
    for (let i = 1; i < points.length; i++) {
      const [ax, ay] = [px(points[i - 1][0]), py(points[i - 1][1])];
      const [bx, by] = [px(points[i][0]), py(points[i][1])];
      const steps = Math.max(Math.abs(bx - ax), Math.abs(by - ay), 1);
      for (let s = 0; s <= steps; s++) {
        const x = Math.round(ax + ((bx - ax) * s) / steps);
        const y = Math.round(ay + ((by - ay) * s) / steps);
        paint(x, y, colour);
        paint(x, y + 1, colour);
      }
    }
    for (const [x, y] of points) for (let d = -1; d <= 1; d++) for (let e = -1; e <= 1; e++) paint(px(x) + d, py(y) + e, colour);
  }
  return { width, height, channels: 3, pixels };
}
