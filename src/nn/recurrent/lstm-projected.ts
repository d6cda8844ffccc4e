/**
 * One direction of one LSTM layer with a projection of h (PyTorch's proj_size), as a single
 * autograd op, and the same recurrence in ordinary tensor ops (the reference, and what the fused
 * op differentiates when its backward is recorded). Per step (gate blocks i, f, g, o):
 *
 *   a_t = xp_t + h_{t−1}·W_hhᵀ            (xp = x·W_ihᵀ + b_ih + b_hh, computed by the caller)
 *   i = σ(a_i)  f = σ(a_f)  g = tanh(a_g)  o = σ(a_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g     m_t = o ⊙ tanh(c_t)     h_t = m_t·W_hrᵀ
 *
 * Input: xp [L, N, 4H], W_hh [4H, P], W_hr [P, H], h0 [N, P], c0 [N, H]. Output Y [L, N, P + H]:
 * Y[t, :, :P] = h_t and Y[t, :, P:] = c_t, at step t's own index also when reversed.
 */
import { Function } from '../../autograd/function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { newTensor } from '../../tensor/creation.js';
import { cat, stack } from '../../autograd/functions/shape.js';
import { allocate, type FloatArray } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composedGradients, recordingBackward } from './composed-backward.js';
import { gemm, lstmCellForward, previousStates, stepOrder } from './sequence-kernels.js';

type ProjCtx = ContextWith<{ reverse: boolean }>;

/** The projected recurrence over a whole sequence, fused: one loop and two small products per step. */
export class LSTMProjectedSequence extends Function {
  static override forward(ctx: ProjCtx, xp: Tensor, whh: Tensor, whr: Tensor, h0: Tensor, c0: Tensor, reverse: boolean): Tensor {
    const [L, N, G] = xp.shape;
    const H = G / 4;
    const P = whr.shape[0];
    const W = P + H;
    const x = xp.data() as FloatArray;
    const wh = whh.data() as FloatArray;
    const wr = whr.data() as FloatArray;
    const y = allocate(xp.dtype, L * N * W) as FloatArray;
    const gates = allocate(xp.dtype, L * N * G) as FloatArray; // σ/tanh of a_t, for backward
    const ms = allocate(xp.dtype, L * N * H) as FloatArray; // m_t, for ∂W_hr
    const a = allocate(xp.dtype, N * G) as FloatArray;
    const h = allocate(xp.dtype, N * P) as FloatArray;
    const c = allocate(xp.dtype, N * H) as FloatArray;
    h.set(h0.data() as FloatArray);
    c.set(c0.data() as FloatArray);
    for (const t of stepOrder(L, reverse)) {
      gemm(h, wh, a, N, G, P, false, true);
      const m = ms.subarray(t * N * H, (t + 1) * N * H);
      lstmCellForward(a, x, t * N * G, c, c, m, gates, N, H);
      for (let n = 0; n < N; n++) y.set(c.subarray(n * H, (n + 1) * H), (t * N + n) * W + P);
      gemm(m, wr, h, N, P, H, false, true);
      for (let n = 0; n < N; n++) y.set(h.subarray(n * P, (n + 1) * P), (t * N + n) * W);
    }
    const out = newTensor([L, N, W], xp.dtype, y);
    ctx.reverse = reverse;
    ctx.saveForBackward(xp, whh, whr, h0, c0, out, newTensor([L, N, G], xp.dtype, gates), newTensor([L, N, H], xp.dtype, ms));
    return out;
  }

