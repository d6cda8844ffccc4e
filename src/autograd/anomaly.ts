/**
 * Anomaly detection: inside `detectAnomaly(fn)` every op's output and every gradient a backward
 * returns is checked for NaN/Inf; the first one found throws, naming the op (and, for gradients,
 * where the op was created).
 */
import { AutogradError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { isFloating } from '../tensor/dtype.js';

let active = false;

/** True inside `detectAnomaly`. */
export function isAnomalyEnabled(): boolean {
  return active;
}

/** Runs `fn` with NaN/Inf checks on every op output and every backward gradient. */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = active;
  active = true;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** Throws when `t` holds NaN or ±Inf; `what` says which op produced it. */
export function checkFinite(t: Tensor, what: string, site?: string): void {
  if (!isFloating(t.dtype)) return;
  const data = t.data();
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const where = site ? `\nthe op was created at:\n${site}` : '';
      throw new AutogradError(`detectAnomaly: ${what} produced ${data[i]} at element ${i} of a tensor of shape [${t.shape.join(',')}]${where}`);
    }
  }
}
