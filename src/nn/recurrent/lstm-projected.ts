/**
 * One direction of one LSTM layer with a projection of h (PyTorch's proj_size), as a single
 * autograd op. Per step (gate blocks i, f, g, o):
 *
 *   a_t = xp_t + h_{t−1}·W_hhᵀ            (xp = x·W_ihᵀ + b_ih + b_hh, computed by the caller)
 *   i = σ(a_i)  f = σ(a_f)  g = tanh(a_g)  o = σ(a_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g     m_t = o ⊙ tanh(c_t)     h_t = m_t·W_hrᵀ
 *
 * Input: xp [L, N, 4H], W_hh [4H, P], W_hr [P, H], h0 [N, P], c0 [N, H]. Output Y [L, N, P + H]:
 * Y[t, :, :P] = h_t and Y[t, :, P:] = c_t, at step t's own index also when reversed.
 *
 * The definition is `lstmProjectedComposed` below, in ordinary tensor ops (the reference, and what
 * is differentiated under createGraph). The fast path is the backend's fused kernel pair
 * `lstmProjectedForward`/`lstmProjectedBackward` (kernels/recurrent-lstm.ts), which shares its gate
 * loops with the plain LSTM's.
 */
import { Function } from '../../autograd/function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { newTensor } from '../../tensor/creation.js';
import { cat } from '../../autograd/functions/shape.js';
import { allocate, type FloatArray } from '../../kernels/dtype.js';
import { currentBackend } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composedGradients, recordingBackward } from './composed-backward.js';
import { lstmCell, scanSequence } from './scan.js';

/** The recurrence in tensor ops, output layout [L, N, P + H] (see the file comment): the definition of the op. */
export function lstmProjectedComposed(xp: Tensor, whh: Tensor, whr: Tensor, h0: Tensor, c0: Tensor, reverse: boolean): Tensor {
  const whhT = whh.T;
  const whrT = whr.T;
  let h = h0;
  let c = c0;
  return scanSequence(xp, reverse, (xt) => {
    const [hCell, cNext] = lstmCell(xt.add(h.matmul(whhT)), c);
    h = hCell.matmul(whrT);
    c = cNext;
    return cat([h, c], 1);
  });
}

type ProjCtx = ContextWith<{ reverse: boolean }>;

/** The fused op: forward and backward by the backend's recurrence kernels. */
export class LSTMProjectedSequence extends Function {
  static override forward(ctx: ProjCtx, xp: Tensor, whh: Tensor, whr: Tensor, h0: Tensor, c0: Tensor, reverse: boolean): Tensor {
    const [L, N, G] = xp.shape;
    const H = G / 4;
    const P = whr.shape[0];
    const y = allocate(xp.dtype, L * N * (P + H)) as FloatArray;
    const gates = allocate(xp.dtype, L * N * G) as FloatArray; // i, f, g, o per step, for backward
    const ms = allocate(xp.dtype, L * N * H) as FloatArray; // m_t, for ∂W_hr
    currentBackend().lstmProjectedForward(
      xp.data() as FloatArray, whh.data() as FloatArray, whr.data() as FloatArray, h0.data() as FloatArray, c0.data() as FloatArray,
      y, gates, ms, { length: L, batch: N, hidden: H, proj: P, reverse },
    );
    const out = newTensor([L, N, P + H], xp.dtype, y);
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
    const [xp, whh, whr, h0, c0, out, gates, ms] = ctx.savedTensors;
    const needs = ctx.needsInputGrad;
    if (recordingBackward()) {
      const grads = composedGradients(() => lstmProjectedComposed(xp, whh, whr, h0, c0, ctx.reverse), [xp, whh, whr, h0, c0], needs, gOut);
      return [...grads, null];
    }
    const [L, N, G] = xp.shape;
    const H = G / 4;
    const P = whr.shape[0];
    const dtype = xp.dtype;
    const dxp = allocate(dtype, L * N * G) as FloatArray;
    const dwhh = needs[1] ? (allocate(dtype, G * P) as FloatArray) : null;
    const dwhr = needs[2] ? (allocate(dtype, P * H) as FloatArray) : null;
    const dh0 = allocate(dtype, N * P) as FloatArray;
    const dc0 = allocate(dtype, N * H) as FloatArray;
    currentBackend().lstmProjectedBackward(
      gOut.data() as FloatArray, out.data() as FloatArray, gates.data() as FloatArray, ms.data() as FloatArray,
      whh.data() as FloatArray, whr.data() as FloatArray, h0.data() as FloatArray, c0.data() as FloatArray,
      dxp, dwhh, dwhr, dh0, dc0, { length: L, batch: N, hidden: H, proj: P, reverse: ctx.reverse },
    );
    return [
      needs[0] ? newTensor([L, N, G], dtype, dxp) : null,
      dwhh ? newTensor([G, P], dtype, dwhh) : null,
      dwhr ? newTensor([P, H], dtype, dwhr) : null,
      needs[3] ? newTensor([N, P], dtype, dh0) : null,
      needs[4] ? newTensor([N, H], dtype, dc0) : null,
      null,
    ];
  }
}
