/**
 * The LSTM's fused recurrence kernels, plain and projected (PyTorch's proj_size), sharing one
 * gate loop each way. Per step (gate blocks i, f, g, o):
 *   a_t = xp_t + h_{t−1}·W_hhᵀ;  i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g;   m_t = o ⊙ tanh(c_t);   h_t = m_t (plain) or m_t·W_hrᵀ (projected)
 * The fast path of `LSTMSequence` and `LSTMProjectedSequence` (nn/recurrent/lstm-sequence.ts,
 * lstm-projected.ts, which give the composed tensor-op definitions). Conventions (layouts,
 * `this.matmul`, null gradients): kernels/recurrent.ts.
 */
import type { Backend } from './backend.js';
import type { FloatArray } from './dtype.js';
import { gemm, type LSTMProjectedSpec, previousStates, type RecurrentSpec, scratch, stepOrder, weightGrad } from './recurrent.js';

/**
 * One step's gate math for the N rows of a batch (the CPU backend's `lstmCell`), shared by both LSTMs: with a = h_{t−1}·W_hhᵀ
 * [N, 4H] and the input projection xp at offset xBase, c_t into cOut (which may be cPrev itself),
 * m_t = o ⊙ tanh(c_t) into mOut, and i, f, g, o into gates at xBase, for backward.
 */
export function lstmCellForward(
  a: FloatArray, xp: FloatArray, xBase: number, cPrev: FloatArray, cOut: FloatArray, mOut: FloatArray, gates: FloatArray, N: number, H: number,
): void {
  const G = 4 * H;
  // σ written out (1 / (1 + e⁻ˣ), as `sigmoid`): the engine did not inline the call here.
  for (let n = 0; n < N; n++) {
    const row = n * G;
    const xRow = xBase + row;
    const e0 = n * H;
    for (let j = 0; j < H; j++) {
      const ai = row + j, xi = xRow + j;
      const i = 1 / (1 + Math.exp(-(a[ai] + xp[xi])));
      const f = 1 / (1 + Math.exp(-(a[ai + H] + xp[xi + H])));
      const g = Math.tanh(a[ai + 2 * H] + xp[xi + 2 * H]);
      const o = 1 / (1 + Math.exp(-(a[ai + 3 * H] + xp[xi + 3 * H])));
      const ct = f * cPrev[e0 + j] + i * g;
      cOut[e0 + j] = ct;
      mOut[e0 + j] = o * Math.tanh(ct);
      gates[xi] = i;
      gates[xi + H] = f;
      gates[xi + 2 * H] = g;
      gates[xi + 3 * H] = o;
    }
  }
}

/** Rows of an [N, H] matrix inside a larger array: row n starts at `offset + n·stride`. */
export interface StridedRows {
  /** The array holding the rows. */
  data: FloatArray;
  /** Where row 0 starts. */
  offset: number;
  /** Elements from one row's start to the next's. */
  stride: number;
}

/** The gradients flowing into one LSTM step t (see `lstmCellBackward`). */
export interface LSTMStepGrads {
  /** ∂L/∂m_t carried in (from the projection, or from step t+1 through W_hh), [N, H]. */
  dm: FloatArray;
  /** ∂L/∂m_t from the layer's output (the plain LSTM's h_t = m_t), or null. */
  dmOut: StridedRows | null;
  /** ∂L/∂c_t from the layer's output. */
  dcOut: StridedRows;
  /** In: ∂L/∂c_t carried from step t+1; out: ∂L/∂c_{t−1}. [N, H] */
  dc: FloatArray;
}

/**
 * One step's gate gradients, the loop both LSTM backwards run. With dm = ∂L/∂m_t, τ = tanh(c_t):
 *   dc_t += dm ⊙ o ⊙ (1 − τ²)
 *   ∂a_i = dc_t ⊙ g ⊙ i(1−i)   ∂a_f = dc_t ⊙ c_{t−1} ⊙ f(1−f)   ∂a_g = dc_t ⊙ i ⊙ (1−g²)   ∂a_o = dm ⊙ τ ⊙ o(1−o)
 *   dc_{t−1} = dc_t ⊙ f
 * reading i, f, g, o from gates and writing ∂a_t into da, both at gBase. The CPU backend's `lstmCellGrad`.
 */
