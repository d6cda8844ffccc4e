/**
 * The embedder's app of the runtime matrix, as a user would write it against the installed
 * package: `Sequential(Linear, ReLU, Linear)` whose weights — and the input batch — come from one
 * safetensors file through `io.loadSafetensors`, a forward pass under `noGrad`, and the output's
 * float32 bits printed as one line. Every runtime's entry (node-main.ts, deno-main.ts, …) reads the
 * file its own way and calls `inferenceLine`; the test compares the lines bit for bit.
 */
import { io, nn, noGrad, wasmKernelsActive } from 'tsgrad';

/** Features in, hidden units, classes out: a depth of 64 is deep enough for the float32 SIMD
 *  gemm and the float64-accumulating JS gemm to round some outputs differently. */
export const LAYER_SIZES = { input: 64, hidden: 32, output: 10 } as const;

/** What every entry prints before its JSON, so the test can find the line among other output. */
export const RESULT_PREFIX = 'tsgrad-inference ';

/** One runtime's answer. */
export interface InferenceResult {
  /** The runtime's own version string. */
  version: string;
  /** Whether the WebAssembly SIMD kernels ran (`wasmKernelsActive()` after the forward pass). */
  wasm: boolean;
  /** The output's float32 values as big-endian hex words, row-major, no separators. */
  bits: string;
}

/** Loads the model and its input from `file`, runs the forward pass, returns the output's bits. */
export function runInference(file: Uint8Array): { wasm: boolean; bits: string } {
  const { input, ...weights } = io.loadSafetensors(file);
  const model = new nn.Sequential(
    new nn.Linear(LAYER_SIZES.input, LAYER_SIZES.hidden),
    new nn.ReLU(),
    new nn.Linear(LAYER_SIZES.hidden, LAYER_SIZES.output),
  );
  model.loadStateDict(weights);
  model.eval();
  const output = noGrad(() => model.forward(input)).toTypedArray();
  if (!(output instanceof Float32Array)) throw new Error(`the output is ${output.constructor.name}, expected Float32Array`);
  const words = new Uint32Array(output.buffer, output.byteOffset, output.length);
  return { wasm: wasmKernelsActive(), bits: Array.from(words, (w) => w.toString(16).padStart(8, '0')).join('') };
}

/** The line an entry prints: the prefix and the JSON of an `InferenceResult`. */
export function inferenceLine(version: string, file: Uint8Array): string {
  const result: InferenceResult = { version, ...runInference(file) };
  return RESULT_PREFIX + JSON.stringify(result);
}
