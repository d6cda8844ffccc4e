/**
 * One direction of one LSTM layer with a projection of h (PyTorch's proj_size), written with
 * ordinary tensor ops so autograd differentiates it. Per step (gate blocks i, f, g, o):
 *
 *   a_t = xp_t + h_{t−1}·W_hhᵀ            (xp = x·W_ihᵀ + b_ih + b_hh, computed by the caller)
 *   i = σ(a_i)  f = σ(a_f)  g = tanh(a_g)  o = σ(a_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g              h_t = (o ⊙ tanh(c_t))·W_hrᵀ
 *
 * xp [L, N, 4H], W_hh [4H, P], W_hr [P, H], h0 [N, P], c0 [N, H] → outputs [L, N, P] (h_t at step
 * t, in time order also when reversed), the final h [N, P] and c [N, H].
 */
import { stack } from '../../autograd/ops/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { stepOrder } from './sequence-kernels.js';

/** The projected LSTM recurrence over a whole sequence; see the file comment. */
export function lstmProjectedSequence(
  xp: Tensor, whh: Tensor, whr: Tensor, h0: Tensor, c0: Tensor, reverse: boolean,
): { out: Tensor; h: Tensor; c: Tensor } {
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
    steps[t] = h;
  }
  return { out: stack(steps, 0), h, c };
}
