/**
 * The `tsgrad/gpu` entry: GPU kernels for matmul and convolution. It needs the optional peer
 * dependency gpu.js, loaded only when `createGpujsBackend` is called; the core entry never imports it.
 *
 *   import { useBackend } from 'tsgrad';
 *   import { createGpujsBackend } from 'tsgrad/gpu';
 *   useBackend(await createGpujsBackend());   // matmul and conv on gpu.js above minSize
 */
export { createGpujsBackend, DEFAULT_MIN_SIZE } from './backends/gpujs/gpujs-backend.js';
export type { GpujsBackend, GpujsBackendOptions, RunPlace } from './backends/gpujs/gpujs-backend.js';
export type { GpujsEngine, GpujsMode } from './backends/gpujs/engine.js';
export { BackendUnavailableError } from './backends/gpujs/unavailable-error.js';
export { isSoftwareRenderer } from './backends/gpujs/software-renderer.js';
export { createWebGpuKernels } from './backends/webgpu/webgpu-kernels.js';
export type { AsyncBackend, WebGpuKernels, WebGpuKernelsOptions, WebGpuRunPlace } from './backends/webgpu/webgpu-kernels.js';
export { requestWebGpuDevice } from './backends/webgpu/webgpu-device.js';
export type { WebGpuDevice, WebGpuDeviceOptions } from './backends/webgpu/webgpu-device.js';
