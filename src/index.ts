/**
 * tsgrad's public surface. Everything not exported here is private.
 *
 * The bare import below installs the Tensor methods. This file and tensor-methods.js are both listed
 * in package.json's `sideEffects`: a bundler that believed this entry pure would skip it (its
 * re-exports lead straight to the modules behind them) and drop the import with it.
 */
import './autograd/tensor-methods.js';

export { Tensor, type NestedArray, type GradHook } from './tensor/tensor.js';
export type { DType, TypedArray } from './kernels/dtype.js';
export type { FloatArray } from './kernels/dtype.js';
export type { VersionCounter } from './tensor/tensor.js';
export { manualSeed, RandomGenerator } from './tensor/random.js';
export { randperm, type RandpermOptions } from './tensor/randperm.js';
export {
  tensor, zeros, ones, full, eye, arange, linspace, rand, randn, randint, zerosLike, onesLike, randLike, randnLike,
  type CreationOptions,
} from './tensor/creation.js';
export type { ShapeArgs } from './tensor/creation.js';
export { ShapeError, DTypeError, AutogradError, FormatError } from './errors.js';

export {
  add, sub, mul, div, pow, maximum, minimum, neg, abs, exp, log, sqrt, rsqrt, sin, cos, tanh, sigmoid, erf, sign,
  relu, leakyRelu, gelu, silu, softplus, elu, clamp, where, eq, ne, lt, le, gt, ge, logicalNot, logicalAnd, logicalOr,
} from './autograd/ops/elementwise.js';
export {
  sum, mean, variance, variance as var, std, max, min, argmax, argmin, logsumexp, softmax, logSoftmax,
  type Dims, type VarOptions, type ValuesIndices,
} from './autograd/ops/reduce.js';
export {
  reshape, view, flatten, squeeze, unsqueeze, transpose, permute, expand, narrow, slice, repeat, cat, stack, split, chunk,
  pad, clone, contiguous, detach, to, type PadMode,
} from './autograd/ops/shape.js';
export type { ShapeLike } from './autograd/ops/shape.js';
export { gather, scatterAdd, indexSelect, indexAdd, maskedFill, matmul } from './autograd/ops/indexing.js';
export type { Operand } from './autograd/functions/util.js';

export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { grad, type GradOptions } from './autograd/grad.js';
export { gradcheck, checkFunction, type GradcheckOptions } from './autograd/gradcheck.js';
export { detectAnomaly } from './autograd/anomaly.js';
export { Function } from './autograd/function.js';
export type { ForwardArgs } from './autograd/function.js';
export { Context, type ContextWith } from './tensor/graph-node.js';
export type { Node, OpClass } from './tensor/graph-node.js';

export { useBackend, currentBackend, cpuBackend } from './kernels/registry.js';
export { useWasmKernels, wasmKernelsActive, provideWasmModules, type WasmModuleName, type CompiledWasmModule } from './backends/wasm/simd.js';
export type { Backend, MatmulSpec, Conv2dSpec, Int8MatmulSpec } from './kernels/backend.js';
export { createWebWorkerBackend, type WebWorkerBackendOptions } from './backends/threads/web-worker-backend.js';
export type { WebWorkerLike } from './backends/threads/web-worker-pool.js';
export type { ThreadedBackend } from './backends/threads/split-backend.js';
export { KernelWorkerError, type WorkerFailure } from './backends/threads/kernel-worker-error.js';

export * as nn from './nn/index.js';
export { Module } from './nn/module.js';
export { Parameter } from './nn/parameter.js';
export * as io from './io/index.js';
export * as viz from './viz/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as explain from './explain/index.js';
export * as quant from './quant/index.js';