  // With dh_t = ∂L/∂h_t (from the output and from step t+1) and dc_t likewise:
  //   dm = dh_t·W_hr        ∂W_hr = Σ_t dh_tᵀ·m_t        τ = tanh(c_t)
  //   dc_t += dm ⊙ o ⊙ (1 − τ²)
  //   ∂a_i = dc_t ⊙ g ⊙ i(1−i)   ∂a_f = dc_t ⊙ c_{t−1} ⊙ f(1−f)   ∂a_g = dc_t ⊙ i ⊙ (1−g²)   ∂a_o = dm ⊙ τ ⊙ o(1−o)
  //   ∂xp_t = ∂a_t,  dc_{t−1} = dc_t ⊙ f,  dh_{t−1} = ∂a_t·W_hh,  ∂W_hh = Σ_t ∂a_tᵀ·h_{t−1}
  static override backward(ctx: ProjCtx, gOut: Tensor): (Tensor | null)[] {
    const [xp, whh, whr, h0, c0, out, gatesT, msT] = ctx.savedTensors;
    const needs = ctx.needsInputGrad;
    if (recordingBackward()) {
      const grads = composedGradients(() => lstmProjectedComposed(xp, whh, whr, h0, c0, ctx.reverse), [xp, whh, whr, h0, c0], needs, gOut);
      return [...grads, null];
    }
    const [L, N, G] = xp.shape;
    const H = G / 4;
    const P = whr.shape[0];
    const W = P + H;
    const dtype = xp.dtype;
    const dy = gOut.data() as FloatArray;
    const y = out.data() as FloatArray;
    const gates = gatesT.data() as FloatArray;
    const ms = msT.data() as FloatArray;
    const wh = whh.data() as FloatArray;
    const wr = whr.data() as FloatArray;
    const c0d = c0.data() as FloatArray;
    const da = allocate(dtype, L * N * G) as FloatArray;
    const dhs = allocate(dtype, L * N * P) as FloatArray; // dh_t per step, for ∂W_hr
    const dh = allocate(dtype, N * P) as FloatArray; // from step t+1
    const dc = allocate(dtype, N * H) as FloatArray;
    const dm = allocate(dtype, N * H) as FloatArray;
    const order = stepOrder(L, ctx.reverse);
    for (let s = L - 1; s >= 0; s--) {
      const t = order[s];
      const dht = dhs.subarray(t * N * P, (t + 1) * N * P);
      for (let n = 0; n < N; n++) for (let p = 0; p < P; p++) dht[n * P + p] = dy[(t * N + n) * W + p] + dh[n * P + p];
      gemm(dht, wr, dm, N, H, P, false, false);
      const prev = s === 0 ? -1 : order[s - 1];
      for (let n = 0; n < N; n++) {
        const row = t * N * G + n * G;
        for (let j = 0; j < H; j++) {
          const e = n * H + j;
          const i = gates[row + j];
          const f = gates[row + H + j];
          const g = gates[row + 2 * H + j];
          const o = gates[row + 3 * H + j];
          const tc = Math.tanh(y[(t * N + n) * W + P + j]);
          const cPrev = prev < 0 ? c0d[e] : y[(prev * N + n) * W + P + j];
          const dct = dy[(t * N + n) * W + P + j] + dc[e] + dm[e] * o * (1 - tc * tc);
          da[row + j] = dct * g * i * (1 - i);
          da[row + H + j] = dct * cPrev * f * (1 - f);
          da[row + 2 * H + j] = dct * i * (1 - g * g);
          da[row + 3 * H + j] = dm[e] * tc * o * (1 - o);
          dc[e] = dct * f;
        }
      }
      gemm(da.subarray(t * N * G, (t + 1) * N * G), wh, dh, N, P, G, false, false);
    }
    let dWhh: Tensor | null = null;
    if (needs[1]) {
      // h_t sits in the first P of each row of y; gather them as [L·N, P] for previousStates.
      const hs = allocate(dtype, L * N * P) as FloatArray;
      for (let r = 0; r < L * N; r++) hs.set(y.subarray(r * W, r * W + P), r * P);
      const hPrev = previousStates(hs, (t) => t * N * P, h0.data() as FloatArray, L, N * P, ctx.reverse, allocate(dtype, L * N * P) as FloatArray);
      const w1 = allocate(dtype, G * P) as FloatArray;
      gemm(da, hPrev, w1, G, P, L * N, true, false);
      dWhh = newTensor([G, P], dtype, w1);
    }
    let dWhr: Tensor | null = null;
    if (needs[2]) {
      const w2 = allocate(dtype, P * H) as FloatArray;
      gemm(dhs, ms, w2, P, H, L * N, true, false);
      dWhr = newTensor([P, H], dtype, w2);
    }
    return [
      needs[0] ? newTensor([L, N, G], dtype, da) : null,
      dWhh,
      dWhr,
      needs[3] ? newTensor([N, P], dtype, dh) : null,
      needs[4] ? newTensor([N, H], dtype, dc) : null,
      null,
    ];
  }
}

/** The same recurrence in ordinary tensor ops, same output layout [L, N, P + H] (see the file comment). */
export function lstmProjectedComposed(xp: Tensor, whh: Tensor, whr: Tensor, h0: Tensor, c0: Tensor, reverse: boolean): Tensor {
  const L = xp.shape[0];
  const whhT = whh.T;
  const whrT = whr.T;
  const steps = new Array<Tensor>(L);
  let h = h0;
  let c = c0;
  for (const t of stepOrder(L, reverse)) {
    const [ai, af, ag, ao] = xp.narrow(0, t, 1).squeeze(0).add(h.matmul(whhT)).chunk(4, 1);
    c = af.sigmoid().mul(c).add(ai.sigmoid().mul(ag.tanh()));
    h = ao.sigmoid().mul(c.tanh()).matmul(whrT);
    steps[t] = cat([h, c], 1);
  }
  return stack(steps, 0);
}
