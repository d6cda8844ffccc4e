/**
 * One direction of one GRU layer over a whole sequence, as a single autograd op.
 *
 * Input: xp [L, N, 3H] = x·W_ihᵀ + b_ih for every step (one matrix product, done by the caller),
 * W_hh [3H, H], b_hh [3H], h0 [N, H]. Output: h [L, N, H]. Per step (gate blocks r, z, n,
 * PyTorch's order and equations — r multiplies (W_hn h + b_hn) AFTER the product):
 *
 *   gh = h_{t−1}·W_hhᵀ + b_hh
 *   r = σ(xp_r + gh_r)   z = σ(xp_z + gh_z)   n = tanh(xp_n + r ⊙ gh_n)
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *
 * One [N,H]×[H,3H] product and one fused loop per step each way; ∂L/∂W_hh is one product at the end.
 */
import { Function } from '../../autograd/function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { newTensor } from '../../tensor/creation.js';
import { stack } from '../../autograd/functions/shape.js';
import { allocate, type FloatArray } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composedGradients, recordingBackward } from './composed-backward.js';
import { gemm, previousStates, sigmoid, stepOrder } from './sequence-kernels.js';

type GRUCtx = ContextWith<{ reverse: boolean }>;

export class GRUSequence extends Function {
  static override forward(ctx: GRUCtx, xp: Tensor, whh: Tensor, bhh: Tensor, h0: Tensor, reverse: boolean): Tensor {
    const [L, N, G] = xp.shape;
    const H = G / 3;
    const x = xp.data() as FloatArray;
    const w = whh.data() as FloatArray;
    const b = bhh.data() as FloatArray;
    const y = allocate(xp.dtype, L * N * H) as FloatArray;
    // Per step and element: r, z, n and gh_n, which backward needs.
    const kept = allocate(xp.dtype, L * N * 4 * H) as FloatArray;
    const gh = allocate(xp.dtype, N * G) as FloatArray;
    let h = h0.data() as FloatArray;
    for (const t of stepOrder(L, reverse)) {
      gemm(h, w, gh, N, G, H, false, true);
      for (let n = 0; n < N; n++) {
        const row = n * G;
        const xRow = t * N * G + row;
        const kRow = (t * N + n) * 4 * H;
        for (let j = 0; j < H; j++) {
          const r = sigmoid(x[xRow + j] + gh[row + j] + b[j]);
          const z = sigmoid(x[xRow + H + j] + gh[row + H + j] + b[H + j]);
          const ghn = gh[row + 2 * H + j] + b[2 * H + j];
          const nt = Math.tanh(x[xRow + 2 * H + j] + r * ghn);
          y[(t * N + n) * H + j] = (1 - z) * nt + z * h[n * H + j];
          kept[kRow + j] = r;
          kept[kRow + H + j] = z;
          kept[kRow + 2 * H + j] = nt;
          kept[kRow + 3 * H + j] = ghn;
        }
      }
      h = y.subarray(t * N * H, (t + 1) * N * H);
    }
    const out = newTensor([L, N, H], xp.dtype, y);
    ctx.reverse = reverse;
    ctx.saveForBackward(xp, whh, bhh, h0, out, newTensor([L, N, 4 * H], xp.dtype, kept));
    return out;
  }

