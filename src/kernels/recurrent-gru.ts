/**
 * The GRU's fused recurrence kernels. Per step (gate blocks r, z, n, PyTorch's equations):
 *   gh = h_{t−1}·W_hhᵀ + b_hh;  r = σ(xp_r + gh_r),  z = σ(xp_z + gh_z),  n = tanh(xp_n + r ⊙ gh_n)
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 * The fast path of `GRUSequence` (nn/recurrent/gru-sequence.ts, which gives the composed
 * tensor-op definition). Conventions (layouts, `this.matmul`, null gradients): kernels/recurrent.ts.
 */
import type { Backend } from './backend.js';
import type { FloatArray } from './dtype.js';
import { previousStates, type RecurrentSpec, scratch, sigmoid, stepOrder, weightGrad } from './recurrent.js';

/**
 * GRU forward: xp [L, N, 3H] (gate blocks r, z, n), W_hh [3H, H], b_hh [3H], h0 [N, H] →
 * y [L, N, H] and kept [L, N, 4H] (r, z, n and gh_n per step, for backward).
 */
export function gruSequenceForward(
  this: Backend, xp: FloatArray, whh: FloatArray, bhh: FloatArray, h0: FloatArray, y: FloatArray, kept: FloatArray, s: RecurrentSpec,
): void {
  const { length: L, batch: N, hidden: H } = s;
  const G = 3 * H;
  const gh = scratch(xp, N * G);
  const recur = this.prepareMatmul(whh, G, H, true);
  let h = h0;
  for (const t of stepOrder(L, s.reverse)) {
    recur(h, gh, N);
    for (let n = 0; n < N; n++) {
      const row = n * G;
      const xRow = t * N * G + row;
      const kRow = (t * N + n) * 4 * H;
      for (let j = 0; j < H; j++) {
        const r = sigmoid(xp[xRow + j] + gh[row + j] + bhh[j]);
        const z = sigmoid(xp[xRow + H + j] + gh[row + H + j] + bhh[H + j]);
        const ghn = gh[row + 2 * H + j] + bhh[2 * H + j];
        const nt = Math.tanh(xp[xRow + 2 * H + j] + r * ghn);
        y[(t * N + n) * H + j] = (1 - z) * nt + z * h[n * H + j];
        kept[kRow + j] = r;
        kept[kRow + H + j] = z;
        kept[kRow + 2 * H + j] = nt;
        kept[kRow + 3 * H + j] = ghn;
      }
    }
    h = y.subarray(t * N * H, (t + 1) * N * H);
  }
}

/**
 * GRU backward from gy = ∂L/∂y [L, N, H]. With dh_t = ∂L/∂h_t (from the output and step t+1):
 *   ∂z = dh_t ⊙ (h_{t−1} − n) ⊙ z(1−z)      ∂n = dh_t ⊙ (1 − z) ⊙ (1 − n²)      ∂r = ∂n ⊙ gh_n ⊙ r(1−r)
 *   ∂xp_t = (∂r, ∂z, ∂n)      ∂gh_t = (∂r, ∂z, ∂n ⊙ r)
 *   dh_{t−1} = dh_t ⊙ z + ∂gh_t·W_hh,  ∂W_hh = Σ_t ∂gh_tᵀ·h_{t−1},  ∂b_hh = Σ_t Σ_batch ∂gh_t
 */
export function gruSequenceBackward(
  this: Backend, gy: FloatArray, y: FloatArray, kept: FloatArray, whh: FloatArray, h0: FloatArray,
  dxp: FloatArray, dwhh: FloatArray | null, dbhh: FloatArray | null, dh0: FloatArray, s: RecurrentSpec,
): void {
  const { length: L, batch: N, hidden: H } = s;
  const G = 3 * H;
  const dgh = scratch(y, L * N * G);
  const dh = dh0.fill(0);
  const viaW = scratch(y, N * H);
  const back = this.prepareMatmul(whh, H, G, false);
  const order = stepOrder(L, s.reverse);
  for (let step = L - 1; step >= 0; step--) {
    const t = order[step];
    const hPrev = step === 0 ? h0 : y.subarray(order[step - 1] * N * H);
    for (let n = 0; n < N; n++) {
      const row = (t * N + n) * G;
      const kRow = (t * N + n) * 4 * H;
      for (let j = 0; j < H; j++) {
        const e = n * H + j;
        const r = kept[kRow + j];
        const z = kept[kRow + H + j];
        const nt = kept[kRow + 2 * H + j];
        const ghn = kept[kRow + 3 * H + j];
        const dht = gy[(t * N + n) * H + j] + dh[e];
        const dz = dht * (hPrev[e] - nt) * z * (1 - z);
        const dn = dht * (1 - z) * (1 - nt * nt);
        const dr = dn * ghn * r * (1 - r);
        dxp[row + j] = dr;
        dxp[row + H + j] = dz;
        dxp[row + 2 * H + j] = dn;
        dgh[row + j] = dr;
        dgh[row + H + j] = dz;
        dgh[row + 2 * H + j] = dn * r;
        dh[e] = dht * z;
      }
    }
    // dh_{t−1} = dh_t ⊙ z (already in dh) + ∂gh_t·W_hh
    back(dgh.subarray(t * N * G, (t + 1) * N * G), viaW, N);
    for (let e = 0; e < N * H; e++) dh[e] += viaW[e];
  }
  if (dwhh) {
    const hPrev = previousStates(y, (t) => t * N * H, h0, L, N * H, s.reverse, scratch(y, L * N * H));
    weightGrad(this, dgh, hPrev, dwhh, G, H, L * N);
  }
  if (dbhh) {
    dbhh.fill(0);
    for (let row = 0; row < L * N; row++) for (let k = 0; k < G; k++) dbhh[k] += dgh[row * G + k];
  }
}
