/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay — PyTorch's `torch.optim.AdamW`.
 * The rule itself is in adam-base.ts.
 */
import { AdamBase, type AdamGroup, type AdamOptions } from './adam-base.js';
import type { ParamsArg } from './optimizer.js';

/**
 * AdamW: each step first shrinks θ ← θ − γλθ, then takes the Adam step on the plain gradient, so
 * the decay is not rescaled by Adam's per-element denominator. Defaults as Adam's, except
 * weightDecay 1e-2.
 * `new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 })`
 */
export class AdamW extends AdamBase {
  constructor(params: ParamsArg<AdamGroup>, options: AdamOptions = {}) {
    super('AdamW', params, options, 1e-2, true);
  }
}
