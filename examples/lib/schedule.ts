/**
 * The learning-rate schedule of the text examples: linear warm-up from 0 to `peak` over the first
 * `warmup` steps, then cosine decay to `peak · floor` at the last step. Warm-up keeps the first
 * Adam steps (whose second-moment estimates are still noisy) from throwing a Transformer off.
 */

/** The learning rate at `step` (0-based) of `total` steps. */
export function warmupCosine(step: number, total: number, peak: number, warmup: number, floor = 0.05): number {
  if (step < warmup) return (peak * (step + 1)) / warmup;
  const progress = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
  return peak * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** Sets every parameter group's learning rate. */
export function setLearningRate(opt: { paramGroups: { lr: number }[] }, lr: number): void {
  for (const group of opt.paramGroups) group.lr = lr;
}
