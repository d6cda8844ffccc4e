/**
 * The kernel interface a backend implements. The CPU backend is the default; another backend
 * (gpu.js, `tsgrad/gpu`) implements the same products behind the same signatures, so autograd,
 * nn and every example run unchanged on it. Everything else (elementwise maps, reductions,
 * indexing) always runs on the CPU kernels.
 *
 * All arrays are contiguous, row-major, and of one float type per call.
 */
import type { FloatArray } from '../tensor/dtype.js';

/**
 * A batched matrix product `out[b] = op(A[b]) · op(B[b])` with `op(A[b])` of shape [m, k] and
 * `op(B[b])` of shape [k, n]. `op` is the identity or, with `transA`/`transB`, the transpose: then
 * A[b] is stored as [k, m] (B[b] as [n, k]). A batch stride of 0 broadcasts one matrix over the batch.
 */
export interface MatmulSpec {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** Elements between consecutive matrices of A (m·k, or 0 to reuse one matrix). */
  aBatchStride: number;
  /** Elements between consecutive matrices of B (k·n, or 0 to reuse one matrix). */
  bBatchStride: number;
}

/**
 * A 2-d convolution (cross-correlation, as PyTorch's) of x [batch, inChannels, inH, inW] with
 * w [outChannels, inChannels/groups, kH, kW] into out [batch, outChannels, outH, outW]:
 *   out[n, o, i, j] = Σ_{c, p, q} x[n, g·Cg + c, i·strideH − padTop + p·dilationH, j·strideW − padLeft + q·dilationW] · w[o, c, p, q]
 * where g = ⌊o / (outChannels/groups)⌋ and reads outside x are zero. Padding on the bottom/right is
 * whatever `outH`/`outW` imply, so asymmetric ('same') padding needs nothing more.
 */
export interface Conv2dSpec {
  batch: number;
  inChannels: number;
  inH: number;
  inW: number;
  outChannels: number;
  kH: number;
  kW: number;
  outH: number;
  outW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  dilationH: number;
  dilationW: number;
  groups: number;
}

/** The products a backend provides. Each writes (overwrites) its `out` argument. */
export interface Backend {
  /** A short name: 'cpu', 'gpujs-webgl2', … */
  readonly name: string;
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void;
  /** out = conv2d(x, w), no bias. */
  conv2d(x: FloatArray, w: FloatArray, out: FloatArray, spec: Conv2dSpec): void;
  /** gradX = ∂L/∂x given gradOut = ∂L/∂out (the transposed convolution of gradOut with w). */
  conv2dInputGrad(gradOut: FloatArray, w: FloatArray, gradX: FloatArray, spec: Conv2dSpec): void;
  /** gradW = ∂L/∂w given x and gradOut. */
  conv2dWeightGrad(x: FloatArray, gradOut: FloatArray, gradW: FloatArray, spec: Conv2dSpec): void;
}
