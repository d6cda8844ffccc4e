/**
 * Anomaly detection: inside `detectAnomaly(fn)` every op's output and every gradient a backward
 * returns is checked for NaN/Inf; the first one found throws, naming the op (and, for gradients,
 * where the op was created).
 */
import { AutogradError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { isFloating } from '../kernels/dtype.js';

let active = false;
let inBackward = false;

/** True inside `detectAnomaly`. */
export function isAnomalyEnabled(): boolean {
  return active;
}

/**
 * True when op outputs are to be checked: inside `detectAnomaly` but not while a node's backward
 * runs. A backward is built from ops (a sqrt's backward divides); a NaN they make must be reported
 * under the backward's name (`SqrtBackward`), which the engine does when it checks the gradients
 * the backward returns, not under the name of an op the user never called (`Div`).
 */
export function shouldCheckOpOutputs(): boolean {
  return active && !inBackward;
}

/** Runs a node's backward with op-output checks paused (see `shouldCheckOpOutputs`). */
export function asBackward<T>(fn: () => T): T {
  const previous = inBackward;
  inBackward = true;
  try {
    return fn();
  } finally {
    inBackward = previous;
  }
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
