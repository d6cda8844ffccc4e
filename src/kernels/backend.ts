/**
 * The kernel contract: every loop over tensor data that the layers above (tensor, autograd, nn,
 * optim) run goes through one `Backend`, reached with `currentBackend()`. The CPU backend
 * (`cpuBackend`, registry.ts) implements every member in plain TypeScript and is the definition
 * of each kernel's semantics; a plug-in (WebAssembly SIMD, worker threads, gpu.js, WebGPU)
 * implements some members (or some cases of them) and falls back to the backend below it for
 * the rest (`BackendPlugin`, registry.ts).
 *
 * Arrays are plain typed arrays; unless a member says otherwise they are contiguous, row-major,
 * and each kernel writes (overwrites) its output argument.
 */
import type { FloatArray, TypedArray } from './dtype.js';
import type { UnaryOpName } from './unary.js';
import type { BinaryOpName, StridedArray } from './binary.js';
import type { Pool2dSpec } from './pool2d.js';
import type { Window2d } from './window2d.js';
import type { MaxPool2dSpec } from './pool2d-max.js';
import type { AxisTaps } from './interpolate.js';
import type { BatchNormSpec, LayerNormSpec } from './normalization.js';
import type { LSTMProjectedSpec, RecurrentSpec, RNNSpec } from './recurrent.js';
import type { LSTMStepGrads, StridedRows } from './recurrent-lstm.js';

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

/** A product with its right operand fixed (`Backend.prepareMatmul`): out [m, n] = a [m, k]·op(B). */
export type PreparedMatmul = (a: FloatArray, out: FloatArray, m: number) => void;

/**
 * A 2-d convolution (cross-correlation, as PyTorch's) of x [batch, inChannels, inH, inW] with
 * w [outChannels, inChannels/groups, kH, kW] into out [batch, outChannels, outH, outW]:
 *   out[n, o, i, j] = Σ_{c, p, q} x[n, g·Cg + c, i·strideH − padTop + p·dilationH, j·strideW − padLeft + q·dilationW] · w[o, c, p, q]
 * where g = ⌊o / (outChannels/groups)⌋ and reads outside x are zero. Padding on the bottom/right is
 * whatever `outH`/`outW` imply, so asymmetric ('same') padding needs nothing more.
 */
export interface Conv2dSpec extends Window2d {
  /** N, the number of images. */
  batch: number;
  /** Channels of x. */
  inChannels: number;
  /** Channels of out (filters in w). */
  outChannels: number;
  /** Vertical spacing between kernel taps. */
  dilationH: number;
  /** Horizontal spacing between kernel taps. */
  dilationW: number;
  /** Channel groups: each output channel sees inChannels/groups input channels. */
  groups: number;
}

/**
 * Every kernel a backend provides. The op names of `unary` and `binary*` are the keys of the
 * CPU tables (`unaryKernels` in unary.ts, `binaryKernels` in binary.ts), each documented there
 * with its formula.
 */
export interface Backend {
  /** A short name: 'cpu', 'wasm', 'gpujs-webgl2', … (a composed backend takes its top plug-in's). */
  readonly name: string;

  // Elementwise.
  /**
   * out[i] = op(src[i]; p, q) for i < n; p and q are the op's parameters, else 0. The ops: neg,
   * abs, sign, exp, log, sqrt, rsqrt, sin, cos, tanh, erf, sigmoid, relu, leakyRelu (p = slope),
   * elu (p = α), gelu, geluTanh, silu, softplus (p = β, q = threshold), clamp (p = lo, q = hi),
   * logicalNot, copy (a cast when the arrays differ in type).
   */
  unary(op: UnaryOpName, src: TypedArray, out: TypedArray, n: number, p: number, q: number): void;
  /**
   * out[i] = op(a[ai + i], b[bi + i·bStep]) for i < n, with bStep 1 (b a tensor of a's shape) or 0
   * (b a scalar at bi): the flat common case of `binary`. The ops: add, sub, mul, div, pow,
   * maximum, minimum (NaN wins), the comparisons eq, ne, lt, le, gt, ge and logicalAnd, logicalOr
   * (1 or 0), and the fused backward maps with a = the upstream gradient g, b = what the forward
   * saved: tanhGrad g·(1 − y²), sigmoidGrad g·y·(1 − y) (y the forward's output), reluGrad
   * (g where x > 0, else 0).
   */
  binaryFlat(op: BinaryOpName, a: TypedArray, ai: number, b: TypedArray, bi: number, bStep: number, out: TypedArray, n: number): void;
  /**
   * out[idx] = op(a[idx], b[idx]) for every index idx of `shape` (out contiguous of `shape`), with
   * a and b strided views already broadcast to `shape` (stride 0 along broadcast dims).
   */
  binary(op: BinaryOpName, a: StridedArray, b: StridedArray, out: TypedArray, shape: readonly number[]): void;
  /** out[idx] = cond[idx] ≠ 0 ? a[idx] : b[idx], the three views broadcast to `shape` as in `binary`. */
  where(cond: StridedArray, a: StridedArray, b: StridedArray, out: TypedArray, shape: readonly number[]): void;

