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
 * The definition is `gruSequenceComposed` below, in ordinary tensor ops (what the tests compare
 * with, and what is differentiated under createGraph). The fast path is the backend's fused
 * kernel pair `gruSequenceForward`/`gruSequenceBackward` (kernels/recurrent-gru.ts): one
 * [N,H]×[H,3H] product and one loop per step each way; ∂L/∂W_hh is one product at the end.
 */
import { Function } from '../../autograd/function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { newTensor } from '../../tensor/creation.js';
import { allocate, type FloatArray } from '../../kernels/dtype.js';
import { currentBackend } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composedGradients, recordingBackward } from './composed-backward.js';
import { scanSequence } from './scan.js';

/** The recurrence in tensor ops: the definition of the op. */
export function gruSequenceComposed(xp: Tensor, whh: Tensor, bhh: Tensor, h0: Tensor, reverse: boolean): Tensor {
  const whhT = whh.T;
  let h = h0;
  return scanSequence(xp, reverse, (xt) => {
    const [xr, xz, xn] = xt.chunk(3, 1);
    const [hr, hz, hn] = h.matmul(whhT).add(bhh).chunk(3, 1);
    const r = xr.add(hr).sigmoid();
    const z = xz.add(hz).sigmoid();
    const n = xn.add(r.mul(hn)).tanh();
    h = z.neg().add(1).mul(n).add(z.mul(h));
    return h;
  });
}

type GRUCtx = ContextWith<{ reverse: boolean }>;

/** The fused op: forward and backward by the backend's recurrence kernels. */
export class GRUSequence extends Function {
  static override forward(ctx: GRUCtx, xp: Tensor, whh: Tensor, bhh: Tensor, h0: Tensor, reverse: boolean): Tensor {
    const [L, N, G] = xp.shape;
    const H = G / 3;
    const y = allocate(xp.dtype, L * N * H) as FloatArray;
    const kept = allocate(xp.dtype, L * N * 4 * H) as FloatArray; // r, z, n and gh_n per step, for backward
    currentBackend().gruSequenceForward(
      xp.data() as FloatArray, whh.data() as FloatArray, bhh.data() as FloatArray, h0.data() as FloatArray, y, kept,
      { length: L, batch: N, hidden: H, reverse },
    );
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
    const [xp, whh, bhh, h0, out, kept] = ctx.savedTensors;
    const needs = ctx.needsInputGrad;
    if (recordingBackward()) {
      const grads = composedGradients(() => gruSequenceComposed(xp, whh, bhh, h0, ctx.reverse), [xp, whh, bhh, h0], needs, gOut);
      return [...grads, null];
    }
    const [L, N, G] = xp.shape;
    const H = G / 3;
    const dtype = xp.dtype;
    const dxp = allocate(dtype, L * N * G) as FloatArray;
    const dwhh = needs[1] ? (allocate(dtype, G * H) as FloatArray) : null;
    const dbhh = needs[2] ? (allocate(dtype, G) as FloatArray) : null;
    const dh0 = allocate(dtype, N * H) as FloatArray;
    currentBackend().gruSequenceBackward(
      gOut.data() as FloatArray, out.data() as FloatArray, kept.data() as FloatArray, whh.data() as FloatArray, h0.data() as FloatArray,
      dxp, dwhh, dbhh, dh0, { length: L, batch: N, hidden: H, reverse: ctx.reverse },
    );
    return [
      needs[0] ? newTensor([L, N, G], dtype, dxp) : null,
      dwhh ? newTensor([G, H], dtype, dwhh) : null,
      dbhh ? newTensor([G], dtype, dbhh) : null,
      needs[3] ? newTensor([N, H], dtype, dh0) : null,
      null,
    ];
  }
}
