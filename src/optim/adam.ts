/**
 * Adam with L2 weight decay — PyTorch's `torch.optim.Adam`. The rule itself is in adam-base.ts.
 */
import { AdamBase, type AdamGroup, type AdamOptions } from './adam-base.js';
import type { ParamsArg } from './optimizer.js';

/**
 * Adam: running averages m, v of the gradient and its square, bias-corrected, step
 * θ ← θ − γ·m̂/(√v̂ + ε); weight decay λ joins the gradient as g + λθ (an L2 penalty).
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, amsgrad false.
 * `new optim.Adam(model.parameters(), { lr: 1e-3 })`
 */
export class Adam extends AdamBase {
  constructor(params: ParamsArg<AdamGroup>, options: AdamOptions = {}) {
    super('Adam', params, options, 0, false);
  }
}
