/**
 * The Elman RNN's fused recurrence kernels, h_t = act(xp_t + h_{t−1}·W_hhᵀ) with act = tanh or
 * relu: the fast path of `RNNSequence` (nn/recurrent/rnn-sequence.ts, which gives the composed
 * tensor-op definition). Conventions (layouts, `this.matmul`, null gradients): kernels/recurrent.ts.
 */
import type { Backend } from './backend.js';
import type { FloatArray } from './dtype.js';
import { previousStates, type RNNSpec, scratch, stepOrder, weightGrad } from './recurrent.js';

/** Forward: xp [L, N, H], W_hh [H, H], h0 [N, H] → y [L, N, H] (y_t = h_t). */
export function rnnSequenceForward(this: Backend, xp: FloatArray, whh: FloatArray, h0: FloatArray, y: FloatArray, s: RNNSpec): void {
  const { length: L, batch: N, hidden: H, relu } = s;
  const recur = this.prepareMatmul(whh, H, H, true);
  let h = h0;
  for (const t of stepOrder(L, s.reverse)) {
    const at = t * N * H;
    const hOut = y.subarray(at, at + N * H);
    recur(h, hOut, N);
    for (let e = 0; e < N * H; e++) {
      const a = hOut[e] + xp[at + e];
      hOut[e] = relu ? (a > 0 ? a : 0) : Math.tanh(a);
    }
    h = hOut;
  }
}

/**
 * Backward: ∂a_t = dh_t ⊙ act'(a_t) with tanh' = 1 − h_t² and relu' = [h_t > 0];
 * ∂xp_t = ∂a_t (into dxp), dh_{t−1} = ∂a_t·W_hh (dh0 after the first step), ∂W_hh = Σ_t ∂a_tᵀ·h_{t−1}.
 */
export function rnnSequenceBackward(
  this: Backend, gy: FloatArray, y: FloatArray, whh: FloatArray, h0: FloatArray,
  dxp: FloatArray, dwhh: FloatArray | null, dh0: FloatArray, s: RNNSpec,
): void {
  const { length: L, batch: N, hidden: H, relu } = s;
  const dh = dh0.fill(0);
  const back = this.prepareMatmul(whh, H, H, false);
  for (const t of stepOrder(L, !s.reverse)) {
    const at = t * N * H;
    for (let e = 0; e < N * H; e++) {
      const h = y[at + e];
      const dht = gy[at + e] + dh[e];
      dxp[at + e] = relu ? (h > 0 ? dht : 0) : dht * (1 - h * h);
    }
    back(dxp.subarray(at, at + N * H), dh, N);
  }
  if (dwhh) {
    const hPrev = previousStates(y, (t) => t * N * H, h0, L, N * H, s.reverse, scratch(y, L * N * H));
    weightGrad(this, dxp, hPrev, dwhh, H, H, L * N);
  }
}
