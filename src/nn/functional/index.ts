/**
 * `nn.functional`: the stateless forms of the layers and losses (PyTorch's torch.nn.functional,
 * in camelCase).
 */
export * from './activation.js';
export { linear } from './linear.js';
export { dropout } from './dropout.js';
export { embedding, type EmbeddingOptions } from './embedding.js';
export { layerNorm, type LayerNormOptions } from './layer-norm.js';
export { pad } from '../../autograd/ops/shape.js';
// Attention (scaledDotProductAttention) is exported here by the attention files.
