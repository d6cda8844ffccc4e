/**
 * What the composed recurrences (the definitions in tensor ops, `*SequenceComposed`) share: the
 * walk over time and the LSTM cell.
 */
import { stack } from '../../autograd/functions/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * Runs a recurrence over the steps of xp [L, …]: `step(xt)` gets step t's input xp[t] and returns
 * the step's output, and the outputs are stacked into [L, …] at their own index t. With `reverse`
 * the steps run from t = L − 1 down to 0 (the backward direction of a bidirectional layer).
 */
export function scanSequence(xp: Tensor, reverse: boolean, step: (xt: Tensor) => Tensor): Tensor {
  const L = xp.shape[0];
  const outputs = new Array<Tensor>(L);
  for (let s = 0; s < L; s++) {
    const t = reverse ? L - 1 - s : s;
    outputs[t] = step(xp.narrow(0, t, 1).squeeze(0));
  }
  return stack(outputs, 0);
}

/**
 * The LSTM cell from its gate pre-activations a = x·W_ihᵀ + h·W_hhᵀ (+ biases) [N, 4H], in
 * PyTorch's order i, f, g, o, and the previous cell state c:
 *   c′ = σ(a_f)⊙c + σ(a_i)⊙tanh(a_g),   h′ = σ(a_o)⊙tanh(c′).   Returns [h′, c′].
 */
export function lstmCell(a: Tensor, c: Tensor): [Tensor, Tensor] {
  const [ai, af, ag, ao] = a.chunk(4, 1);
  // BEGIN SOLUTION m6 — the LSTM cell: from the gate pre-activations ai, af, ag, ao: c ← σ(af)⊙c + σ(ai)⊙tanh(ag), h ← σ(ao)⊙tanh(c)
  const cNext = af.sigmoid().mul(c).add(ai.sigmoid().mul(ag.tanh()));
  const hNext = ao.sigmoid().mul(cNext.tanh());
  return [hNext, cNext];
  // END SOLUTION
}
