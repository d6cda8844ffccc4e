/**
 * The learning-rate schedule of the text examples: linear warm-up from 0 to `peak` over the first
 * `warmup` steps, then cosine decay to `peak · floor` at the last step. Warm-up keeps the first
 * Adam steps (whose second-moment estimates are still noisy) from throwing a Transformer off.
 * And the short training loop the fine-tuning and distillation examples share.
 */
import { RandomGenerator, nn, optim, type Tensor } from 'tsgrad';

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

/** The settings of `trainSteps`. */
export interface StepsConfig {
  /** Optimizer steps. */
  steps: number;
  /** Peak learning rate. */
  lr: number;
  /** Warm-up steps. */
  warmup: number;
  /** Seeds the generator that draws the batches. */
  seed: number;
  /** Clip the global gradient norm to this before each step. */
  maxGradNorm: number;
}

/**
 * Trains the parameters of `model` that require grad with AdamW (weight decay 0.01) under
 * warm-up and cosine decay: at each step `batchLoss(rng)` draws a batch with the seeded generator
 * and returns its loss; zeroGrad, backward, clip, step. Returns each step's loss.
 */
export function trainSteps(model: nn.Module, c: StepsConfig, batchLoss: (rng: RandomGenerator) => Tensor): number[] {
  const params = model.parameters().filter((p) => p.requiresGrad);
  const opt = new optim.AdamW(params, { lr: c.lr, weightDecay: 0.01 });
  const rng = new RandomGenerator(c.seed);
  const losses: number[] = [];
  model.train();
  for (let step = 0; step < c.steps; step++) {
    setLearningRate(opt, warmupCosine(step, c.steps, c.lr, c.warmup));
    const loss = batchLoss(rng);
    opt.zeroGrad();
    loss.backward();
    nn.utils.clipGradNorm_(params, c.maxGradNorm);
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}
