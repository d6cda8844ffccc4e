/**
 * One direction of one Elman RNN layer over a whole sequence, as a single autograd op.
 *
 * Input: xp [L, N, H] = x·W_ihᵀ + b_ih + b_hh for every step (one product, done by the caller),
 * W_hh [H, H], h0 [N, H]. Output: h [L, N, H] with
 *
 *   h_t = act(xp_t + h_{t−1}·W_hhᵀ),   act = tanh or relu
 *
 * The definition is `rnnSequenceComposed` below, in ordinary tensor ops (what a learner reads,
 * what the tests compare with, and what is differentiated under createGraph). The fast path is
 * the backend's fused kernel pair `rnnSequenceForward`/`rnnSequenceBackward` (kernels/recurrent-rnn.ts):
 * one small product and one loop per step, no graph node per op.
 */
import { Function } from '../../autograd/function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { newTensor } from '../../tensor/creation.js';
import { allocate, type FloatArray } from '../../kernels/dtype.js';
import { currentBackend } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composedGradients, recordingBackward } from './composed-backward.js';
import { scanSequence } from './scan.js';

/** The RNN's nonlinearity. */
export type RNNNonlinearity = 'tanh' | 'relu';

/** The recurrence in tensor ops: the definition of the op. */
export function rnnSequenceComposed(xp: Tensor, whh: Tensor, h0: Tensor, nonlinearity: RNNNonlinearity, reverse: boolean): Tensor {
  const whhT = whh.T;
  let h = h0;
  return scanSequence(xp, reverse, (xt) => {
    const a = xt.add(h.matmul(whhT));
    h = nonlinearity === 'relu' ? a.relu() : a.tanh();
    return h;
  });
}

type RNNCtx = ContextWith<{ reverse: boolean; relu: boolean }>;

/** The fused op: forward and backward by the backend's recurrence kernels. */
export class RNNSequence extends Function {
  static override forward(ctx: RNNCtx, xp: Tensor, whh: Tensor, h0: Tensor, nonlinearity: RNNNonlinearity, reverse: boolean): Tensor {
    const [L, N, H] = xp.shape;
    const relu = nonlinearity === 'relu';
    const y = allocate(xp.dtype, L * N * H) as FloatArray;
    currentBackend().rnnSequenceForward(
      xp.data() as FloatArray, whh.data() as FloatArray, h0.data() as FloatArray, y, { length: L, batch: N, hidden: H, reverse, relu },
    );
    const out = newTensor([L, N, H], xp.dtype, y);
    Object.assign(ctx, { reverse, relu });
    ctx.saveForBackward(xp, whh, h0, out);
    return out;
  }

  // ∂a_t = dh_t ⊙ act'(a_t), with tanh' = 1 − h_t² and relu' = [h_t > 0];
  // ∂xp_t = ∂a_t, dh_{t−1} = ∂a_t · W_hh, ∂W_hh = Σ_t ∂a_tᵀ · h_{t−1}.
  static override backward(ctx: RNNCtx, gOut: Tensor): (Tensor | null)[] {
    const [xp, whh, h0, out] = ctx.savedTensors;
    const needs = ctx.needsInputGrad;
    if (recordingBackward()) {
      const act: RNNNonlinearity = ctx.relu ? 'relu' : 'tanh';
      const grads = composedGradients(() => rnnSequenceComposed(xp, whh, h0, act, ctx.reverse), [xp, whh, h0], needs, gOut);
      return [...grads, null, null];
    }
    const [L, N, H] = xp.shape;
    const dtype = xp.dtype;
    const dxp = allocate(dtype, L * N * H) as FloatArray;
    const dwhh = needs[1] ? (allocate(dtype, H * H) as FloatArray) : null;
    const dh0 = allocate(dtype, N * H) as FloatArray;
    currentBackend().rnnSequenceBackward(
      gOut.data() as FloatArray, out.data() as FloatArray, whh.data() as FloatArray, h0.data() as FloatArray, dxp, dwhh, dh0,
      { length: L, batch: N, hidden: H, reverse: ctx.reverse, relu: ctx.relu },
    );
    return [
      needs[0] ? newTensor([L, N, H], dtype, dxp) : null,
      dwhh ? newTensor([H, H], dtype, dwhh) : null,
      needs[2] ? newTensor([N, H], dtype, dh0) : null,
      null,
      null,
    ];
  }
}
