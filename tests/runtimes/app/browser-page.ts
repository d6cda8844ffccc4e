/**
 * Chromium page entry, served under `Content-Security-Policy: script-src 'self'` (no
 * 'wasm-unsafe-eval'): the import must work and the kernels fall back to JS. The line (or the
 * error) goes to the console, where the test reads it.
 */
import { inferenceLine } from './inference.js';

try {
  const file = new Uint8Array(await (await fetch('/weights.safetensors')).arrayBuffer());
  console.log(inferenceLine(navigator.userAgent, file));
} catch (e: unknown) {
  console.error(`page failed: ${e instanceof Error ? e.stack : String(e)}`);
}
