/**
 * The kernel interface a backend implements. The CPU backend is the default; another backend
 * (gpu.js, `tsgrad/gpu`) implements the same products behind the same signatures, so autograd,
 * nn and every example run unchanged on it. Everything else (elementwise maps, reductions,
 * indexing) always runs on the CPU kernels.
 *
 * All arrays are contiguous, row-major, and of one float type per call.
 */
import type { FloatArray } from './dtype.js';
import type { BatchNormSpec, LayerNormSpec } from './normalization.js';
import type { LSTMProjectedSpec, RecurrentSpec, RNNSpec } from './recurrent.js';

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

  // ---- Fused kernels: normalisation (kernels/normalization.ts) ----
  // The fast paths of the batch-norm and layer-norm Functions; the math is stated there and there.

  /** Batch norm, training mode: per-channel mean, biased variance, 1/√(σ² + ε), and out = x̂·γ + β. */
  batchNormForward(
    x: FloatArray, weight: FloatArray | null, bias: FloatArray | null, eps: number, out: FloatArray,
    mean: Float64Array, variance: Float64Array, rstd: Float64Array, spec: BatchNormSpec,
  ): void;
  /** Batch-norm gradients gx = ∂L/∂x, gw = ∂L/∂γ, gb = ∂L/∂β from the forward's mean and rstd. */
  batchNormBackward(
    x: FloatArray, g: FloatArray, weight: FloatArray | null, mean: Float64Array, rstd: Float64Array,
    gx: FloatArray, gw: FloatArray, gb: FloatArray, spec: BatchNormSpec,
  ): void;
  /** Layer norm of rows: per-row mean, 1/√(σ² + ε), and out = x̂·γ + β. */
  layerNormForward(
    x: FloatArray, weight: FloatArray | null, bias: FloatArray | null, eps: number, out: FloatArray,
    mean: Float64Array, rstd: Float64Array, spec: LayerNormSpec,
  ): void;
  /** Layer-norm gradients gx = ∂L/∂x, gw = ∂L/∂γ, gb = ∂L/∂β from the forward's mean and rstd. */
  layerNormBackward(
    x: FloatArray, g: FloatArray, weight: FloatArray | null, mean: Float64Array, rstd: Float64Array,
    gx: FloatArray, gw: FloatArray, gb: FloatArray, spec: LayerNormSpec,
  ): void;

  // ---- Fused kernels: recurrences over a whole sequence (kernels/recurrent-*.ts) ----
  // The fast paths of the sequence Functions in nn/recurrent/, which give the equations and the
  // composed tensor-op definition. Called as methods: the step products go through `this.matmul`.
  // Gradient outputs passed as null are not computed.

  /** Elman RNN forward: y [L, N, H] from xp [L, N, H], W_hh [H, H], h0 [N, H]. */
  rnnSequenceForward(xp: FloatArray, whh: FloatArray, h0: FloatArray, y: FloatArray, spec: RNNSpec): void;
  /** Elman RNN backward (BPTT): ∂xp, ∂W_hh, ∂h0 from gy = ∂L/∂y. */
  rnnSequenceBackward(
    gy: FloatArray, y: FloatArray, whh: FloatArray, h0: FloatArray, dxp: FloatArray, dwhh: FloatArray | null, dh0: FloatArray, spec: RNNSpec,
  ): void;
  /** LSTM forward: y [L, 2, N, H] (h_t, c_t) and gates [L, N, 4H] from xp [L, N, 4H], W_hh, h0, c0. */
  lstmSequenceForward(xp: FloatArray, whh: FloatArray, h0: FloatArray, c0: FloatArray, y: FloatArray, gates: FloatArray, spec: RecurrentSpec): void;
  /** LSTM backward (BPTT): ∂xp, ∂W_hh, ∂h0, ∂c0 from gy = ∂L/∂y. */
  lstmSequenceBackward(
    gy: FloatArray, y: FloatArray, gates: FloatArray, whh: FloatArray, h0: FloatArray, c0: FloatArray,
    dxp: FloatArray, dwhh: FloatArray | null, dh0: FloatArray, dc0: FloatArray, spec: RecurrentSpec,
  ): void;
  /** Projected LSTM forward: y [L, N, P + H] (h_t, c_t), gates [L, N, 4H], ms [L, N, H] from xp, W_hh, W_hr, h0, c0. */
  lstmProjectedForward(
    xp: FloatArray, whh: FloatArray, whr: FloatArray, h0: FloatArray, c0: FloatArray,
    y: FloatArray, gates: FloatArray, ms: FloatArray, spec: LSTMProjectedSpec,
  ): void;
  /** Projected LSTM backward (BPTT): ∂xp, ∂W_hh, ∂W_hr, ∂h0, ∂c0 from gy = ∂L/∂y. */
  lstmProjectedBackward(
    gy: FloatArray, y: FloatArray, gates: FloatArray, ms: FloatArray, whh: FloatArray, whr: FloatArray, h0: FloatArray, c0: FloatArray,
    dxp: FloatArray, dwhh: FloatArray | null, dwhr: FloatArray | null, dh0: FloatArray, dc0: FloatArray, spec: LSTMProjectedSpec,
  ): void;
  /** GRU forward: y [L, N, H] and kept [L, N, 4H] (r, z, n, gh_n) from xp [L, N, 3H], W_hh, b_hh, h0. */
  gruSequenceForward(xp: FloatArray, whh: FloatArray, bhh: FloatArray, h0: FloatArray, y: FloatArray, kept: FloatArray, spec: RecurrentSpec): void;
  /** GRU backward (BPTT): ∂xp, ∂W_hh, ∂b_hh, ∂h0 from gy = ∂L/∂y. */
  gruSequenceBackward(
    gy: FloatArray, y: FloatArray, kept: FloatArray, whh: FloatArray, h0: FloatArray,
    dxp: FloatArray, dwhh: FloatArray | null, dbhh: FloatArray | null, dh0: FloatArray, spec: RecurrentSpec,
  ): void;
}
