/**
 * Learning-rate schedulers (`optim.lrScheduler`): each wraps an optimizer and sets its groups'
 * learning rates at every `step()`, as PyTorch's `torch.optim.lr_scheduler`.
 */
export { LRScheduler, type AnyOptimizer, type SchedulerStateDict } from './lr-scheduler.js';
export { StepLR, type StepLROptions } from './step-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { LinearLR, type LinearLROptions } from './linear-lr.js';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type ReduceLROnPlateauStateDict } from './reduce-lr-on-plateau.js';
