/**
 * Getting a WebGPU device for the WGSL kernels, and telling hardware adapters from software ones
 * (SwiftShader, lavapipe, "fallback" adapters), which are slower than the CPU backend.
 */
import { isSoftwareRenderer } from '../gpujs/software-renderer.js';
import { BackendUnavailableError } from '../gpujs/unavailable-error.js';
import { checkOptions, optionKeys } from '../../options.js';

// WebGPU's GPUDevice and GPU (`navigator.gpu`), declared empty so that tsgrad/gpu's published
// types compile where no WebGPU types are loaded (TypeScript before 6 has none in its DOM lib): an
// empty interface merges with the full one from TypeScript 6's DOM lib or @webgpu/types where those
// are present. Line comments, not doc comments: the real declarations carry the documentation.
declare global {
  interface GPUDevice {}
  interface GPU {}
}

/** A device and what its adapter is. */
export interface WebGpuDevice {
  /** The WebGPU device the kernels are created on. */
  device: GPUDevice;
  /**
   * The GPU object the device came from, kept referenced here: Node's webgpu package (Dawn)
   * tears its instance down when that object is garbage-collected, even with devices still in use.
   */
  gpu: GPU;
  /** vendor / architecture / device / description of the adapter, as it reports them. */
  adapterDescription: string;
  /** True for fallback adapters and software implementations. */
  software: boolean;
}

/** Options of `requestWebGpuDevice`. */
export interface WebGpuDeviceOptions {
  /** Accept a software adapter (tests do; automatic use should not). Default false. */
  allowSoftware?: boolean;
}

/**
 * Requests an adapter and a device from `gpu` (`navigator.gpu` in a browser, `create([])` of the
 * `webgpu` package in Node). Rejects with a `BackendUnavailableError` when there is no adapter,
 * or only a software one and `allowSoftware` is not set.
 */
export async function requestWebGpuDevice(gpu: GPU, opts: WebGpuDeviceOptions = {}): Promise<WebGpuDevice> {
  checkOptions('requestWebGpuDevice', opts, optionKeys<WebGpuDeviceOptions>({ allowSoftware: true }));
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    throw new BackendUnavailableError('requestWebGpuDevice: no WebGPU adapter is available (the browser or driver offers none)');
  }
  const info = adapter.info;
  const adapterDescription = [info.vendor, info.architecture, info.device, info.description].filter((s) => s !== '').join(' / ');
  // isFallbackAdapter moved from GPUAdapter to GPUAdapterInfo; read both.
  const flagged = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true || (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const software = flagged || isSoftwareRenderer(adapterDescription);
  if (software && opts.allowSoftware !== true) {
    throw new BackendUnavailableError(
      `requestWebGpuDevice: the only WebGPU adapter is a software one ("${adapterDescription}"), slower than the CPU backend; pass { allowSoftware: true } to use it anyway`,
    );
  }
  return { device: await adapter.requestDevice(), gpu, adapterDescription, software };
}
