/**
 * The live page (`npm run web`): draw on the pad with a mouse, pen or finger; after every change
 * the drawing becomes a 28×28 input (digit-input.ts) and the demo's CNN gives the ten
 * probabilities (classifier.ts), shown as bars with the most likely digit.
 *
 * Test hook: `window.tsgradDigitPage.paintPixels(pixels)` paints a 28×28 image (784 values in
 * [0, 1], row-major) onto the pad as 10×10 blocks and classifies it through the same path as a
 * drawing; `document.body.dataset.classified` counts the classifications, and each bar carries
 * its exact probability in `data-probability`.
 */
import { wasmKernelsActive, type nn } from 'tsgrad';
import { digitProbabilities, loadClassifier } from './classifier.js';
import { digitInput, MODEL_SIDE } from './digit-input.js';

/** What the page exposes for tests (see the file comment). */
export interface DigitPageHook {
  /** Paints 784 values in [0, 1] (row-major 28×28) as 10×10 grey blocks and classifies the pad. */
  paintPixels(pixels: ArrayLike<number>): void;
}

declare global {
  interface Window {
    /** The page's test hook, set once the weights are loaded. */
    tsgradDigitPage?: DigitPageHook;
  }
}

const element = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html has no #${id}`);
  return found as T;
};
const pad = element<HTMLCanvasElement>('pad');
const preview = element<HTMLCanvasElement>('preview');
const prediction = element('prediction');
const status = element('status');
const bars = element('bars');
const context = pad.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
const previewContext = preview.getContext('2d') as CanvasRenderingContext2D;

const rows = Array.from({ length: 10 }, (_, digit) => {
  const label = document.createElement('span');
  label.textContent = String(digit);
  const track = document.createElement('div');
  track.className = 'track';
  const fill = document.createElement('div');
  fill.className = 'fill';
  track.append(fill);
  const pct = document.createElement('span');
  pct.className = 'pct';
  bars.append(label, track, pct);
  track.dataset.digit = String(digit);
  return { label, track, fill, pct };
});

function clearPad(): void {
  context.fillStyle = '#000';
  context.fillRect(0, 0, pad.width, pad.height);
}

/** Shows the model input in the preview and the probabilities as bars. */
function show(input: Float32Array, probabilities: Float32Array | null): void {
  const image = previewContext.createImageData(MODEL_SIDE, MODEL_SIDE);
  input.forEach((v, i) => image.data.set([v * 255, v * 255, v * 255, 255], i * 4));
  previewContext.putImageData(image, 0, 0);
  let best = -1;
  probabilities?.forEach((p, d) => (best = best < 0 || p > probabilities[best] ? d : best));
  rows.forEach((row, d) => {
    const p = probabilities?.[d] ?? 0;
    row.fill.style.width = `${(p * 100).toFixed(1)}%`;
    row.pct.textContent = probabilities === null ? '' : `${(p * 100).toFixed(1)}%`;
    row.track.dataset.probability = probabilities === null ? '' : String(p);
    for (const part of [row.label, row.track, row.pct]) part.classList.toggle('top', d === best);
  });
  prediction.textContent = best < 0 ? '–' : String(best);
  document.body.dataset.classified = String(Number(document.body.dataset.classified ?? 0) + 1);
}

let model: nn.Sequential | null = null;

/** Reads the pad, and classifies what is on it (nothing drawn: empty bars). */
function classify(): void {
  if (model === null) return;
  const input = digitInput(context.getImageData(0, 0, pad.width, pad.height).data, pad.width, pad.height);
  show(input, input.some((v) => v > 0) ? digitProbabilities(model, input) : null);
}

let pending = false;
/** At most one classification per animation frame while drawing. */
function scheduleClassify(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    classify();
  });
}

let last: { x: number; y: number } | null = null;
const point = (event: PointerEvent) => {
  const box = pad.getBoundingClientRect();
  return { x: ((event.clientX - box.left) * pad.width) / box.width, y: ((event.clientY - box.top) * pad.height) / box.height };
};
pad.addEventListener('pointerdown', (event) => {
  pad.setPointerCapture(event.pointerId);
  last = point(event);
  context.fillStyle = '#fff';
  context.beginPath();
  context.arc(last.x, last.y, 11, 0, 2 * Math.PI);
  context.fill();
  scheduleClassify();
});
pad.addEventListener('pointermove', (event) => {
  if (last === null) return;
  const next = point(event);
  context.strokeStyle = '#fff';
  context.lineWidth = 22;
  context.lineCap = 'round';
  context.lineJoin = 'round';
  context.beginPath();
  context.moveTo(last.x, last.y);
  context.lineTo(next.x, next.y);
  context.stroke();
  last = next;
  scheduleClassify();
});
for (const end of ['pointerup', 'pointercancel'] as const) pad.addEventListener(end, () => (last = null));
element('clear').addEventListener('click', () => {
  clearPad();
  classify();
});

clearPad();
try {
  const response = await fetch('mnist-cnn.safetensors');
  if (!response.ok) throw new Error(`mnist-cnn.safetensors: HTTP ${response.status} (run \`npm start\` first to train and save the weights)`);
  model = loadClassifier(new Uint8Array(await response.arrayBuffer()));
  classify();
  status.textContent = `ready · kernels: ${wasmKernelsActive() ? 'WebAssembly SIMD' : 'JavaScript'}`;
  window.tsgradDigitPage = {
    paintPixels(pixels: ArrayLike<number>): void {
      if (pixels.length !== MODEL_SIDE * MODEL_SIDE) throw new RangeError(`paintPixels: expected ${MODEL_SIDE * MODEL_SIDE} values, got ${pixels.length}`);
      clearPad();
      const block = pad.width / MODEL_SIDE;
      for (let i = 0; i < pixels.length; i++) {
        const level = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
        context.fillStyle = `rgb(${level}, ${level}, ${level})`;
        context.fillRect((i % MODEL_SIDE) * block, Math.floor(i / MODEL_SIDE) * block, block, block);
      }
      classify();
    },
  };
} catch (e: unknown) {
  status.textContent = `failed: ${e instanceof Error ? e.message : String(e)}`;
  throw e;
}
