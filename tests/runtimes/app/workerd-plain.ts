/**
 * workerd entry without the `.wasm` imports: importing tsgrad must still work, the refused
 * compile falls back to the JS kernels, and `wasmKernelsActive()` says false.
 */
import weights from './weights.safetensors';
import { inferenceLine } from './inference.js';

export default {
  fetch: (): Response => new Response(inferenceLine('workerd', new Uint8Array(weights))),
};
