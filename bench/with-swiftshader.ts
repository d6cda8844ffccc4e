/**
 * Runs a bench script in a Node process whose Vulkan loader finds SwiftShader (unpacked from
 * `@sparticuz/chromium`): the loader reads LD_LIBRARY_PATH only at process start, so the script
 * runs in a child started with it set. Usage: tsx bench/with-swiftshader.ts bench/gpu.ts [args]
 */
import { spawnSync } from 'node:child_process';
import { CHROMIUM_FOLDER, chromiumPath, SWIFTSHADER_ICD } from '../tests/browser/chromium.js';

const [script, ...args] = process.argv.slice(2);
if (script === undefined) throw new Error('with-swiftshader: name the script to run');
await chromiumPath();
const env = {
  ...process.env,
  LD_LIBRARY_PATH: [CHROMIUM_FOLDER, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
  VK_ICD_FILENAMES: SWIFTSHADER_ICD,
};
const child = spawnSync(process.execPath, [...process.execArgv, script, ...args], { env, stdio: 'inherit' });
process.exit(child.status ?? 1);
