/**
 * Node entry: `node node-main.mjs weights.safetensors [--js]`; `--js` switches the WebAssembly
 * kernels off, giving the reference for runtimes where they cannot run.
 */
import { readFileSync } from 'node:fs';
import { useWasmKernels } from 'tsgrad';
import { inferenceLine } from './inference.js';

const [file, flag] = process.argv.slice(2);
if (flag === '--js') useWasmKernels(false);
console.log(inferenceLine(process.version, readFileSync(file)));