  // With dh_t = ∂L/∂h_t (from the output and from step t+1):
  //   ∂z = dh_t ⊙ (h_{t−1} − n) ⊙ z(1−z)      ∂n = dh_t ⊙ (1 − z) ⊙ (1 − n²)
  //   ∂r = ∂n ⊙ gh_n ⊙ r(1−r)
  //   ∂xp_t = (∂r, ∂z, ∂n)      ∂gh_t = (∂r, ∂z, ∂n ⊙ r)
  //   dh_{t−1} = dh_t ⊙ z + ∂gh_t · W_hh,  ∂W_hh = Σ_t ∂gh_tᵀ · h_{t−1},  ∂b_hh = Σ_t Σ_batch ∂gh_t
  static override backward(ctx: GRUCtx, gOut: Tensor): (Tensor | null)[] {
    const [xp, whh, bhh, h0, out, keptT] = ctx.savedTensors;
    const needs = ctx.needsInputGrad;
    if (recordingBackward()) {
      const grads = composedGradients(() => gruSequenceComposed(xp, whh, bhh, h0, ctx.reverse), [xp, whh, bhh, h0], needs, gOut);
      return [...grads, null];
    }
    const [L, N, G] = xp.shape;
    const H = G / 3;
    const dtype = xp.dtype;
    const dy = gOut.data() as FloatArray;
    const y = out.data() as FloatArray;
    const kept = keptT.data() as FloatArray;
    const w = whh.data() as FloatArray;
    const h0d = h0.data() as FloatArray;
    const dx = allocate(dtype, L * N * G) as FloatArray;
    const dgh = allocate(dtype, L * N * G) as FloatArray;
    const dh = allocate(dtype, N * H) as FloatArray;
    const order = stepOrder(L, ctx.reverse);
    for (let s = L - 1; s >= 0; s--) {
      const t = order[s];
      const hPrev = s === 0 ? h0d : y.subarray(order[s - 1] * N * H);
      for (let n = 0; n < N; n++) {
        const row = (t * N + n) * G;
        const kRow = (t * N + n) * 4 * H;
        for (let j = 0; j < H; j++) {
          const e = n * H + j;
          const r = kept[kRow + j];
          const z = kept[kRow + H + j];
          const nt = kept[kRow + 2 * H + j];
          const ghn = kept[kRow + 3 * H + j];
          const dht = dy[(t * N + n) * H + j] + dh[e];
          const dz = dht * (hPrev[e] - nt) * z * (1 - z);
          const dn = dht * (1 - z) * (1 - nt * nt);
          const dr = dn * ghn * r * (1 - r);
          dx[row + j] = dr;
          dx[row + H + j] = dz;
          dx[row + 2 * H + j] = dn;
          dgh[row + j] = dr;
          dgh[row + H + j] = dz;
          dgh[row + 2 * H + j] = dn * r;
          dh[e] = dht * z;
        }
      }
      // dh_{t−1} = dh_t ⊙ z (already in dh) + ∂gh_t · W_hh
      const viaW = allocate(dtype, N * H) as FloatArray;
      gemm(dgh.subarray(t * N * G, (t + 1) * N * G), w, viaW, N, H, G, false, false);
      for (let e = 0; e < N * H; e++) dh[e] += viaW[e];
    }
    let dW: Tensor | null = null;
    if (needs[1]) {
      const hPrev = previousStates(y, (t) => t * N * H, h0d, L, N * H, ctx.reverse, allocate(dtype, L * N * H) as FloatArray);
      const w1 = allocate(dtype, G * H) as FloatArray;
      gemm(dgh, hPrev, w1, G, H, L * N, true, false);
      dW = newTensor([G, H], dtype, w1);
    }
    let dB: Tensor | null = null;
    if (needs[2]) {
      const b1 = allocate(dtype, G) as FloatArray;
      for (let row = 0; row < L * N; row++) for (let k = 0; k < G; k++) b1[k] += dgh[row * G + k];
      dB = newTensor([G], dtype, b1);
    }
    return [needs[0] ? newTensor([L, N, G], dtype, dx) : null, dW, dB, needs[3] ? newTensor([N, H], dtype, dh) : null, null];
  }
}

/**
 * The same recurrence with ordinary tensor ops: what the fused op differentiates under
 * createGraph, and the reference the tests compare it with.
 */
export function gruSequenceComposed(xp: Tensor, whh: Tensor, bhh: Tensor, h0: Tensor, reverse: boolean): Tensor {
  const L = xp.shape[0];
  const whhT = whh.T;
  const steps: Tensor[] = new Array<Tensor>(L);
  let h = h0;
  for (const t of stepOrder(L, reverse)) {
    const [xr, xz, xn] = xp.narrow(0, t, 1).squeeze(0).chunk(3, 1);
    const [hr, hz, hn] = h.matmul(whhT).add(bhh).chunk(3, 1);
    const r = xr.add(hr).sigmoid();
    const z = xz.add(hz).sigmoid();
    const n = xn.add(r.mul(hn)).tanh();
    h = z.neg().add(1).mul(n).add(z.mul(h));
    steps[t] = h;
  }
  return stack(steps, 0);
}