export function lstmCellBackward(
  gates: FloatArray, gBase: number, c: StridedRows, cPrev: StridedRows, grads: LSTMStepGrads, da: FloatArray, N: number, H: number,
): void {
  const G = 4 * H;
  const { dm, dmOut, dcOut, dc } = grads;
  const cs = c.data, cps = cPrev.data, dcs = dcOut.data, dms = dmOut ? dmOut.data : dm;
  for (let n = 0; n < N; n++) {
    const row = gBase + n * G;
    const cRow = c.offset + n * c.stride;
    const pRow = cPrev.offset + n * cPrev.stride;
    const dcRow = dcOut.offset + n * dcOut.stride;
    const dmRow = dmOut ? dmOut.offset + n * dmOut.stride : 0;
    for (let j = 0; j < H; j++) {
      const e = n * H + j;
      const i = gates[row + j];
      const f = gates[row + H + j];
      const g = gates[row + 2 * H + j];
      const o = gates[row + 3 * H + j];
      const tc = Math.tanh(cs[cRow + j]);
      const dmt = dmOut ? dms[dmRow + j] + dm[e] : dm[e];
      const dct = dcs[dcRow + j] + dc[e] + dmt * o * (1 - tc * tc);
      da[row + j] = dct * g * i * (1 - i);
      da[row + H + j] = dct * cps[pRow + j] * f * (1 - f);
      da[row + 2 * H + j] = dct * i * (1 - g * g);
      da[row + 3 * H + j] = dmt * tc * o * (1 - o);
      dc[e] = dct * f;
    }
  }
}

/**
 * Plain LSTM forward: xp [L, N, 4H] (gate blocks i, f, g, o), W_hh [4H, H], h0, c0 [N, H] →
 * y [L, 2, N, H] (y[t, 0] = h_t, y[t, 1] = c_t) and gates [L, N, 4H] (i, f, g, o, for backward).
 */
export function lstmSequenceForward(
  this: Backend, xp: FloatArray, whh: FloatArray, h0: FloatArray, c0: FloatArray, y: FloatArray, gates: FloatArray, s: RecurrentSpec,
): void {
  const { length: L, batch: N, hidden: H } = s;
  const G = 4 * H;
  const a = scratch(xp, N * G);
  const recur = this.prepareMatmul(whh, G, H, true);
  let h = h0;
  let c = c0;
  for (const t of stepOrder(L, s.reverse)) {
    recur(h, a, N);
    const hOut = t * 2 * N * H;
    const hNext = y.subarray(hOut, hOut + N * H);
    const cNext = y.subarray(hOut + N * H, hOut + 2 * N * H);
    this.lstmCell(a, xp, t * N * G, c, cNext, hNext, gates, N, H);
    h = hNext;
    c = cNext;
  }
}

/**
 * Plain LSTM backward from gy = ∂L/∂y [L, 2, N, H]: ∂xp = ∂a [L, N, 4H] into dxp,
 * dh_{t−1} = ∂a_t·W_hh, ∂W_hh = Σ_t ∂a_tᵀ·h_{t−1}, and ∂L/∂h0, ∂L/∂c0 into dh0, dc0.
 */
export function lstmSequenceBackward(
  this: Backend, gy: FloatArray, y: FloatArray, gates: FloatArray, whh: FloatArray, h0: FloatArray, c0: FloatArray,
  dxp: FloatArray, dwhh: FloatArray | null, dh0: FloatArray, dc0: FloatArray, s: RecurrentSpec,
): void {
  const { length: L, batch: N, hidden: H } = s;
  const G = 4 * H;
  const dh = dh0.fill(0);
  const dc = dc0.fill(0);
  const back = this.prepareMatmul(whh, H, G, false);
  const order = stepOrder(L, s.reverse);
  for (let step = L - 1; step >= 0; step--) {
    const t = order[step];
    const hOut = t * 2 * N * H;
    const cPrev = step === 0 ? { data: c0, offset: 0, stride: H } : { data: y, offset: order[step - 1] * 2 * N * H + N * H, stride: H };
    const grads = { dm: dh, dmOut: { data: gy, offset: hOut, stride: H }, dcOut: { data: gy, offset: hOut + N * H, stride: H }, dc };
    this.lstmCellGrad(gates, t * N * G, { data: y, offset: hOut + N * H, stride: H }, cPrev, grads, dxp, N, H);
    back(dxp.subarray(t * N * G, (t + 1) * N * G), dh, N);
  }
  if (dwhh) {
    const hPrev = previousStates(y, (t) => t * 2 * N * H, h0, L, N * H, s.reverse, scratch(y, L * N * H));
    weightGrad(this, dxp, hPrev, dwhh, G, H, L * N);
  }
}

