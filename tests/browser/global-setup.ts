/**
 * vitest global setup: unpacks the npm Chromium and SwiftShader once, before test files run in
 * parallel, and points the Vulkan loader of the test processes at SwiftShader. The loader reads
 * LD_LIBRARY_PATH only when a process starts, so it is set here, in the parent, and the worker
 * processes inherit it.
 */
import { CHROMIUM_FOLDER, chromiumPath, SWIFTSHADER_ICD } from './chromium.js';

export default async function setup(): Promise<void> {
  await chromiumPath();
  const paths = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter((p) => p !== '');
  if (!paths.includes(CHROMIUM_FOLDER)) process.env.LD_LIBRARY_PATH = [CHROMIUM_FOLDER, ...paths].join(':');
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}
