/**
 * One direction of one LSTM layer over a whole sequence, as a single autograd op.
 *
 * Input: xp [L, N, 4H] = x·W_ihᵀ + b_ih + b_hh for every step (one matrix product, done by the
 * caller), W_hh [4H, H], h0 [N, H], c0 [N, H]. Output Y [L, 2, N, H]: Y[t, 0] = h_t, Y[t, 1] = c_t.
 * Per step (gate blocks i, f, g, o, PyTorch's order):
 *
 *   a_t = xp_t + h_{t−1}·W_hhᵀ
 *   i = σ(a_i)  f = σ(a_f)  g = tanh(a_g)  o = σ(a_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g          h_t = o ⊙ tanh(c_t)
 *
 * Forward costs one [N,H]×[H,4H] product and one fused loop per step; backward (BPTT, a plain
 * loop — no recursion, so 1,000 steps are fine) one [N,4H]×[4H,H] product and one fused loop per
 * step, then a single product for ∂L/∂W_hh over all steps.
 */
import { Function } from '../../autograd/function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { newTensor } from '../../tensor/creation.js';
import { stack } from '../../autograd/functions/shape.js';
import { allocate, type FloatArray } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composedGradients, recordingBackward } from './composed-backward.js';
import { gemm, lstmCellForward, previousStates, stepOrder } from './sequence-kernels.js';

type LSTMCtx = ContextWith<{ reverse: boolean }>;

export class LSTMSequence extends Function {
  static override forward(ctx: LSTMCtx, xp: Tensor, whh: Tensor, h0: Tensor, c0: Tensor, reverse: boolean): Tensor {
    const [L, N, G] = xp.shape;
    const H = G / 4;
    const x = xp.data() as FloatArray;
    const w = whh.data() as FloatArray;
    const y = allocate(xp.dtype, L * 2 * N * H) as FloatArray;
    const gates = allocate(xp.dtype, L * N * G) as FloatArray; // σ/tanh of a_t, kept for backward
    const a = allocate(xp.dtype, N * G) as FloatArray;
    let h = h0.data() as FloatArray;
    let c = c0.data() as FloatArray;
    for (const t of stepOrder(L, reverse)) {
      gemm(h, w, a, N, G, H, false, true);
      const hOut = t * 2 * N * H;
      const hNext = y.subarray(hOut, hOut + N * H);
      const cNext = y.subarray(hOut + N * H, hOut + 2 * N * H);
      lstmCellForward(a, x, t * N * G, c, cNext, hNext, gates, N, H);
      h = hNext;
      c = cNext;
    }
    const out = newTensor([L, 2, N, H], xp.dtype, y);
    ctx.reverse = reverse;
    ctx.saveForBackward(xp, whh, h0, c0, out, newTensor([L, N, G], xp.dtype, gates));
    return out;
  }