/**
 * Projected LSTM forward: xp [L, N, 4H], W_hh [4H, P], W_hr [P, H], h0 [N, P], c0 [N, H] →
 * y [L, N, P + H] (y[t, :, :P] = h_t = m_t·W_hrᵀ, y[t, :, P:] = c_t), gates [L, N, 4H] and
 * ms [L, N, H] (m_t, for ∂W_hr).
 */
export function lstmProjectedForward(
  this: Backend, xp: FloatArray, whh: FloatArray, whr: FloatArray, h0: FloatArray, c0: FloatArray,
  y: FloatArray, gates: FloatArray, ms: FloatArray, s: LSTMProjectedSpec,
): void {
  const { length: L, batch: N, hidden: H, proj: P } = s;
  const G = 4 * H;
  const W = P + H;
  const a = scratch(xp, N * G);
  const h = h0.slice(); // h_t and c_t of the step in progress
  const c = c0.slice();
  const recur = this.prepareMatmul(whh, G, P, true);
  const project = this.prepareMatmul(whr, P, H, true);
  for (const t of stepOrder(L, s.reverse)) {
    recur(h, a, N);
    const m = ms.subarray(t * N * H, (t + 1) * N * H);
    this.lstmCell(a, xp, t * N * G, c, c, m, gates, N, H);
    for (let n = 0; n < N; n++) y.set(c.subarray(n * H, (n + 1) * H), (t * N + n) * W + P);
    project(m, h, N);
    for (let n = 0; n < N; n++) y.set(h.subarray(n * P, (n + 1) * P), (t * N + n) * W);
  }
}

/**
 * Projected LSTM backward from gy = ∂L/∂y [L, N, P + H]. With dh_t = ∂L/∂h_t (from the output and
 * from step t+1): dm = dh_t·W_hr, ∂W_hr = Σ_t dh_tᵀ·m_t, then the gate gradients as the plain
 * LSTM's; dh_{t−1} = ∂a_t·W_hh, ∂W_hh = Σ_t ∂a_tᵀ·h_{t−1}; ∂L/∂h0 [N, P], ∂L/∂c0 [N, H].
 */
export function lstmProjectedBackward(
  this: Backend, gy: FloatArray, y: FloatArray, gates: FloatArray, ms: FloatArray, whh: FloatArray, whr: FloatArray,
  h0: FloatArray, c0: FloatArray, dxp: FloatArray, dwhh: FloatArray | null, dwhr: FloatArray | null,
  dh0: FloatArray, dc0: FloatArray, s: LSTMProjectedSpec,
): void {
  const { length: L, batch: N, hidden: H, proj: P } = s;
  const G = 4 * H;
  const W = P + H;
  const dhs = scratch(y, L * N * P); // dh_t per step, for ∂W_hr
  const dh = dh0.fill(0); // from step t+1
  const dc = dc0.fill(0);
  const dm = scratch(y, N * H);
  const unproject = this.prepareMatmul(whr, H, P, false);
  const back = this.prepareMatmul(whh, P, G, false);
  const order = stepOrder(L, s.reverse);
  for (let step = L - 1; step >= 0; step--) {
    const t = order[step];
    const dht = dhs.subarray(t * N * P, (t + 1) * N * P);
    for (let n = 0; n < N; n++) for (let p = 0; p < P; p++) dht[n * P + p] = gy[(t * N + n) * W + p] + dh[n * P + p];
    unproject(dht, dm, N);
    const cPrev = step === 0 ? { data: c0, offset: 0, stride: H } : { data: y, offset: order[step - 1] * N * W + P, stride: W };
    const grads = { dm, dmOut: null, dcOut: { data: gy, offset: t * N * W + P, stride: W }, dc };
    this.lstmCellGrad(gates, t * N * G, { data: y, offset: t * N * W + P, stride: W }, cPrev, grads, dxp, N, H);
    back(dxp.subarray(t * N * G, (t + 1) * N * G), dh, N);
  }
  if (dwhh) {
    // h_t sits in the first P of each row of y; gather them as [L·N, P] for previousStates.
    const hs = scratch(y, L * N * P);
    for (let r = 0; r < L * N; r++) hs.set(y.subarray(r * W, r * W + P), r * P);
    const hPrev = previousStates(hs, (t) => t * N * P, h0, L, N * P, s.reverse, scratch(y, L * N * P));
    weightGrad(this, dxp, hPrev, dwhh, G, P, L * N);
  }
  if (dwhr) gemm(this, dhs, ms, dwhr, P, H, L * N, true, false);
}
