/**
 * workerd entry with the fast kernels: Cloudflare Workers compile no WebAssembly at run time, so
 * the Worker imports the package's four `.wasm` files (workerd compiles them when it loads the
 * Worker) and hands them to `provideWasmModules` before the first tensor op. The weights file is
 * a data module (an ArrayBuffer).
 */
import { provideWasmModules } from 'tsgrad';
import gemm from 'tsgrad/wasm/gemm.wasm';
import elementwise from 'tsgrad/wasm/elementwise.wasm';
import reduce from 'tsgrad/wasm/reduce.wasm';
import int8 from 'tsgrad/wasm/int8.wasm';
import weights from './weights.safetensors';
import { inferenceLine } from './inference.js';

provideWasmModules({ gemm, elementwise, reduce, int8 });

export default {
  fetch: (): Response => new Response(inferenceLine('workerd', new Uint8Array(weights))),
};
