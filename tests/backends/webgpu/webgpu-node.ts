/**
 * A WebGPU device in Node for tests and benchmarks: the `webgpu` package (Dawn) on SwiftShader,
 * the software Vulkan driver that `@sparticuz/chromium` unpacks (tests/browser/chromium.ts).
 * SwiftShader is a software GPU: results check correctness, never GPU speed.
 */
import { create } from 'webgpu';
import { requestWebGpuDevice } from '../../../src/gpu.js';
import type { WebGpuDevice } from '../../../src/gpu.js';
import { CHROMIUM_FOLDER, SWIFTSHADER_ICD } from '../../browser/chromium.js';

/**
 * Opens a device on SwiftShader (software adapters allowed). The Vulkan loader must be found
 * through LD_LIBRARY_PATH, which a process reads only at start: vitest's global setup sets it
 * for the test processes, and `npm run bench:gpu` sets it before starting Node.
 */
export async function openSwiftShaderDevice(): Promise<WebGpuDevice> {
  const paths = (process.env.LD_LIBRARY_PATH ?? '').split(':');
  if (!paths.includes(CHROMIUM_FOLDER)) {
    throw new Error(`openSwiftShaderDevice: LD_LIBRARY_PATH must include ${CHROMIUM_FOLDER} (the Vulkan loader unpacked from @sparticuz/chromium) when Node starts`);
  }
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  return requestWebGpuDevice(create([]), { allowSoftware: true });
}