  // Reductions over the innermost block: src is `outer` consecutive blocks of `inner` elements.
  /** out[o] = Σ_i src[o·inner + i]. */
  sum(src: TypedArray, out: TypedArray, outer: number, inner: number): void;
  /**
   * out[o] = max_i (or, without `wantMax`, min_i) src[o·inner + i], NaN winning; indices[o] = the
   * first position i in the block where it occurs (when `indices` is given).
   */
  extremum(src: TypedArray, out: TypedArray, indices: Int32Array | null, outer: number, inner: number, wantMax: boolean): void;
  /** out[o] = Σ_i (x_i − x̄)² / (inner − correction) over block o (NaN when inner ≤ correction). */
  variance(src: TypedArray, out: FloatArray, outer: number, inner: number, correction: number): void;
  /** out[o] = log Σ_i exp(x_i) over block o, computed as m + log Σ_i exp(x_i − m), m the block's max. */
  logsumexp(src: FloatArray, out: FloatArray, outer: number, inner: number): void;
  /** out block o = softmax(x) = exp(x_i) / Σ_j exp(x_j) of src block o; with `log`, log softmax(x). */
  softmax(src: FloatArray, out: FloatArray, outer: number, inner: number, log: boolean): void;

  // Products.
  /** out = op(A)·op(B) for each of the `batch` matrix pairs described by `spec`. */
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void;
  /**
   * The product with one operand fixed: returns f with f(a, out, m) ≡ out [m, n] = A [m, k]·op(B)
   * (A plain and contiguous), bit for bit what `matmul` gives for the same operands. B must not
   * change while f is in use; a backend may pack it once for every call (the recurrences' step
   * products reuse one W_hh for all time steps). A link of the chain that serves `matmul` but not
   * this gets the CPU's, which calls its `matmul` (registry.ts).
   */
  prepareMatmul(b: FloatArray, n: number, k: number, transB: boolean): PreparedMatmul;
  /** out = conv2d(x, w), no bias (the sum in `Conv2dSpec`). */
  conv2d(x: FloatArray, w: FloatArray, out: FloatArray, spec: Conv2dSpec): void;
  /**
   * gradX = ∂L/∂x given gradOut = ∂L/∂out: the transposed convolution
   * gradX[n, g·Cg + c, y, x] = Σ gradOut[n, o, i, j] · w[o, c, p, q] over the (o, i, j, p, q) whose tap reads (y, x).
   */
  conv2dInputGrad(gradOut: FloatArray, w: FloatArray, gradX: FloatArray, spec: Conv2dSpec): void;
  /** gradW = ∂L/∂w given x and gradOut: gradW[o, c, p, q] = Σ_{n, i, j} gradOut[n, o, i, j] · x[n, g·Cg + c, tap (i, j; p, q)]. */
  conv2dWeightGrad(x: FloatArray, gradOut: FloatArray, gradW: FloatArray, spec: Conv2dSpec): void;

  // Pooling, on contiguous NCHW planes (window geometry in `Pool2dSpec`).
  /**
   * out[n, c, i, j] = max of x over window (i, j) of plane (n, c) (padding never wins, NaN does);
   * argmax = the winner's plane-flat index y·inW + x (first maximum on ties).
   */
  maxPool2d(x: FloatArray, out: FloatArray, argmax: Int32Array, spec: MaxPool2dSpec): void;
  /**
   * out[n, c, i, j] = mean of x over window (i, j): the sum over the window's input elements
   * divided by kH·kW (`countIncludePad`) or by how many of them lie inside the input.
   */
  avgPool2d(x: FloatArray, out: FloatArray, spec: Pool2dSpec, countIncludePad: boolean): void;
  /** gradX (overwritten) = the adjoint of `avgPool2d`: each gradOut[n, c, i, j] / divisor added onto every input element of its window. */
  avgPool2dBackward(gradOut: FloatArray, gradX: FloatArray, spec: Pool2dSpec, countIncludePad: boolean): void;
  /**
   * Max unpooling: out (`planes` zero planes of `outPlane` elements) gets out[c, indices[c, k]] =
   * x[c, k] for each of the `inPlane` elements k of plane c (a later write wins).
   */
  maxUnpool2d(x: TypedArray, indices: Int32Array, out: TypedArray, planes: number, inPlane: number, outPlane: number): void;

