/**
 * `nn.functional`: the stateless forms of the layers and losses (PyTorch's torch.nn.functional,
 * in camelCase).
 * The examples in these docs name it `F`, as PyTorch code does: `const F = nn.functional`.
 */
export * from './activation.js';
export { linear } from './linear.js';
export { dropout } from './dropout.js';
export { embedding, type EmbeddingOptions } from './embedding.js';
export { layerNorm, type LayerNormOptions } from './layer-norm.js';
export { batchNorm, type BatchNormOptions } from './batch-norm.js';
export { groupNorm, type GroupNormOptions } from './group-norm.js';
export { instanceNorm, type InstanceNormOptions } from './instance-norm.js';
export { conv1d, conv2d, convTranspose2d, convTransposeOutputSize, type ConvOptions, type ConvTransposeOptions } from './conv.js';
export { convTranspose1d, type ConvTranspose1dOptions } from './conv.js';
export type { IntOrPair, ConvPadding, PaddingMode } from './conv-args.js';
export { maxPool2d, avgPool2d, adaptiveAvgPool2d, type PoolOptions, type AvgPoolOptions } from './pooling.js';
export { maxUnpool2d, type MaxPoolOptions, type MaxUnpoolOptions } from './pooling.js';
export { interpolate, type InterpolateOptions, type InterpolateMode } from './interpolate.js';
export type { Reduction } from './reduction.js';
export { mseLoss, l1Loss, huberLoss, type LossOptions, type HuberOptions } from './loss-regression.js';
export { nllLoss, crossEntropy, oneHot, type NLLOptions, type CrossEntropyOptions } from './loss-classification.js';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, type BCEOptions, type BCEWithLogitsOptions } from './loss-binary.js';
export { klDiv, type KLDivOptions } from './loss-kl.js';
export { pad } from '../../autograd/functions/shape-composed.js';
// Attention (scaledDotProductAttention) is exported here by the attention files.
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './attention.js';
