/**
 * The `nn` namespace: Module, Parameter, layers, losses, `functional`, `init` and `utils`.
 */
export { Module, type LoadResult } from './module.js';
export { Parameter } from './parameter.js';
export * as functional from './functional/index.js';
export * as init from './init.js';
export { Linear, type LinearOptions } from './linear.js';
export { ReLU, LeakyReLU, GELU, SiLU, Sigmoid, Tanh, Softmax, LogSoftmax } from './activation.js';
export { Flatten, Identity } from './flatten.js';
export { Sequential, ModuleList } from './container.js';
export { LayerNorm, type LayerNormModuleOptions } from './layer-norm.js';
export { Dropout } from './dropout.js';
export { Embedding, type EmbeddingModuleOptions } from './embedding.js';
export { RNN, type RNNOptions } from './recurrent/rnn.js';
export { LSTM } from './recurrent/lstm.js';
export { GRU } from './recurrent/gru.js';
export type { RecurrentOptions } from './recurrent/rnn-base.js';
export { RNNCell, LSTMCell, GRUCell, type CellOptions, type RNNCellOptions } from './recurrent/cells.js';
