/**
 * The public API contract (API.md): every name it lists exists, with the kind it says.
 * A rename or a dropped name fails here before it reaches a user.
 */
import { describe, expect, it } from 'vitest';
import * as tsgrad from '../../src/index.js';

const topLevelFunctions = [
  'tensor', 'zeros', 'ones', 'full', 'eye', 'arange', 'linspace', 'rand', 'randn', 'randint',
  'zerosLike', 'onesLike', 'randLike', 'randnLike', 'manualSeed',
  'add', 'sub', 'mul', 'div', 'pow', 'neg', 'abs', 'exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid',
  'relu', 'leakyRelu', 'gelu', 'silu', 'softplus', 'elu', 'clamp', 'maximum', 'minimum', 'where',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalNot', 'logicalAnd', 'logicalOr',
  'sum', 'mean', 'var', 'std', 'max', 'min', 'argmax', 'argmin', 'logsumexp', 'softmax', 'logSoftmax',
  'reshape', 'view', 'flatten', 'squeeze', 'unsqueeze', 'transpose', 'permute', 'expand', 'narrow', 'slice', 'repeat',
  'cat', 'stack', 'split', 'chunk', 'pad', 'gather', 'indexSelect', 'scatterAdd', 'maskedFill', 'matmul',
  'noGrad', 'enableGrad', 'isGradEnabled', 'grad', 'backwardSteps', 'gradcheck', 'checkFunction', 'detectAnomaly', 'useBackend', 'currentBackend',
];

const tensorMethods = [
  'isContiguous', 'item', 'toArray', 'toTypedArray', 'toString', 'to', 'float', 'double', 'int', 'clone', 'contiguous', 'detach',
  'backward', 'requiresGrad_', 'retainGrad', 'registerHook',
  'add_', 'sub_', 'mul_', 'div_', 'zero_', 'fill_', 'copy_', 'clamp_',
  'add', 'sub', 'mul', 'div', 'pow', 'neg', 'abs', 'exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid',
  'relu', 'leakyRelu', 'gelu', 'silu', 'softplus', 'elu', 'clamp', 'maximum', 'minimum', 'where',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalNot', 'logicalAnd', 'logicalOr',
  'sum', 'mean', 'var', 'std', 'max', 'min', 'argmax', 'argmin', 'logsumexp', 'softmax', 'logSoftmax',
  'reshape', 'view', 'flatten', 'squeeze', 'unsqueeze', 'transpose', 'permute', 'expand', 'narrow', 'slice', 'repeat',
  'gather', 'indexSelect', 'scatterAdd', 'maskedFill', 'matmul',
];

const nnClasses = [
  'Module', 'Parameter', 'Linear', 'Conv1d', 'Conv2d', 'ConvTranspose2d', 'MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d',
  'BatchNorm1d', 'BatchNorm2d', 'LayerNorm', 'Dropout', 'Embedding',
  'ReLU', 'LeakyReLU', 'GELU', 'SiLU', 'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax', 'Flatten', 'Identity',
  'Sequential', 'ModuleList', 'RNN', 'LSTM', 'GRU', 'RNNCell', 'GRUCell', 'LSTMCell', 'MultiheadAttention',
  'TransformerEncoderLayer', 'TransformerEncoder', 'TransformerDecoderLayer', 'TransformerDecoder',
  'MSELoss', 'L1Loss', 'CrossEntropyLoss', 'NLLLoss', 'BCELoss', 'BCEWithLogitsLoss', 'KLDivLoss', 'HuberLoss',
  'LoRALinear',
];

const nnFunctional = [
  'linear', 'conv1d', 'conv2d', 'maxPool2d', 'avgPool2d', 'dropout', 'layerNorm', 'batchNorm', 'embedding',
  'crossEntropy', 'mseLoss', 'scaledDotProductAttention',
];
const nnInit = ['uniform_', 'normal_', 'zeros_', 'ones_', 'xavierUniform_', 'xavierNormal_', 'kaimingUniform_', 'kaimingNormal_', 'orthogonal_'];
const optimClasses = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad'];
const schedulers = ['StepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearLR', 'OneCycleLR'];

function member(namespace: unknown, name: string): unknown {
  return (namespace as Record<string, unknown>)[name];
}

describe('public API (API.md)', () => {
  it.each(topLevelFunctions)('exports the function %s', (name) => {
    expect(typeof member(tsgrad, name)).toBe('function');
  });

  it.each(tensorMethods)('Tensor has the method %s', (name) => {
    expect(typeof member(tsgrad.Tensor.prototype, name)).toBe('function');
  });

  it('Tensor has the properties of API.md', () => {
    const t = tsgrad.tensor([[1, 2], [3, 4]]);
    expect([t.shape, t.ndim, t.size, t.dtype, t.strides, t.requiresGrad, t.grad, t.gradFn, t.isLeaf]).toEqual([[2, 2], 2, 4, 'float32', [2, 1], false, null, null, true]);
    expect(t.T.toArray()).toEqual([[1, 3], [2, 4]]);
  });

  it('exports the error classes and Function', () => {
    for (const name of ['ShapeError', 'DTypeError', 'AutogradError', 'FormatError', 'NotImplementedError']) {
      const Cls = member(tsgrad, name) as new (m: string) => Error;
      expect(new Cls('x')).toBeInstanceOf(Error);
    }
    expect(typeof tsgrad.Function.apply).toBe('function');
  });

  it.each(nnClasses)('nn.%s is a class', (name) => {
    expect(typeof member(tsgrad.nn, name)).toBe('function');
  });

  it.each(nnFunctional)('nn.functional.%s exists', (name) => {
    expect(typeof member(member(tsgrad.nn, 'functional'), name)).toBe('function');
  });

  it.each(nnInit)('nn.init.%s exists', (name) => {
    expect(typeof member(member(tsgrad.nn, 'init'), name)).toBe('function');
  });

  it('nn.utils has the gradient clippers', () => {
    const utils = member(tsgrad.nn, 'utils');
    expect(typeof member(utils, 'clipGradNorm_')).toBe('function');
    expect(typeof member(utils, 'clipGradValue_')).toBe('function');
  });

  it('nn.utils.prune has the Round 2 pruning functions', () => {
    const prune = member(member(tsgrad.nn, 'utils'), 'prune');
    for (const name of ['l1Unstructured', 'lnStructured', 'remove', 'isPruned']) expect(typeof member(prune, name)).toBe('function');
  });

  it.each(optimClasses)('optim.%s is a class', (name) => {
    expect(typeof member(member(tsgrad, 'optim'), name)).toBe('function');
  });

  it.each(schedulers)('optim.lrScheduler.%s is a class', (name) => {
    expect(typeof member(member(member(tsgrad, 'optim'), 'lrScheduler'), name)).toBe('function');
  });

  it('exports data and io', () => {
    expect(typeof member(member(tsgrad, 'data'), 'TensorDataset')).toBe('function');
    expect(typeof member(member(tsgrad, 'data'), 'DataLoader')).toBe('function');
    expect(typeof tsgrad.io.saveSafetensors).toBe('function');
    expect(typeof tsgrad.io.loadSafetensors).toBe('function');
    expect(typeof tsgrad.io.fetchSafetensors).toBe('function');
  });
});
