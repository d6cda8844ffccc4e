/**
 * `nn.utils`: gradient clipping and flattening parameters to one vector and back. All run
 * under noGrad (they change gradients and parameters in place, outside the graph). Pruning is
 * the namespace `nn.utils.prune`.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { cat } from '../autograd/functions/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumberArgs } from '../options.js';

/** Magnitude pruning with masks that training respects (PyTorch's `torch.nn.utils.prune`). */
export * as prune from './prune/index.js';

/**
 * Scales every gradient by min(1, maxNorm/(total + 1e-6)), where total is the p-norm of all
 * gradients taken together (p = normType, Infinity for the max norm), and returns total.
 * Parameters without a gradient are skipped.
 * `nn.utils.clipGradNorm_(model.parameters(), 1.0)`
 */
export function clipGradNorm_(params: Iterable<Tensor>, maxNorm: number, normType = 2): number {
  checkNumberArgs('clipGradNorm_', { maxNorm, normType });
  if (!(normType > 0)) throw new ShapeError(`clipGradNorm_: normType must be positive (or Infinity), got ${normType}`);
  const grads = [...params].map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return 0;
  let total = 0;
  for (const g of grads) {
    const d = g.data();
    for (let i = 0; i < d.length; i++) {
      const a = Math.abs(d[i]);
      total = normType === Infinity ? Math.max(total, a) : total + a ** normType;
    }
  }
  if (normType !== Infinity) total = total ** (1 / normType);
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) noGrad(() => grads.forEach((g) => g.mul_(coef)));
  return total;
}

/**
 * Clamps every gradient element into [−clipValue, clipValue].
 * `nn.utils.clipGradValue_(model.parameters(), 0.5)`
 */
export function clipGradValue_(params: Iterable<Tensor>, clipValue: number): void {
  checkNumberArgs('clipGradValue_', { clipValue });
  noGrad(() => {
    for (const p of params) p.grad?.clamp_(-clipValue, clipValue);
  });
}

/**
 * All parameters flattened and concatenated into one 1-d tensor (a copy).
 * `nn.utils.parametersToVector(model.parameters())`
 */
export function parametersToVector(params: Iterable<Tensor>): Tensor {
  return noGrad(() => cat([...params].map((p) => p.reshape([p.size])), 0));
}

/** Copies consecutive slices of the 1-d `vec` into the parameters (the inverse of parametersToVector). */
export function vectorToParameters(vec: Tensor, params: Iterable<Tensor>): void {
  const list = [...params];
  const needed = list.reduce((n, p) => n + p.size, 0);
  if (vec.ndim !== 1 || vec.size !== needed) {
    throw new ShapeError(`vectorToParameters: expected a 1-d vector of ${needed} elements, got shape ${fmtShape(vec.shape)}`);
  }
  noGrad(() => {
    let offset = 0;
    for (const p of list) {
      p.copy_(vec.narrow(0, offset, p.size).reshape([...p.shape]));
      offset += p.size;
    }
  });
}
