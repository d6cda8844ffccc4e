/**
 * Adagrad (Duchi, Hazan & Singer) — PyTorch's `torch.optim.Adagrad`.
 */
import type { FloatArray } from '../kernels/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { bufferValues, loadedBuffer, loadedStep, newBuffer, savedBuffer } from './buffers.js';
import { Optimizer, type ParamGroup, type ParamsArg, type SavedParamState } from './optimizer.js';
import { requireAtLeast } from './validate.js';

/** Adagrad's options (PyTorch's defaults: lr 1e-2, eps 1e-10, the rest 0). */
export interface AdagradOptions {
  /** Learning rate γ. */
  lr?: number;
  /** Learning-rate decay η: step t uses γ / (1 + (t − 1)η). */
  lrDecay?: number;
  /** L2 penalty λ, added to the gradient as λθ. */
  weightDecay?: number;
  /** The value the sum of squared gradients starts from. */
  initialAccumulatorValue?: number;
  /** ε, added to the denominator so it is never zero. */
  eps?: number;
  /** Ascend the objective instead of descending it. */
  maximize?: boolean;
}

/** An Adagrad parameter group: its tensors and every option. */
export interface AdagradGroup extends ParamGroup {
  /** Learning-rate decay η. */
  lrDecay: number;
  /** L2 penalty λ. */
  weightDecay: number;
  /** Starting value of the accumulator. */
  initialAccumulatorValue: number;
  /** ε. */
  eps: number;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** Adagrad's state for one parameter. */
export interface AdagradState {
  /** Steps taken so far, t. */
  step: number;
  /** Running sum s of squared gradients. */
  sum: Tensor;
}

/**
 * Adagrad. Per step t, for each parameter θ with gradient ∇:
 *
 *     γ̃ ← γ / (1 + (t − 1)·η)
 *     g ← ∇ (−∇ when maximizing);  g ← g + λθ
 *     s ← s + g²
 *     θ ← θ − γ̃ · g / (√s + ε)
 */
export class Adagrad extends Optimizer<AdagradGroup, AdagradState> {
  constructor(params: ParamsArg<AdagradGroup>, options: AdagradOptions = {}) {
    super('Adagrad', params, {
      lr: options.lr ?? 1e-2,
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
      maximize: options.maximize ?? false,
    }, options);
  }

  protected override validateOptions(o: Omit<AdagradGroup, 'params'>): void {
    requireAtLeast('Adagrad', o, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps']);
  }

  protected override initState(p: Tensor, group: AdagradGroup): AdagradState {
    return { step: 0, sum: newBuffer(p, group.initialAccumulatorValue) };
  }

  protected override update(theta: FloatArray, grad: FloatArray, state: AdagradState, group: AdagradGroup): void {
    const { eps, weightDecay: wd } = group;
    const t = ++state.step;
    const clr = group.lr / (1 + (t - 1) * group.lrDecay);
    const sign = group.maximize ? -1 : 1;
    const s = bufferValues(state.sum);
    const n = theta.length;
    for (let i = 0; i < n; i++) {
      const g = sign * grad[i] + wd * theta[i];
      s[i] += g * g;
      theta[i] -= (clr * g) / (Math.sqrt(s[i]) + eps);
    }
  }

  protected override saveState(state: AdagradState): SavedParamState {
    return { step: state.step, sum: savedBuffer(state.sum) };
  }

  protected override loadState(saved: SavedParamState, p: Tensor, where: string): AdagradState {
    return { step: loadedStep(saved, 'step', where), sum: loadedBuffer(saved, 'sum', p, where) };
  }
}
