/**
 * Stochastic gradient descent, optionally with momentum (heavy-ball or Nesterov), dampening and
 * L2 weight decay — PyTorch's `torch.optim.SGD`.
 */
import type { FloatArray } from '../kernels/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { bufferValues, loadedOptionalBuffer, newBuffer, savedBuffer } from './buffers.js';
import { Optimizer, type ParamGroup, type ParamsArg, type SavedParamState } from './optimizer.js';
import { requireAtLeast } from './validate.js';

/** SGD's options (PyTorch's defaults: lr 1e-3, everything else off). */
export interface SGDOptions {
  /** Learning rate γ. */
  lr?: number;
  /** Momentum factor μ. */
  momentum?: number;
  /** Dampening τ: the new gradient enters the momentum buffer scaled by 1 − τ. */
  dampening?: number;
  /** L2 penalty λ, added to the gradient as λθ. */
  weightDecay?: number;
  /** Nesterov momentum: step along g + μb instead of b (needs μ > 0 and τ = 0). */
  nesterov?: boolean;
  /** Ascend the objective instead of descending it. */
  maximize?: boolean;
}

/** An SGD parameter group: its tensors and every option. */
export interface SGDGroup extends ParamGroup {
  /** Momentum factor μ. */
  momentum: number;
  /** Dampening τ. */
  dampening: number;
  /** L2 penalty λ. */
  weightDecay: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** SGD's state for one parameter: the momentum buffer b, made at the first step with μ ≠ 0. */
export interface SGDState {
  /** The momentum buffer b (null until a step with momentum). */
  momentumBuffer: Tensor | null;
}

/**
 * SGD. Per step, for each parameter θ with gradient ∇:
 *
 *     g ← ∇ (−∇ when maximizing);  g ← g + λθ
 *     if μ ≠ 0:  b ← g at the first step, else μb + (1 − τ)g;   g ← g + μb (Nesterov) or b
 *     θ ← θ − γg
 * `new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`
 */
export class SGD extends Optimizer<SGDGroup, SGDState> {
  constructor(params: ParamsArg<SGDGroup>, options: SGDOptions = {}) {
    super('SGD', params, {
      lr: options.lr ?? 1e-3,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
    }, options);
  }

  protected override validateOptions(o: Omit<SGDGroup, 'params'>): void {
    requireAtLeast('SGD', o, ['lr', 'momentum', 'weightDecay']);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError(`SGD: Nesterov momentum requires a momentum > 0 and zero dampening, got momentum ${o.momentum} and dampening ${o.dampening}`);
    }
  }

  protected override initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected override update(theta: FloatArray, grad: FloatArray, state: SGDState, group: SGDGroup, p: Tensor): void {
    // BEGIN SOLUTION m5 — SGD update: g = ±∇ + λθ; with momentum μ: b ← g at the first step, else μb + (1 − τ)g, and g ← g + μb (Nesterov) or b; θ ← θ − γg (in place on theta; the buffer lives in state.momentumBuffer)
    const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = group;
    const sign = group.maximize ? -1 : 1;
    const n = theta.length;
    if (mu === 0) {
      for (let i = 0; i < n; i++) theta[i] -= lr * (sign * grad[i] + wd * theta[i]);
      return;
    }
    // b ← μ'·b + (1 − τ')·g, with (μ', τ') = (0, 0) at the first step (b ← g; b starts at 0), and
    // the step direction cg·g + cb·b, with (cg, cb) = (1, μ) for Nesterov, (0, 1) otherwise. The
    // coefficients make both choices exact without a branch per element, which V8 does not hoist.
    const first = state.momentumBuffer === null;
    state.momentumBuffer ??= newBuffer(p);
    const b = bufferValues(state.momentumBuffer);
    const bufDecay = first ? 0 : mu;
    const gradIn = first ? 1 : 1 - dampening;
    const cg = nesterov ? 1 : 0;
    const cb = nesterov ? mu : 1;
    for (let i = 0; i < n; i++) {
      const x = theta[i];
      const g = sign * grad[i] + wd * x;
      b[i] = bufDecay * b[i] + gradIn * g;
      theta[i] = x - lr * (cg * g + cb * b[i]);
    }
    // END SOLUTION
  }

  protected override saveState(state: SGDState): SavedParamState {
    return state.momentumBuffer === null ? {} : { momentumBuffer: savedBuffer(state.momentumBuffer) };
  }

  protected override loadState(saved: SavedParamState, p: Tensor, where: string): SGDState {
    return { momentumBuffer: loadedOptionalBuffer(saved, 'momentumBuffer', p, where) };
  }
}