  // With dh_t = ∂L/∂h_t (from the output and from step t+1), dc_t likewise, and τ = tanh(c_t):
  //   dc_t += dh_t ⊙ o ⊙ (1 − τ²)
  //   ∂a_i = dc_t ⊙ g ⊙ i(1−i)    ∂a_f = dc_t ⊙ c_{t−1} ⊙ f(1−f)
  //   ∂a_g = dc_t ⊙ i ⊙ (1−g²)    ∂a_o = dh_t ⊙ τ ⊙ o(1−o)
  //   ∂xp_t = ∂a_t,  dc_{t−1} = dc_t ⊙ f,  dh_{t−1} = ∂a_t · W_hh,  ∂W_hh = Σ_t ∂a_tᵀ · h_{t−1}
  static override backward(ctx: LSTMCtx, gOut: Tensor): (Tensor | null)[] {
    const [xp, whh, h0, c0, out, gatesT] = ctx.savedTensors;
    const needs = ctx.needsInputGrad;
    if (recordingBackward()) {
      const grads = composedGradients(() => lstmSequenceComposed(xp, whh, h0, c0, ctx.reverse), [xp, whh, h0, c0], needs, gOut);
      return [...grads, null];
    }
    const [L, N, G] = xp.shape;
    const H = G / 4;
    const dtype = xp.dtype;
    const dy = gOut.data() as FloatArray;
    const y = out.data() as FloatArray;
    const gates = gatesT.data() as FloatArray;
    const w = whh.data() as FloatArray;
    const c0d = c0.data() as FloatArray;
    const da = allocate(dtype, L * N * G) as FloatArray;
    const dh = allocate(dtype, N * H) as FloatArray;
    const dc = allocate(dtype, N * H) as FloatArray;
    const order = stepOrder(L, ctx.reverse);
    for (let s = L - 1; s >= 0; s--) {
      const t = order[s];
      const hOut = t * 2 * N * H;
      const cOut = hOut + N * H;
      const cPrev = s === 0 ? c0d : y.subarray(order[s - 1] * 2 * N * H + N * H);
      for (let n = 0; n < N; n++) {
        const row = t * N * G + n * G;
        for (let j = 0; j < H; j++) {
          const e = n * H + j;
          const i = gates[row + j];
          const f = gates[row + H + j];
          const g = gates[row + 2 * H + j];
          const o = gates[row + 3 * H + j];
          const tc = Math.tanh(y[cOut + e]);
          const dht = dy[hOut + e] + dh[e];
          const dct = dy[cOut + e] + dc[e] + dht * o * (1 - tc * tc);
          da[row + j] = dct * g * i * (1 - i);
          da[row + H + j] = dct * cPrev[e] * f * (1 - f);
          da[row + 2 * H + j] = dct * i * (1 - g * g);
          da[row + 3 * H + j] = dht * tc * o * (1 - o);
          dc[e] = dct * f;
        }
      }
      gemm(da.subarray(t * N * G, (t + 1) * N * G), w, dh, N, H, G, false, false);
    }
    let dW: Tensor | null = null;
    if (needs[1]) {
      const hPrev = previousStates(y, (t) => t * 2 * N * H, h0.data() as FloatArray, L, N * H, ctx.reverse, allocate(dtype, L * N * H) as FloatArray);
      const w1 = allocate(dtype, G * H) as FloatArray;
      gemm(da, hPrev, w1, G, H, L * N, true, false);
      dW = newTensor([G, H], dtype, w1);
    }
    return [
      needs[0] ? newTensor([L, N, G], dtype, da) : null,
      dW,
      needs[2] ? newTensor([N, H], dtype, dh) : null,
      needs[3] ? newTensor([N, H], dtype, dc) : null,
      null,
    ];
  }
}

/**
 * The same recurrence written with ordinary tensor ops (one graph node per op per step). It is
 * what the fused op differentiates under createGraph, and the reference the tests and benchmark
 * compare the fused op with.
 */
export function lstmSequenceComposed(xp: Tensor, whh: Tensor, h0: Tensor, c0: Tensor, reverse: boolean): Tensor {
  const L = xp.shape[0];
  const whhT = whh.T;
  const steps: Tensor[] = new Array<Tensor>(L);
  let h = h0;
  let c = c0;
  for (const t of stepOrder(L, reverse)) {
    const [ai, af, ag, ao] = xp.narrow(0, t, 1).squeeze(0).add(h.matmul(whhT)).chunk(4, 1);
    // BEGIN SOLUTION m6 — the LSTM cell: from the gate pre-activations ai, af, ag, ao: c ← σ(af)⊙c + σ(ai)⊙tanh(ag), h ← σ(ao)⊙tanh(c)
    c = af.sigmoid().mul(c).add(ai.sigmoid().mul(ag.tanh()));
    h = ao.sigmoid().mul(c.tanh());
    // END SOLUTION
    steps[t] = stack([h, c], 0);
  }
  return stack(steps, 0);
}
