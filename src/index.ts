/**
 * tsgrad's public surface. Everything not exported here is private.
 *
 * The bare import below installs the Tensor methods. This file, tensor-methods.js and the op files
 * are listed in package.json's `sideEffects`: a bundler that believed this entry pure would skip
 * it (its re-exports lead straight to the modules behind them) and drop the import with it.
 *
 * The ops come in whole op files (`export *`): each exports only its public functional forms
 * and types, so a new op in an existing file needs no edit here.
 */
import './autograd/tensor-methods.js';
import { installWasmBackendByDefault } from './backends/wasm/wasm-backend.js';

// The default chain: WebAssembly SIMD over the CPU where the engine has it (compiled on first use).
installWasmBackendByDefault();

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
export { ShapeError, DTypeError, AutogradError, FormatError, NotImplementedError } from './errors.js';

export * from './autograd/functions/unary.js';
export * from './autograd/functions/binary.js';
export * from './autograd/functions/comparison.js';
export * from './autograd/functions/reduce.js';
export * from './autograd/functions/shape.js';
export * from './autograd/functions/shape-composed.js';
export * from './autograd/functions/indexing.js';
export * from './autograd/functions/matmul.js';
export type { Operand } from './autograd/functions/util.js';

export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { grad, type GradOptions } from './autograd/grad.js';
export { backwardSteps, type BackwardStep, type BackwardStepInput } from './autograd/backward-steps.js';
export { gradcheck, checkFunction, type GradcheckOptions } from './autograd/gradcheck.js';
export { detectAnomaly } from './autograd/anomaly.js';
export { Function } from './autograd/function.js';
export type { ForwardArgs } from './autograd/function.js';
export { Context, type ContextWith } from './tensor/graph-node.js';
export type { Node, OpClass } from './tensor/graph-node.js';

export { useBackend, currentBackend, fallbackBackend, cpuBackend } from './kernels/registry.js';
export { wasmKernelsActive, provideWasmModules, type WasmModuleName, type CompiledWasmModule } from './backends/wasm/simd.js';
export { useWasmKernels } from './backends/wasm/wasm-backend.js';
export type { Backend, BackendPlugin, Kernels, ProductKernelName, ProductPlugin, MatmulSpec, Conv2dSpec, Int8MatmulSpec, PreparedMatmul } from './kernels/backend.js';
export type { StridedArray } from './kernels/binary.js';
export type { Pool2dSpec } from './kernels/pool2d.js';
export type { Window2d } from './kernels/window2d.js';
export type { MaxPool2dSpec } from './kernels/pool2d-max.js';
export type { AxisTaps } from './kernels/interpolate.js';
export type { BatchNormSpec, LayerNormSpec } from './kernels/normalization.js';
export type { RecurrentSpec, RNNSpec, LSTMProjectedSpec } from './kernels/recurrent.js';
export type { LSTMStepGrads, StridedRows } from './kernels/recurrent-lstm.js';
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
