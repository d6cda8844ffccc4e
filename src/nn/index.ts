/**
 * The `nn` namespace: Module, Parameter, layers, losses, `functional`, `init` and `utils`.
 */
export {
  Module, type LoadResult, type LoadStateDictOptions, type BufferOptions, type ForwardPreHook, type RemovableHandle,
} from './module.js';
export { Parameter } from './parameter.js';
export * as functional from './functional/index.js';
export * as init from './init.js';
export { Linear, type LinearOptions } from './linear.js';
export { LoRALinear, type LoRALinearOptions } from './lora.js';
export { ReLU, LeakyReLU, GELU, SiLU, Sigmoid, Tanh, Softmax, LogSoftmax } from './activation.js';
export { Flatten, Identity } from './flatten.js';
export { Upsample } from './upsample.js';
export { Sequential, ModuleList } from './container.js';
export { ModuleDict } from './module-dict.js';
export { ParameterList, ParameterDict } from './parameter-containers.js';
export { LayerNorm, type LayerNormModuleOptions } from './layer-norm.js';
export { GroupNorm, type GroupNormModuleOptions } from './group-norm.js';
export { InstanceNorm1d, InstanceNorm2d, type InstanceNormModuleOptions } from './instance-norm.js';
export { Dropout } from './dropout.js';
export { Embedding, type EmbeddingModuleOptions } from './embedding.js';
export { Conv1d, Conv2d, type ConvModuleOptions } from './conv.js';
export { ConvTranspose2d, type ConvTransposeModuleOptions } from './conv-transpose.js';
export { ConvTranspose1d, type ConvTranspose1dModuleOptions } from './conv-transpose.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, type MaxPoolModuleOptions, type AvgPoolModuleOptions } from './pooling.js';
export { MaxUnpool2d, type MaxUnpoolModuleOptions } from './pooling.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormModuleOptions } from './batch-norm.js';
export {
  MSELoss, L1Loss, HuberLoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss,
  type LossModuleOptions, type NLLLossModuleOptions, type CrossEntropyLossModuleOptions,
} from './loss.js';
export * as utils from './utils.js';
export { RNN, type RNNOptions } from './recurrent/rnn.js';
export type { RNNNonlinearity } from './recurrent/rnn-sequence.js';
export { LSTM, type LSTMOptions } from './recurrent/lstm.js';
export { GRU } from './recurrent/gru.js';
export type { RecurrentOptions } from './recurrent/rnn-base.js';
export type { DirectionWeights } from './recurrent/rnn-base.js';
export { RNNCell, LSTMCell, GRUCell, type CellOptions, type RNNCellOptions } from './recurrent/cells.js';
export { MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions } from './attention.js';
export { TransformerEncoderLayer, TransformerEncoder, type TransformerEncoderForwardOptions, type TransformerEncoderOptions, type TransformerEncoderStackForwardOptions } from './transformer-encoder.js';
export { TransformerDecoderLayer, TransformerDecoder, type TransformerDecoderForwardOptions, type TransformerDecoderOptions } from './transformer-decoder.js';
export { Transformer, type TransformerOptions, type TransformerForwardOptions } from './transformer.js';
export {
  generateSquareSubsequentMask, sinusoidalPositionalEncoding, type TransformerLayerOptions, type TransformerActivation, type NormModule,
} from './transformer-common.js';
export type { ResolvedLayerOptions } from './transformer-common.js';
