/**
 * Shared plumbing of the fused recurrences (RNN, LSTM, GRU sequence functions): the visiting
 * order of time steps, one 2-d matrix product through the current backend, and the layout of
 * "the state a step started from".
 *
 * Every fused recurrence takes the input projection of ALL time steps, computed beforehand as one
 * matrix product xp = x·W_ihᵀ + b, and per step adds h_{t−1}·W_hhᵀ (one small product) before
 * its gate math, written as one loop over the [batch, hidden] elements.
 */
import { currentBackend } from '../../kernels/registry.js';
import type { FloatArray } from '../../kernels/dtype.js';

/** The time steps in the order a direction visits them: 0…L−1, or L−1…0 when reversed. */
export function stepOrder(length: number, reverse: boolean): number[] {
  return Array.from({ length }, (_, s) => (reverse ? length - 1 - s : s));
}

/**
 * out [m, n] = op(a) · op(b) with op(a) of shape [m, k] and op(b) of shape [k, n]; with `transA`
 * a is stored as [k, m], with `transB` b is stored as [n, k]. All arrays contiguous, row-major.
 */
export function gemm(a: FloatArray, b: FloatArray, out: FloatArray, m: number, n: number, k: number, transA: boolean, transB: boolean): void {
  currentBackend().matmul(a, b, out, { batch: 1, m, n, k, transA, transB, aBatchStride: 0, bBatchStride: 0 });
}

/**
 * The hidden state each step started from, laid out by time: row block t holds h_{t−1} for the
 * forward direction (h0 for t = 0) and h_{t+1} for the reversed one (h0 for t = L−1). `hAt(t)`
 * gives the offset of step t's own output h_t in `hs`. Used for ∂L/∂W_hh = Σ_t ∂L/∂a_tᵀ · h_prev(t),
 * which then is one matrix product over all steps.
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

/** σ(x) = 1 / (1 + e⁻ˣ). */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * One LSTM step's gate math for the N rows of a batch, the loop both fused LSTMs (plain and
 * projected) run: with a = h_{t−1}·W_hhᵀ [N, 4H] and the input projection x at offset xBase,
 *   i = σ(a_i + x_i)   f = σ(a_f + x_f)   g = tanh(a_g + x_g)   o = σ(a_o + x_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g   into cOut (which may be cPrev itself)
 *   o ⊙ tanh(c_t)               into hOut
 * and i, f, g, o into gates at xBase, for backward.
 */
export function lstmCellForward(
  a: FloatArray, x: FloatArray, xBase: number, cPrev: FloatArray, cOut: FloatArray, hOut: FloatArray,
  gates: FloatArray, N: number, H: number,
): void {
  const G = 4 * H;
  for (let n = 0; n < N; n++) {
    const row = n * G;
    const xRow = xBase + row;
    for (let j = 0; j < H; j++) {
      const i = sigmoid(a[row + j] + x[xRow + j]);
      const f = sigmoid(a[row + H + j] + x[xRow + H + j]);
      const g = Math.tanh(a[row + 2 * H + j] + x[xRow + 2 * H + j]);
      const o = sigmoid(a[row + 3 * H + j] + x[xRow + 3 * H + j]);
      const ct = f * cPrev[n * H + j] + i * g;
      cOut[n * H + j] = ct;
      hOut[n * H + j] = o * Math.tanh(ct);
      gates[xRow + j] = i;
      gates[xRow + H + j] = f;
      gates[xRow + 2 * H + j] = g;
      gates[xRow + 3 * H + j] = o;
    }
  }
}
