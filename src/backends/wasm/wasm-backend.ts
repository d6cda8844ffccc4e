/**
 * The WebAssembly SIMD backend: a plug-in that serves the float32 kernels where hand-written
 * f32x4 loops pay — the elementwise maps (`elementwise.wat`), the sum (`reduce.wat`), the
 * packed matrix product under matmul, the prepared (pre-packed) products and the convolutions,
 * and the LSTM cell's gate math and gradient (`gemm.wat`) — and hands every other
 * case (float64 and integer arrays, arrays below the size where SIMD wins, ops without a loop,
 * an engine that refused to compile the modules) to the CPU kernel. The elementwise maps and the
 * sum give the CPU's results bit for bit; the float32 product accumulates in float32; the LSTM
 * cell's σ and tanh are float32-accurate polynomials (not the CPU's bits).
 *
 * By default it sits in the chain under any chosen backend wherever the engine has WebAssembly
 * SIMD (the entries install it; the modules are compiled on the first call that uses them);
 * `useWasmKernels(false)` takes it out, `useWasmKernels(true)` puts it back.
 */
import type { BackendPlugin, PreparedMatmul } from '../../kernels/backend.js';
import { convKernels, type ConvKernels } from '../../kernels/conv2d.js';
import type { FloatArray } from '../../kernels/dtype.js';
import { gemm } from '../../kernels/gemm.js';
import { addSpan } from '../../kernels/im2col.js';
import { matmulKernels, type MatmulKernels, type PackedProduct, prefersDirect } from '../../kernels/matmul.js';
import { eightSums, sumBlocksUsing } from '../../kernels/reduce.js';
import { cpuBackend, useBaseBackend } from '../../kernels/registry.js';
import { tryWasmBinary, tryWasmUnary } from './elementwise-wasm.js';
import { type PackedB, tryWasmLstmCell, tryWasmLstmCellGrad, wasmGemm, wasmGemmPacked, wasmPackB } from './gemm-wasm.js';
import { matmulInt8Wasm } from './int8-wasm.js';
import { tryWasmSum8 } from './reduce-wasm.js';
import { enableWasmKernelsLazily, setWasmKernelsEnabled, wasmKernelsActive, wasmSimdAvailable } from './simd.js';

/** The packed product: the SIMD gemm when all three arrays are float32 and the kernels run, else the CPU's. */
const simdOrCpuGemm: PackedProduct = (a, aOff, aRow, aCol, b, bOff, bRow, bCol, out, outOff, m, n, k, accumulate) => {
  const allFloat32 = a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array;
  (allFloat32 && wasmKernelsActive() ? wasmGemm : gemm)(a, aOff, aRow, aCol, b, bOff, bRow, bCol, out, outOff, m, n, k, accumulate);
};

/** The span add of the convolutions' input gradient, on the f32x4 add where it runs. */
function simdOrCpuAddSpan(dst: FloatArray, to: number, src: FloatArray, from: number, n: number): void {
  if (!tryWasmBinary('add', dst, to, src, from, 1, dst.subarray(to, to + n), n)) addSpan(dst, to, src, from, n);
}

/** The matrix products on the SIMD gemm (the worker pool's threads run slices of them). */
export const wasmMatmul: MatmulKernels = matmulKernels(simdOrCpuGemm);

/**
 * `prepareMatmul` on the SIMD gemm: B packed on the first product that takes the packed path and
 * reused by the later ones (the dispatch per call is `matmul`'s, so the results are its own).
 */
function prepareWasmMatmul(b: FloatArray, n: number, k: number, transB: boolean): PreparedMatmul {
  const bRow = transB ? 1 : n, bCol = transB ? k : 1;
  let packed: PackedB | null = null;
  return (a, out, m) => {
    const simd = a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array && wasmKernelsActive();
    if (!simd || prefersDirect(m, n, k)) {
      wasmMatmul.matmul2d(a, 0, k, 1, b, 0, bRow, bCol, out, 0, m, n, k);
      return;
    }
    packed ??= wasmPackB(b, 0, bRow, bCol, n, k);
    wasmGemmPacked(a, 0, k, 1, packed, out, 0, m, false);
  };
}

/** The convolution kernels on the SIMD gemm and span add. */
export const wasmConv: ConvKernels = convKernels(wasmMatmul.matmul2d, simdOrCpuAddSpan);

/** The WebAssembly SIMD plug-in (see the file comment). */
export const wasmBackend: BackendPlugin = {
  name: 'wasm',
  unary(op, src, out, n, p, q) {
    if (!tryWasmUnary(op, src, out, n)) cpuBackend.unary(op, src, out, n, p, q);
  },
  binaryFlat(op, a, ai, b, bi, bStep, out, n) {
    if (!tryWasmBinary(op, a, ai, b, bi, bStep, out, n)) cpuBackend.binaryFlat(op, a, ai, b, bi, bStep, out, n);
  },
  sum: sumBlocksUsing((src, start, n, sums) => {
    if (!tryWasmSum8(src, start, n, sums)) eightSums(src, start, n, sums);
  }),
  matmul: wasmMatmul.matmul,
  prepareMatmul: prepareWasmMatmul,
  lstmCell(a, xp, xBase, cPrev, cOut, mOut, gates, N, H) {
    if (!tryWasmLstmCell(a, xp, xBase, cPrev, cOut, mOut, gates, N, H)) cpuBackend.lstmCell(a, xp, xBase, cPrev, cOut, mOut, gates, N, H);
  },
  lstmCellGrad(gates, gBase, c, cPrev, grads, da, N, H) {
    if (!tryWasmLstmCellGrad(gates, gBase, c, cPrev, grads, da, N, H)) cpuBackend.lstmCellGrad(gates, gBase, c, cPrev, grads, da, N, H);
  },
  conv2d: wasmConv.conv2d,
  conv2dInputGrad: wasmConv.conv2dInputGrad,
  conv2dWeightGrad: wasmConv.conv2dWeightGrad,
  matmulInt8: matmulInt8Wasm,
};

/**
 * Turns the WebAssembly SIMD kernels on (the default where the engine supports them) or off,
 * putting the WebAssembly backend in the chain under the chosen backend or taking it out: off,
 * the float32 matrix product runs the typed-array kernel that accumulates float32 inputs in
 * float64 (slower, but bit-for-bit the same as before the SIMD kernel existed), and the float32
 * elementwise maps and sums, whose results are the same either way, run their JS loops.
 * Benchmarks use it to time both; turning it on where the kernels cannot run (no SIMD, or
 * compiling refused) throws, saying why.
 *
 * @example useWasmKernels(false)   // time the typed-array kernels
 */
export function useWasmKernels(on: boolean): void {
  setWasmKernelsEnabled(on);
  useBaseBackend(on ? wasmBackend : null);
}

let installed = false;

/**
 * The default chain, installed once by the package entries: the WebAssembly backend over the
 * CPU wherever the engine has WebAssembly SIMD. Nothing is compiled here.
 */
export function installWasmBackendByDefault(): void {
  if (installed) return;
  installed = true;
  if (!wasmSimdAvailable) return;
  enableWasmKernelsLazily();
  useBaseBackend(wasmBackend);
}
