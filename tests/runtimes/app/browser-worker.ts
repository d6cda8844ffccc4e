/** Chromium module-worker entry: runs the app and posts its line (or the error) to the page. */
import { inferenceLine } from './inference.js';

try {
  const file = new Uint8Array(await (await fetch('/weights.safetensors')).arrayBuffer());
  postMessage(inferenceLine(navigator.userAgent, file));
} catch (e: unknown) {
  postMessage(`worker failed: ${e instanceof Error ? e.stack : String(e)}`);
}
