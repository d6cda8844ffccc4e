/**
 * From what was drawn to what the CNN reads, as MNIST was prepared: the ink's bounding box is
 * scaled so that its longer side is 20 pixels (averaging the canvas pixels that fall in each
 * model pixel), and placed in the 28×28 field so that its centre of mass is the field's centre.
 * Plain arithmetic on the canvas's RGBA bytes, no DOM, so a test computes the same input in Node.
 */

/** The side of the model's input image. */
export const MODEL_SIDE = 28;
/** The side of the box the digit is scaled into (MNIST's 20×20). */
const DIGIT_BOX = 20;

/**
 * The model input [784] (row-major 28×28, ink in [0, 1]) for an RGBA image `width`×`height` of
 * white ink on black (the red channel is read). All zeros when nothing is drawn.
 *
 * @example digitInput(context.getImageData(0, 0, 280, 280).data, 280, 280)
 */
export function digitInput(rgba: Uint8ClampedArray, width: number, height: number): Float32Array {
  if (rgba.length !== width * height * 4) throw new RangeError(`digitInput: ${rgba.length} bytes is not a ${width}×${height} RGBA image`);
  const out = new Float32Array(MODEL_SIDE * MODEL_SIDE);
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (rgba[(y * width + x) * 4] === 0) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  if (x1 < 0) return out;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const scale = DIGIT_BOX / Math.max(w, h);
  const cols = Math.max(1, Math.round(w * scale));
  const rows = Math.max(1, Math.round(h * scale));
  // Each canvas pixel adds its byte to the model pixel its centre falls in; integer sums keep a
  // uniform block's average exact. Scaling up leaves some model pixels without a canvas pixel:
  // those take the nearest one.
  const sums = new Float64Array(cols * rows);
  const counts = new Float64Array(cols * rows);
  for (let y = y0; y <= y1; y++) {
    const row = Math.floor(((y - y0 + 0.5) * rows) / h);
    for (let x = x0; x <= x1; x++) {
      const cell = row * cols + Math.floor(((x - x0 + 0.5) * cols) / w);
      sums[cell] += rgba[(y * width + x) * 4];
      counts[cell]++;
    }
  }
  const ink = new Float64Array(cols * rows);
  let mass = 0;
  let massX = 0;
  let massY = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const cell = r * cols + c;
      const nearest = (y0 + Math.floor(((r + 0.5) * h) / rows)) * width + x0 + Math.floor(((c + 0.5) * w) / cols);
      const value = (counts[cell] > 0 ? sums[cell] / counts[cell] : rgba[nearest * 4]) / 255;
      ink[cell] = value;
      mass += value;
      massX += value * (c + 0.5);
      massY += value * (r + 0.5);
    }
  }
  // Shift so the centre of mass lands on the field's centre, keeping the box inside the field.
  const clampShift = (shift: number, size: number) => Math.min(MODEL_SIDE - size, Math.max(0, shift));
  const left = clampShift(Math.round(MODEL_SIDE / 2 - massX / mass), cols);
  const top = clampShift(Math.round(MODEL_SIDE / 2 - massY / mass), rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[(top + r) * MODEL_SIDE + left + c] = ink[r * cols + c];
  }
  return out;
}
