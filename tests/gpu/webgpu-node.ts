/**
 * A WebGPU device in Node for tests and benchmarks: the `webgpu` package (Dawn) on the SwiftShader
 * Vulkan driver that Debian's `chromium` package ships. SwiftShader is a software GPU: results
 * check correctness, never GPU speed.
 */
import { existsSync } from 'node:fs';
import { create } from 'webgpu';
import { requestWebGpuDevice } from '../../src/gpu.js';
import type { WebGpuDevice } from '../../src/gpu.js';

/** Debian chromium's SwiftShader Vulkan ICD. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Opens a device on SwiftShader (software adapters allowed). The Vulkan loader reads
 * VK_ICD_FILENAMES when Dawn creates its instance, so setting it here, before `create`, suffices.
 */
export async function openSwiftShaderDevice(): Promise<WebGpuDevice> {
  if (!existsSync(SWIFTSHADER_ICD)) {
    throw new Error(`${SWIFTSHADER_ICD} is missing: install Debian's chromium package (apt-get install -y chromium libvulkan1)`);
  }
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  return requestWebGpuDevice(create([]), { allowSoftware: true });
}
