/**
 * Attention rollout (Abnar & Zuidema, 2020): how much each input token flows into each position
 * through a stack of attention layers. For layer l with attention W_l (heads averaged), the
 * residual connection is accounted for by A_l = normalise(W_l + I) (rows rescaled to sum to 1),
 * and the layers compose by matrix product: rollout = A_L · … · A_2 · A_1. Row i of the result
 * is the share of every input token in position i's output.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { checkOptions, optionKeys } from '../options.js';
import { eye } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of `explain.attentionRollout`. */
export interface AttentionRolloutOptions {
  /** Add the identity to each layer's attention (the residual path) before renormalising the rows [true]. */
  addResidual?: boolean;
}

/**
 * Rollout of the attention weights of consecutive layers, first layer first: each [N, H, S, S]
 * (per head, as `nn.MultiheadAttention` returns with `averageAttnWeights: false`; heads are
 * averaged) or [N, S, S]. Returns [N, S, S].
 *
 * @example explain.attentionRollout([w1, w2, w3]) // [N, S, S]; row 0: the CLS token's sources
 */
export function attentionRollout(weights: readonly Tensor[], opts: AttentionRolloutOptions = {}): Tensor {
  const method = 'explain.attentionRollout';
  checkOptions(method, opts, optionKeys<AttentionRolloutOptions>({ addResidual: true }));
  if (!Array.isArray(weights) || weights.length === 0) throw new ShapeError(`${method}: expected a non-empty array of attention weights, one per layer`);
  const first = weights[0];
  if (!(first instanceof Tensor)) throw new TypeError(`${method}: attention weights must be Tensors`);
  const [n, s] = [first.shape[0], first.shape[first.ndim - 1]];
  weights.forEach((w, l) => {
    if (!(w instanceof Tensor)) throw new TypeError(`${method}: attention weights of layer ${l} must be a Tensor`);
    const ok = (w.ndim === 3 || w.ndim === 4) && w.shape[0] === n && w.shape[w.ndim - 1] === s && w.shape[w.ndim - 2] === s;
    if (!ok) throw new ShapeError(`${method}: layer ${l} weights must be [N, H, S, S] or [N, S, S] with N = ${n}, S = ${s} as layer 0, got ${fmtShape(w.shape)}`);
  });
  const residual = opts.addResidual ?? true;
  return noGrad(() => {
    let rollout: Tensor | null = null;
    for (const w of weights) {
      const averaged = w.ndim === 4 ? w.mean(1) : w;
      const raw = residual ? averaged.add(eye(s, { dtype: averaged.dtype })) : averaged;
      // a row summing to zero (no attention at all) stays zero instead of becoming NaN
      const layer = raw.div(raw.sum(-1, true).clamp(1e-30));
      rollout = rollout === null ? layer : layer.matmul(rollout);
    }
    return rollout as Tensor;
  });
}
