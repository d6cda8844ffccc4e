/**
 * Grad mode: whether ops record the graph. Off inside `noGrad`, inside every op's forward, and in
 * backward passes that are not asked to build a graph of their own (`createGraph`).
 */

let enabled = true;

/** True when ops record the graph. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` with grad mode set to `mode`, restoring the previous mode afterwards (even on throw). */
export function withGradMode<T>(mode: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** Runs `fn` without recording the graph (evaluation, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` recording the graph, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
