/**
 * The Adam rule (Kingma & Ba), optionally AMSGrad, shared by `Adam` (adam.ts; L2 weight decay in
 * the gradient) and `AdamW` (adamw.ts; decoupled weight decay) — PyTorch's `torch.optim.Adam` and
 * `torch.optim.AdamW`.
 */
import type { FloatArray } from '../kernels/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { bufferValues, loadedBuffer, loadedOptionalBuffer, loadedStep, newBuffer, savedBuffer } from './buffers.js';
import { Optimizer, type ParamGroup, type ParamsArg, type SavedParamState } from './optimizer.js';
import { requireAtLeast, requireUnitInterval } from './validate.js';

/** Adam's options (PyTorch's defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, no decay). */
export interface AdamOptions {
  /** Learning rate γ. */
  lr?: number;
  /** Decay rates [β1, β2] of the running averages of the gradient and of its square. */
  betas?: readonly [number, number];
  /** ε, added to the denominator so it is never zero. */
  eps?: number;
  /** Weight decay λ (an L2 penalty added to the gradient in Adam; decoupled in AdamW). */
  weightDecay?: number;
  /** AMSGrad: normalize by the largest second moment seen so far. */
  amsgrad?: boolean;
  /** Ascend the objective instead of descending it. */
  maximize?: boolean;
}

/** An Adam (or AdamW) parameter group: its tensors and every option. */
export interface AdamGroup extends ParamGroup {
  /** [β1, β2]. */
  betas: [number, number];
  /** ε. */
  eps: number;
  /** Weight decay λ. */
  weightDecay: number;
  /** AMSGrad variant. */
  amsgrad: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** Adam's state for one parameter. */
export interface AdamState {
  /** Steps taken so far, t. */
  step: number;
  /** First moment m (running average of g). */
  expAvg: Tensor;
  /** Second moment v (running average of g²). */
  expAvgSq: Tensor;
  /** AMSGrad's running maximum of v (null without AMSGrad). */
  maxExpAvgSq: Tensor | null;
}

/**
 * The Adam family. Per step t, for each parameter θ with gradient ∇:
 *
 *     g ← ∇ (−∇ when maximizing)
 *     Adam: g ← g + λθ            AdamW: θ ← θ − γλθ
 *     m ← β1·m + (1 − β1)·g
 *     v ← β2·v + (1 − β2)·g²
 *     AMSGrad: v_max ← max(v_max, v), and v_max replaces v below
 *     θ ← θ − γ/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
 *
 * The last line is m̂/(√v̂ + ε) with the bias corrections m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ), written
 * as PyTorch evaluates it.
 */
export abstract class AdamBase extends Optimizer<AdamGroup, AdamState> {
  /** True for AdamW: weight decay shrinks θ directly instead of joining the gradient. */
  protected readonly decoupledWeightDecay: boolean;

  constructor(name: string, params: ParamsArg<AdamGroup>, options: AdamOptions, defaultWeightDecay: number, decoupled: boolean) {
    super(name, params, adamDefaults(options, defaultWeightDecay), options);
    this.decoupledWeightDecay = decoupled;
  }

  protected override validateOptions(o: Omit<AdamGroup, 'params'>): void {
    requireAtLeast(this.name, o, ['lr', 'eps', 'weightDecay']);
    requireUnitInterval(this.name, 'betas[0]', o.betas[0]);
    requireUnitInterval(this.name, 'betas[1]', o.betas[1]);
  }

  protected override initState(p: Tensor, group: AdamGroup): AdamState {
    return { step: 0, expAvg: newBuffer(p), expAvgSq: newBuffer(p), maxExpAvgSq: group.amsgrad ? newBuffer(p) : null };
  }

  protected override update(theta: FloatArray, grad: FloatArray, state: AdamState, group: AdamGroup, p: Tensor): void {
    // BEGIN SOLUTION m5 — Adam update: t ← t + 1; m ← β1·m + (1 − β1)g, v ← β2·v + (1 − β2)g², θ ← θ − γ·m̂/(√v̂ + ε) with m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t) (weight decay, maximize and amsgrad as the options say)
    const { lr, eps } = group;
    const [beta1, beta2] = group.betas;
    const t = ++state.step;
    const stepSize = lr / (1 - beta1 ** t);
    const sqrtBias2 = Math.sqrt(1 - beta2 ** t);
    const sign = group.maximize ? -1 : 1;
    // Coupled decay joins the gradient (g + λθ); decoupled decay scales θ by (1 − γλ) first.
    const l2 = this.decoupledWeightDecay ? 0 : group.weightDecay;
    const shrink = this.decoupledWeightDecay ? 1 - lr * group.weightDecay : 1;
    const m = bufferValues(state.expAvg);
    const v = bufferValues(state.expAvgSq);
    if (group.amsgrad) state.maxExpAvgSq ??= newBuffer(p);
    // Without AMSGrad, vMax is v itself: max(v[i], v[i]) = v[i], so one branch-free loop does both.
    const vMax = group.amsgrad && state.maxExpAvgSq !== null ? bufferValues(state.maxExpAvgSq) : v;
    const n = theta.length;
    for (let i = 0; i < n; i++) {
      const x = theta[i] * shrink;
      const g = sign * grad[i] + l2 * x;
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      vMax[i] = Math.max(vMax[i], v[i]);
      theta[i] = x - (stepSize * m[i]) / (Math.sqrt(vMax[i]) / sqrtBias2 + eps);
    }
    // END SOLUTION
  }

  protected override saveState(state: AdamState): SavedParamState {
    const saved: SavedParamState = { step: state.step, expAvg: savedBuffer(state.expAvg), expAvgSq: savedBuffer(state.expAvgSq) };
    if (state.maxExpAvgSq !== null) saved.maxExpAvgSq = savedBuffer(state.maxExpAvgSq);
    return saved;
  }

  protected override loadState(saved: SavedParamState, p: Tensor, where: string): AdamState {
    return {
      step: loadedStep(saved, 'step', where),
      expAvg: loadedBuffer(saved, 'expAvg', p, where),
      expAvgSq: loadedBuffer(saved, 'expAvgSq', p, where),
      maxExpAvgSq: loadedOptionalBuffer(saved, 'maxExpAvgSq', p, where),
    };
  }
}

/** Adam's and AdamW's defaults, which differ only in the weight decay. */
function adamDefaults(options: AdamOptions, weightDecay: number): Omit<AdamGroup, 'params'> {
  const [beta1, beta2] = options.betas ?? [0.9, 0.999];
  return {
    lr: options.lr ?? 1e-3,
    betas: [beta1, beta2],
    eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? weightDecay,
    amsgrad: options.amsgrad ?? false,
    maximize: options.maximize ?? false,
  };
}
