/**
 * Fused recurrence kernels: one direction of one RNN, LSTM (plain or projected) or GRU layer over
 * a whole sequence, forward and backward (backpropagation through time), as plain loops over
 * typed arrays. This file holds their sizes and shared plumbing; the loops are in
 * recurrent-rnn.ts, recurrent-lstm.ts and recurrent-gru.ts. They are the fast path of the sequence Functions in src/nn/recurrent/, whose files
 * give the equations and the same recurrence in ordinary tensor ops (the readable definition,
 * which these loops must match).
 *
 * Every recurrence receives the input projection of ALL time steps, computed beforehand as one
 * matrix product xp = x·W_ihᵀ + b, and per step adds h_{t−1}·W_hhᵀ (one small product) before
 * its gate math, one loop over the [batch, hidden] elements. Backward walks the steps in reverse
 * visiting order (a loop, not recursion: 1,000 steps are fine) and computes ∂L/∂W_hh at the end
 * as ONE product over all steps: Σ_t ∂a_tᵀ·h_{t−1}.
 *
 * The matrix products go through the backend: call these kernels as methods of a backend
 * (`backend.lstmSequenceForward(…)`), so a backend that serves matmul itself (threads, gpu.js)
 * and borrows these loops from the CPU backend still runs the step products. The step products
 * share one W_hh over all steps, so they are `this.prepareMatmul` products (the WebAssembly
 * backend packs W_hh once per sequence); the weight gradient is one `this.matmul`.
 *
 * All arrays are contiguous, row-major and of one float type per call. Outputs are written
 * (overwritten) whole; gradient outputs passed as null are not computed.
 */
import type { Backend } from './backend.js';
import { allocate, dtypeOfArray, type FloatArray } from './dtype.js';

/** The sizes of one direction of a recurrent layer over a sequence. */
export interface RecurrentSpec {
  /** L, the number of time steps. */
  length: number;
  /** N, the batch size. */
  batch: number;
  /** H, the hidden (and, for LSTMs, cell) size. */
  hidden: number;
  /** Visit the steps L−1…0 (the backward direction of a bidirectional layer). */
  reverse: boolean;
}

/** `RecurrentSpec` of an Elman RNN, with its nonlinearity. */
export interface RNNSpec extends RecurrentSpec {
  /** act = relu when true, tanh otherwise. */
  relu: boolean;
}

/** `RecurrentSpec` of an LSTM with a projection of h (PyTorch's proj_size). */
export interface LSTMProjectedSpec extends RecurrentSpec {
  /** P, the size of the projected state h. */
  proj: number;
}

/** The time steps in the order a direction visits them: 0…L−1, or L−1…0 when reversed. */
export function stepOrder(length: number, reverse: boolean): number[] {
  return Array.from({ length }, (_, s) => (reverse ? length - 1 - s : s));
}

/** A zeroed array of `like`'s float type with n elements (scratch space). */
export function scratch(like: FloatArray, n: number): FloatArray {
  return allocate(dtypeOfArray(like), n) as FloatArray;
}

/** σ(x) = 1 / (1 + e⁻ˣ). */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** out [m, n] = op(a)·op(b) through `backend`; with `transA` a is stored [k, m], with `transB` b is [n, k]. */
export function gemm(
  backend: Backend, a: FloatArray, b: FloatArray, out: FloatArray, m: number, n: number, k: number, transA: boolean, transB: boolean,
): void {
  backend.matmul(a, b, out, { batch: 1, m, n, k, transA, transB, aBatchStride: 0, bBatchStride: 0 });
}

/**
 * The hidden state each step started from, laid out by time into `out`: row block t holds
 * h_{t−1} for the forward direction (h0 for t = 0) and h_{t+1} for the reversed one (h0 for
 * t = L−1). `hAt(t)` is the offset of step t's own output h_t in `hs`; `rows` = N·(size of h).
 */
export function previousStates(
  hs: FloatArray, hAt: (t: number) => number, h0: FloatArray, length: number, rows: number, reverse: boolean, out: FloatArray,
): FloatArray {
  const order = stepOrder(length, reverse);
  order.forEach((t, s) => {
    const src = s === 0 ? h0 : hs.subarray(hAt(order[s - 1]), hAt(order[s - 1]) + rows);
    out.set(src, t * rows);
  });
  return out;
}

/** ∂L/∂W_hh = Σ_t ∂a_tᵀ·h_{t−1}: one [G, L·N]×[L·N, K] product, with hPrev from `previousStates`. */
export function weightGrad(backend: Backend, da: FloatArray, hPrev: FloatArray, dw: FloatArray, G: number, K: number, rows: number): void {
  gemm(backend, da, hPrev, dw, G, K, rows, true, false);
}
