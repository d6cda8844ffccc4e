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
 * The definition is `lstmSequenceComposed` below, in ordinary tensor ops (what a learner reads,
 * what the tests and the benchmark compare with, and what is differentiated under createGraph).
 * The fast path is the backend's fused kernel pair `lstmSequenceForward`/`lstmSequenceBackward`
 * (kernels/recurrent-lstm.ts): one [N,H]×[H,4H] product and one loop per step forward, BPTT as a plain
 * loop backward, then a single product for ∂L/∂W_hh over all steps.
 */
import { Function } from '../../autograd/function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { newTensor } from '../../tensor/creation.js';
import { stack } from '../../autograd/functions/shape.js';
import { allocate, type FloatArray } from '../../kernels/dtype.js';
import { currentBackend } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composedGradients, recordingBackward } from './composed-backward.js';
import { lstmCell, scanSequence } from './scan.js';

/** The recurrence in tensor ops (one graph node per op per step): the definition of the op. */
export function lstmSequenceComposed(xp: Tensor, whh: Tensor, h0: Tensor, c0: Tensor, reverse: boolean): Tensor {
  const whhT = whh.T;
  let h = h0;
  let c = c0;
  return scanSequence(xp, reverse, (xt) => {
    [h, c] = lstmCell(xt.add(h.matmul(whhT)), c);
    return stack([h, c], 0);
  });
}

type LSTMCtx = ContextWith<{ reverse: boolean }>;

/** The fused op: forward and backward by the backend's recurrence kernels. */
export class LSTMSequence extends Function {
  static override forward(ctx: LSTMCtx, xp: Tensor, whh: Tensor, h0: Tensor, c0: Tensor, reverse: boolean): Tensor {
    const [L, N, G] = xp.shape;
    const H = G / 4;
    const y = allocate(xp.dtype, L * 2 * N * H) as FloatArray;
    const gates = allocate(xp.dtype, L * N * G) as FloatArray; // i, f, g, o per step, kept for backward
    currentBackend().lstmSequenceForward(
      xp.data() as FloatArray, whh.data() as FloatArray, h0.data() as FloatArray, c0.data() as FloatArray, y, gates,
      { length: L, batch: N, hidden: H, reverse },
    );
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
    const [xp, whh, h0, c0, out, gates] = ctx.savedTensors;
    const needs = ctx.needsInputGrad;
    if (recordingBackward()) {
      const grads = composedGradients(() => lstmSequenceComposed(xp, whh, h0, c0, ctx.reverse), [xp, whh, h0, c0], needs, gOut);
      return [...grads, null];
    }
    const [L, N, G] = xp.shape;
    const H = G / 4;
    const dtype = xp.dtype;
    const dxp = allocate(dtype, L * N * G) as FloatArray;
    const dwhh = needs[1] ? (allocate(dtype, G * H) as FloatArray) : null;
    const dh0 = allocate(dtype, N * H) as FloatArray;
    const dc0 = allocate(dtype, N * H) as FloatArray;
    currentBackend().lstmSequenceBackward(
      gOut.data() as FloatArray, out.data() as FloatArray, gates.data() as FloatArray, whh.data() as FloatArray,
      h0.data() as FloatArray, c0.data() as FloatArray, dxp, dwhh, dh0, dc0, { length: L, batch: N, hidden: H, reverse: ctx.reverse },
    );
    return [
      needs[0] ? newTensor([L, N, G], dtype, dxp) : null,
      dwhh ? newTensor([G, H], dtype, dwhh) : null,
      needs[2] ? newTensor([N, H], dtype, dh0) : null,
      needs[3] ? newTensor([N, H], dtype, dc0) : null,
      null,
    ];
  }
}
