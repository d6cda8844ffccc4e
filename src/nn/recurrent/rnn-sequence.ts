/**
 * One direction of one Elman RNN layer over a whole sequence, as a single autograd op.
 *
 * Input: xp [L, N, H] = x·W_ihᵀ + b_ih + b_hh for every step (one product, done by the caller),
 * W_hh [H, H], h0 [N, H]. Output: h [L, N, H] with h_t = act(xp_t + h_{t−1}·W_hhᵀ), act = tanh
 * or relu.
 */
import { Function } from '../../autograd/function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { newTensor } from '../../tensor/creation.js';
import { stack } from '../../autograd/functions/shape.js';
import { allocate, type FloatArray } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composedGradients, recordingBackward } from './composed-backward.js';
import { gemm, previousStates, stepOrder } from './sequence-kernels.js';

/** The RNN's nonlinearity. */
export type RNNNonlinearity = 'tanh' | 'relu';

type RNNCtx = ContextWith<{ reverse: boolean; relu: boolean }>;

export class RNNSequence extends Function {
  static override forward(ctx: RNNCtx, xp: Tensor, whh: Tensor, h0: Tensor, nonlinearity: RNNNonlinearity, reverse: boolean): Tensor {
    const [L, N, H] = xp.shape;
    const relu = nonlinearity === 'relu';
    const x = xp.data() as FloatArray;
    const w = whh.data() as FloatArray;
    const y = allocate(xp.dtype, L * N * H) as FloatArray;
    let h = h0.data() as FloatArray;
    for (const t of stepOrder(L, reverse)) {
      const at = t * N * H;
      const hOut = y.subarray(at, at + N * H);
      gemm(h, w, hOut, N, H, H, false, true);
      for (let e = 0; e < N * H; e++) {
        const a = hOut[e] + x[at + e];
        hOut[e] = relu ? (a > 0 ? a : 0) : Math.tanh(a);
      }
      h = hOut;
    }
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
    const dy = gOut.data() as FloatArray;
    const y = out.data() as FloatArray;
    const w = whh.data() as FloatArray;
    const da = allocate(dtype, L * N * H) as FloatArray;
    const dh = allocate(dtype, N * H) as FloatArray;
    for (const t of stepOrder(L, !ctx.reverse)) {
      const at = t * N * H;
      for (let e = 0; e < N * H; e++) {
        const h = y[at + e];
        const dht = dy[at + e] + dh[e];
        da[at + e] = ctx.relu ? (h > 0 ? dht : 0) : dht * (1 - h * h);
      }
      gemm(da.subarray(at, at + N * H), w, dh, N, H, H, false, false);
    }
    let dW: Tensor | null = null;
    if (needs[1]) {
      const hPrev = previousStates(y, (t) => t * N * H, h0.data() as FloatArray, L, N * H, ctx.reverse, allocate(dtype, L * N * H) as FloatArray);
      const w1 = allocate(dtype, H * H) as FloatArray;
      gemm(da, hPrev, w1, H, H, L * N, true, false);
      dW = newTensor([H, H], dtype, w1);
    }
    return [needs[0] ? newTensor([L, N, H], dtype, da) : null, dW, needs[2] ? newTensor([N, H], dtype, dh) : null, null, null];
  }
}

/** The same recurrence with ordinary tensor ops (used under createGraph, and as the tests' reference). */
export function rnnSequenceComposed(xp: Tensor, whh: Tensor, h0: Tensor, nonlinearity: RNNNonlinearity, reverse: boolean): Tensor {
  const L = xp.shape[0];
  const whhT = whh.T;
  const steps: Tensor[] = new Array<Tensor>(L);
  let h = h0;
  for (const t of stepOrder(L, reverse)) {
    const a = xp.narrow(0, t, 1).squeeze(0).add(h.matmul(whhT));
    h = nonlinearity === 'relu' ? a.relu() : a.tanh();
    steps[t] = h;
  }
  return stack(steps, 0);
}
