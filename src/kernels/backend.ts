/**
 * The kernel interface a backend implements. The CPU backend is the default; another backend
 * (gpu.js, `tsgrad/gpu`) implements the same products behind the same signatures, so autograd,
 * nn and every example run unchanged on it. Everything else (elementwise maps, reductions,
 * indexing) always runs on the CPU kernels.
 *
 * All arrays are contiguous, row-major, and of one float type per call.
 */
import type { FloatArray } from './dtype.js';

/**
 * A batched matrix product `out[b] = op(A[b]) · op(B[b])` with `op(A[b])` of shape [m, k] and
 * `op(B[b])` of shape [k, n]. `op` is the identity or, with `transA`/`transB`, the transpose: then
 * A[b] is stored as [k, m] (B[b] as [n, k]). A batch stride of 0 broadcasts one matrix over the batch.
 */
export interface MatmulSpec {
  /** Number of matrix products. */
  batch: number;
  /** Rows of op(A[b]) and of out[b]. */
  m: number;
  /** Columns of op(B[b]) and of out[b]. */
  n: number;
  /** The contracted size: columns of op(A[b]), rows of op(B[b]). */
  k: number;
  /** A[b] is stored as [k, m] (its transpose is used). */
  transA: boolean;
  /** B[b] is stored as [n, k] (its transpose is used). */
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
  /** N, the number of images. */
  batch: number;
  /** Channels of x. */
  inChannels: number;
  /** Height of x. */
  inH: number;
  /** Width of x. */
  inW: number;
  /** Channels of out (filters in w). */
  outChannels: number;
  /** Kernel height. */
  kH: number;
  /** Kernel width. */
  kW: number;
  /** Height of out. */
  outH: number;
  /** Width of out. */
  outW: number;
  /** Vertical stride. */
  strideH: number;
  /** Horizontal stride. */
  strideW: number;
  /** Zero rows above x (those below follow from outH). */
  padTop: number;
  /** Zero columns left of x (those right follow from outW). */
  padLeft: number;
  /** Vertical spacing between kernel taps. */
  dilationH: number;
  /** Horizontal spacing between kernel taps. */
  dilationW: number;
  /** Channel groups: each output channel sees inChannels/groups input channels. */
  groups: number;
}

/** The products a backend provides. Each writes (overwrites) its `out` argument. */
export interface Backend {
  /** A short name: 'cpu', 'gpujs-webgl2', … */
  readonly name: string;
  /** out = op(A)·op(B) for each of the `batch` matrix pairs described by `spec`. */
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void;
  /** out = conv2d(x, w), no bias. */
  conv2d(x: FloatArray, w: FloatArray, out: FloatArray, spec: Conv2dSpec): void;
  /** gradX = ∂L/∂x given gradOut = ∂L/∂out (the transposed convolution of gradOut with w). */
  conv2dInputGrad(gradOut: FloatArray, w: FloatArray, gradX: FloatArray, spec: Conv2dSpec): void;
  /** gradW = ∂L/∂w given x and gradOut. */
  conv2dWeightGrad(x: FloatArray, gradOut: FloatArray, gradW: FloatArray, spec: Conv2dSpec): void;

  // ── int8 products (quantized layers, `quant`) ──
  /**
   * out[i, j] = Σ_p a[i, p]·b[j, p] in int32 (wrapping modulo 2³² as int32 adds do), for int8 a of
   * shape [m, k] and b of shape [n, k] (a Linear weight's layout): the product of quantized layers.
   */
  matmulInt8(a: Int8Array, b: Int8Array, out: Int32Array, spec: Int8MatmulSpec): void;
}

/** An int8 product `out = A·Bᵀ`: A [m, k] and B [n, k] row-major int8, out [m, n] int32. */
export interface Int8MatmulSpec {
  /** Rows of A and of out. */
  m: number;
  /** Rows of B (columns of out). */
  n: number;
  /** The contracted size: columns of A and of B. */
  k: number;
}
