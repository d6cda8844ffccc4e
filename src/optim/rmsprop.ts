/**
 * RMSprop (Hinton), optionally centered and with momentum — PyTorch's `torch.optim.RMSprop`.
 */
import type { FloatArray } from '../kernels/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { bufferValues, loadedBuffer, loadedOptionalBuffer, loadedStep, newBuffer, savedBuffer } from './buffers.js';
import { Optimizer, type ParamGroup, type ParamsArg, type SavedParamState } from './optimizer.js';
import { requireAtLeast } from './validate.js';

/** RMSprop's options (PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, the rest off). */
export interface RMSpropOptions {
  /** Learning rate γ. */
  lr?: number;
  /** Smoothing constant α of the running average of g². */
  alpha?: number;
  /** ε, added to the denominator so it is never zero. */
  eps?: number;
  /** L2 penalty λ, added to the gradient as λθ. */
  weightDecay?: number;
  /** Momentum factor μ. */
  momentum?: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment. */
  centered?: boolean;
  /** Ascend the objective instead of descending it. */
  maximize?: boolean;
}

/** An RMSprop parameter group: its tensors and every option. */
export interface RMSpropGroup extends ParamGroup {
  /** α. */
  alpha: number;
  /** ε. */
  eps: number;
  /** L2 penalty λ. */
  weightDecay: number;
  /** Momentum factor μ. */
  momentum: number;
  /** Centered variant. */
  centered: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** RMSprop's state for one parameter. */
export interface RMSpropState {
  /** Steps taken so far. */
  step: number;
  /** Running average v of g². */
  squareAvg: Tensor;
  /** Momentum buffer b (null while μ = 0). */
  momentumBuffer: Tensor | null;
  /** Running average ḡ of g, for the centered variant (null otherwise). */
  gradAvg: Tensor | null;
}

/**
 * RMSprop. Per step, for each parameter θ with gradient ∇:
 *
 *     g ← ∇ (−∇ when maximizing);  g ← g + λθ
 *     v ← α·v + (1 − α)·g²
 *     centered: ḡ ← α·ḡ + (1 − α)·g,  d ← √(v − ḡ²) + ε      else d ← √v + ε
 *     μ > 0: b ← μ·b + g/d,  θ ← θ − γ·b                        else θ ← θ − γ·g/d
 *
 * v − ḡ² is a variance (never negative in exact arithmetic); it is clamped at 0 so that
 * rounding cannot turn it into the square root of a negative number.
 */
export class RMSprop extends Optimizer<RMSpropGroup, RMSpropState> {
  constructor(params: ParamsArg<RMSpropGroup>, options: RMSpropOptions = {}) {
    super('RMSprop', params, {
      lr: options.lr ?? 1e-2,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      maximize: options.maximize ?? false,
    }, options);
  }

  protected override validateOptions(o: Omit<RMSpropGroup, 'params'>): void {
    requireAtLeast('RMSprop', o, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum']);
  }

  protected override initState(p: Tensor, group: RMSpropGroup): RMSpropState {
    return {
      step: 0,
      squareAvg: newBuffer(p),
      momentumBuffer: group.momentum > 0 ? newBuffer(p) : null,
      gradAvg: group.centered ? newBuffer(p) : null,
    };
  }

  protected override update(theta: FloatArray, grad: FloatArray, state: RMSpropState, group: RMSpropGroup, p: Tensor): void {
    const { lr, alpha, eps, weightDecay: wd, momentum: mu, centered } = group;
    const sign = group.maximize ? -1 : 1;
    state.step++;
    if (mu > 0) state.momentumBuffer ??= newBuffer(p);
    if (centered) state.gradAvg ??= newBuffer(p);
    const v = bufferValues(state.squareAvg);
    // Unused aliases of v when the option is off, so the loop needs no null checks.
    const b = state.momentumBuffer === null ? v : bufferValues(state.momentumBuffer);
    const gAvg = state.gradAvg === null ? v : bufferValues(state.gradAvg);
    const n = theta.length;
    for (let i = 0; i < n; i++) {
      const g = sign * grad[i] + wd * theta[i];
      v[i] = alpha * v[i] + (1 - alpha) * g * g;
      let variance = v[i];
      if (centered) {
        gAvg[i] = alpha * gAvg[i] + (1 - alpha) * g;
        variance = Math.max(0, variance - gAvg[i] * gAvg[i]);
      }
      const d = Math.sqrt(variance) + eps;
      if (mu > 0) {
        b[i] = mu * b[i] + g / d;
        theta[i] -= lr * b[i];
      } else {
        theta[i] -= (lr * g) / d;
      }
    }
  }

  protected override saveState(state: RMSpropState): SavedParamState {
    const saved: SavedParamState = { step: state.step, squareAvg: savedBuffer(state.squareAvg) };
    if (state.momentumBuffer !== null) saved.momentumBuffer = savedBuffer(state.momentumBuffer);
    if (state.gradAvg !== null) saved.gradAvg = savedBuffer(state.gradAvg);
    return saved;
  }

  protected override loadState(saved: SavedParamState, p: Tensor, where: string): RMSpropState {
    return {
      step: loadedStep(saved, 'step', where),
      squareAvg: loadedBuffer(saved, 'squareAvg', p, where),
      momentumBuffer: loadedOptionalBuffer(saved, 'momentumBuffer', p, where),
      gradAvg: loadedOptionalBuffer(saved, 'gradAvg', p, where),
    };
  }
}