  // Indexing along one dim. Each returns the position (in `index`) of the first index outside
  // [0, size along dim), or −1 when all are inside, and then it has written nothing.
  /** out[…, j, …] = src[…, index[…, j, …], …] along `dim` (index and out of `indexShape`). */
  gather(src: TypedArray, srcShape: readonly number[], index: Int32Array, indexShape: readonly number[], dim: number, out: TypedArray): number;
  /** target[…, index[…, j, …], …] += src[…, j, …] along `dim` (index and src of `indexShape`). */
  scatterAdd(target: TypedArray, targetShape: readonly number[], index: Int32Array, indexShape: readonly number[], dim: number, src: TypedArray): number;
  /** out[o, j, r] = src[o, index[j], r]: whole slices along `dim` (src split around dim into outer, size, inner). */
  indexSelect(src: TypedArray, srcShape: readonly number[], dim: number, index: Int32Array, out: TypedArray): number;
  /** target[o, index[j], r] += src[o, j, r]: the adjoint of `indexSelect`. */
  indexAdd(target: TypedArray, targetShape: readonly number[], dim: number, index: Int32Array, src: TypedArray): number;

  // Layout.
  /** dst[flat(idx)] = src[offset + Σ_k idx_k·strides[k]] for every index idx of `shape`: a view made contiguous. */
  stridedCopy(src: TypedArray, shape: readonly number[], strides: readonly number[], offset: number, dst: TypedArray): void;
  /** dst[offset + Σ_k idx_k·strides[k]] = src[flat(idx)]: contiguous data written into a view. */
  stridedWrite(src: TypedArray, dst: TypedArray, shape: readonly number[], strides: readonly number[], offset: number): void;

  // Resampling.
  /**
   * Separable 2-d resampling of `planes` planes: out[i, j] = Σ_{a, b ∈ {0, 1}} wH_a[i]·wW_b[j]·x[idxH_a[i], idxW_b[j]],
   * the taps (indices and weights per output position) given per axis by h and w.
   */
  interpolate2d(x: TypedArray, out: TypedArray, planes: number, h: AxisTaps, w: AxisTaps): void;
  /** The adjoint of `interpolate2d`: gradX[idxH_a[i], idxW_b[j]] += wH_a[i]·wW_b[j]·g[i, j] (overwrites gradX). */
  interpolate2dBackward(g: TypedArray, gradX: TypedArray, planes: number, h: AxisTaps, w: AxisTaps): void;
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
  /**
   * One LSTM step's gate math for N rows, the loop the LSTM forwards run per step: with
   * a = h_{t−1}·W_hhᵀ [N, 4H] and the step's input projection at xp[xBase…] (gate blocks i, f, g, o),
   * i, f, o = σ(a + xp), g = tanh(a + xp), c_t = f ⊙ c_{t−1} + i ⊙ g into cOut (which may be cPrev),
   * m_t = o ⊙ tanh(c_t) into mOut, and i, f, g, o into gates at xBase. The WebAssembly backend's
   * float32 σ and tanh are float32-accurate polynomials, not bit-identical to the CPU's.
   */
  lstmCell(
    a: FloatArray, xp: FloatArray, xBase: number, cPrev: FloatArray, cOut: FloatArray, mOut: FloatArray, gates: FloatArray, N: number, H: number,
  ): void;
  /**
   * One LSTM step's gate gradients for N rows, the loop the LSTM backwards run per step (the
   * equations at `lstmCellBackward`, kernels/recurrent-lstm.ts): ∂a_t into da at gBase from the
   * gates, c_t, c_{t−1} and the incoming gradients; grads.dc becomes ∂L/∂c_{t−1}. The WebAssembly
   * backend's float32 version (plain LSTM, contiguous rows) sums in float32, not bit-identical.
   */
  lstmCellGrad(gates: FloatArray, gBase: number, c: StridedRows, cPrev: StridedRows, grads: LSTMStepGrads, da: FloatArray, N: number, H: number): void;
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

/** The kernels of a backend: every member but its name. */
export type Kernels = Omit<Backend, 'name'>;

/**
 * A plug-in: a name and any subset of the kernels. Composed over a complete backend
 * (`useBackend`), it serves the kernels it has and the one below serves the rest; a kernel of
 * a plug-in may itself hand cases it does not take (float64, small sizes) to
 * `fallbackBackend()`, the chain below the chosen plug-in.
 */
export interface BackendPlugin extends Partial<Kernels> {
  /** A short name: 'wasm', 'cpu-threads-4', 'gpujs-webgl2', … (the composed backend takes it). */
  readonly name: string;
}

/** The products: matmul and the three convolution kernels. */
export type ProductKernelName = 'matmul' | 'conv2d' | 'conv2dInputGrad' | 'conv2dWeightGrad';

/** A plug-in that serves the products, as gpu.js, WebGPU and the worker threads do. */
export type ProductPlugin = BackendPlugin & Pick<Kernels, ProductKernelName>;
