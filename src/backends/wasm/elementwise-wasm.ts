/**
 * Float32 elementwise maps on WebAssembly SIMD (the f32x4 loops of `elementwise.wat`), for the
 * contiguous fast paths of the binary and unary ops: tensor ⊕ tensor, tensor ⊕ scalar, ReLU and
 * its backward, −x, |x|, √x.
 *
 * The operands live in JS typed arrays, so each call streams them through this module's memory
 * in chunks of CHUNK floats: copy a chunk in (`TypedArray.set`, a memory copy), one SIMD pass,
 * copy the result out. Both copies together cost far less than the JS loop they replace (which
 * converts every float32 to a double and back, one element at a time); below MIN_ELEMENTS the
 * fixed cost of the calls wins and the JS loop runs instead. The results are the same bit for
 * bit either way (elementwise.wat's header gives the reason).
 */
import type { TypedArray } from '../../kernels/dtype.js';
import { ELEMENTWISE_WASM_BASE64 } from './elementwise-bytes.js';
import { registerSimdModule, simdInstance, wasmKernelsActive, type SimdInstance } from './simd.js';

/** Floats per chunk: the two operand regions (32 KiB each) stay in L1/L2 between copy and pass. */
const CHUNK = 8192;
/** Byte offsets of the two operand regions; the output overwrites the first. */
const A_AT = 0;
const B_AT = CHUNK * 4;
const MEMORY_BYTES = 2 * CHUNK * 4;
/**
 * Fewer elements than this run the JS loop. Measured for a float32 mul (out/dbg micro-run, this
 * machine): JS 0.135 µs against SIMD 0.172 µs at 64 elements, 0.261 against 0.204 at 128, 0.52
 * against 0.22 at 256; 256 keeps a margin over the crossover near 100.
 */
export const MIN_ELEMENTS = 256;

type PairKernel = (a: number, b: number, o: number, n: number) => void;
type ScalarKernel = (a: number, s: number, o: number, n: number) => void;
type MapKernel = (a: number, o: number, n: number) => void;

const PAIR_OPS = ['add', 'sub', 'mul', 'div', 'reluGrad'] as const;
const SCALAR_OPS = ['add', 'sub', 'mul', 'div'] as const;
const MAP_OPS = ['relu', 'neg', 'abs', 'sqrt'] as const;

/** The binary ops with a SIMD loop (`reluGrad` only tensor by tensor). */
type WasmBinaryOp = (typeof PAIR_OPS)[number];
/** The unary ops with a SIMD loop. */
type WasmUnaryOp = (typeof MAP_OPS)[number];

interface ElementwiseKernels {
  pair: Record<WasmBinaryOp, PairKernel>;
  scalar: Record<(typeof SCALAR_OPS)[number], ScalarKernel>;
  map: Record<WasmUnaryOp, MapKernel>;
  heap: Float32Array;
}

function exported<F>(exports: SimdInstance['exports'], name: string): F {
  const f = exports[name];
  if (typeof f !== 'function') throw new Error(`elementwise.wat: missing export ${name}`);
  return f as F;
}

registerSimdModule('elementwise', ELEMENTWISE_WASM_BASE64, MEMORY_BYTES);

/** The kernels (undefined until first use; null where WebAssembly SIMD cannot run). */
let cached: ElementwiseKernels | null | undefined;

/** The kernels, instantiated on first use, or null. */
function elementwiseKernels(): ElementwiseKernels | null {
  if (cached === undefined) cached = instantiate();
  return cached;
}

function instantiate(): ElementwiseKernels | null {
  const instance = simdInstance('elementwise');
  if (instance === null) return null;
  const { exports } = instance;
  const table = <K extends string, F>(names: readonly K[], suffix: string) =>
    Object.fromEntries(names.map((name) => [name, exported<F>(exports, name + suffix)])) as Record<K, F>;
  return {
    pair: table<WasmBinaryOp, PairKernel>(PAIR_OPS, ''),
    scalar: table<(typeof SCALAR_OPS)[number], ScalarKernel>(SCALAR_OPS, 'Scalar'),
    map: table<WasmUnaryOp, MapKernel>(MAP_OPS, ''),
    heap: new Float32Array(instance.memory.buffer),
  };
}

const A0 = A_AT / 4;
const B0 = B_AT / 4;

/** n rounded up to whole f32x4 vectors (the lanes past n are computed and never read). */
function vectorLength(n: number): number {
  return (n + 3) & ~3;
}

function worthIt(n: number): boolean {
  return n >= MIN_ELEMENTS && wasmKernelsActive();
}

/**
 * out[i] = a[ai + i] ⊕ b[bi + i·bStep] for i < n (bStep 1: a tensor, 0: a scalar), on the SIMD
 * loop when the op has one, every array is float32 and n is large enough; returns false, having
 * done nothing, when not.
 */
export function tryWasmBinary(op: string, a: TypedArray, ai: number, b: TypedArray, bi: number, bStep: number, out: TypedArray, n: number): boolean {
  if (!worthIt(n) || !(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) return false;
  const kernels = elementwiseKernels();
  if (kernels === null) return false;
  const heap = kernels.heap;
  if (bStep === 0) {
    if (!isOneOf(op, SCALAR_OPS)) return false;
    const kernel = kernels.scalar[op];
    const s = b[bi];
    for (let c = 0; c < n; c += CHUNK) {
      const len = Math.min(CHUNK, n - c);
      heap.set(a.subarray(ai + c, ai + c + len), A0);
      kernel(A_AT, s, A_AT, vectorLength(len));
      out.set(heap.subarray(A0, A0 + len), c);
    }
    return true;
  }
  if (!isOneOf(op, PAIR_OPS)) return false;
  const kernel = kernels.pair[op];
  for (let c = 0; c < n; c += CHUNK) {
    const len = Math.min(CHUNK, n - c);
    heap.set(a.subarray(ai + c, ai + c + len), A0);
    heap.set(b.subarray(bi + c, bi + c + len), B0);
    kernel(A_AT, B_AT, A_AT, vectorLength(len));
    out.set(heap.subarray(A0, A0 + len), c);
  }
  return true;
}

/** out[i] = f(src[i]) for i < n on the SIMD loop, under the same conditions as `tryWasmBinary`. */
export function tryWasmUnary(op: string, src: TypedArray, out: TypedArray, n: number): boolean {
  if (!worthIt(n) || !(src instanceof Float32Array && out instanceof Float32Array) || !isOneOf(op, MAP_OPS)) return false;
  const kernels = elementwiseKernels();
  if (kernels === null) return false;
  const kernel = kernels.map[op];
  const heap = kernels.heap;
  for (let c = 0; c < n; c += CHUNK) {
    const len = Math.min(CHUNK, n - c);
    heap.set(src.subarray(c, c + len), A0);
    kernel(A_AT, A_AT, vectorLength(len));
    out.set(heap.subarray(A0, A0 + len), c);
  }
  return true;
}

function isOneOf<K extends string>(op: string, names: readonly K[]): op is K {
  return (names as readonly string[]).includes(op);
}
