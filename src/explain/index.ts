/**
 * The `explain` namespace: attributions of a model's output to its inputs, for any function f
 * from a batch x [N, …] to outputs [N, K] (or [N]). Every method explains one score per sample,
 * chosen by the `target` option (see `ExplainTarget`), evaluates f in batches of `batchSize`
 * rows, takes a `seed` where it draws random numbers, and returns a tensor of x's shape.
 * Pictures of the results: `viz.heatmapOverlay`, `viz.tokenHeatmapHtml`.
 */
export type { ExplainTarget } from './target.js';
export type { ExplainedFunction } from './batching.js';
export type { Baseline } from './baseline.js';
export { saliency, type SaliencyOptions, type TargetOptions } from './saliency.js';
export { integratedGradients, type IntegratedGradientsOptions } from './integrated-gradients.js';
export { smoothGrad, type SmoothGradOptions } from './smooth-grad.js';
export { shapleyExact, MAX_EXACT_FEATURES, type ShapleyExactOptions } from './shapley-exact.js';
export { kernelShap, type KernelShapOptions } from './kernel-shap.js';
export { lime, type LimeOptions } from './lime.js';
export { gridMask } from './features.js';
export { attentionRollout, type AttentionRolloutOptions } from './attention-rollout.js';
