/**
 * The `optim` namespace: optimizers (SGD, Adam, AdamW, RMSprop, Adagrad) with PyTorch's update
 * rules, and the learning-rate schedulers under `optim.lrScheduler`.
 */
export {
  Optimizer, type ParamGroup, type ParamGroupSpec, type ParamsArg, type GroupOption,
  type OptimizerStateDict, type SavedParamGroup, type SavedParamState,
} from './optimizer.js';
export { SGD, type SGDOptions, type SGDGroup, type SGDState } from './sgd.js';
export { AdamBase, type AdamOptions, type AdamGroup, type AdamState } from './adam-base.js';
export { Adam } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions, type RMSpropGroup, type RMSpropState } from './rmsprop.js';
export { Adagrad, type AdagradOptions, type AdagradGroup, type AdagradState } from './adagrad.js';
export * as lrScheduler from './lr-scheduler/index.js';
