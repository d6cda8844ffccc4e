/**
 * Headless Chromium from npm: `@sparticuz/chromium` ships a headless Chromium build and
 * SwiftShader (its software Vulkan driver, also used by Node's `webgpu` package in the WGSL lane)
 * as brotli archives. They are unpacked once into node_modules/.cache/tsgrad-chromium, so no
 * system browser, apt package or root is needed. playwright-core drives the browser; WebGL and
 * WebGPU then run on SwiftShader.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Chromium from '@sparticuz/chromium';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Where the browser, its fonts and SwiftShader are unpacked (ignored by git with node_modules). */
export const CHROMIUM_FOLDER = fileURLToPath(new URL('../../node_modules/.cache/tsgrad-chromium', import.meta.url));

/** SwiftShader's Vulkan ICD manifest, beside `libvk_swiftshader.so` and `libvulkan.so.1`. */
export const SWIFTSHADER_ICD = join(CHROMIUM_FOLDER, 'vk_swiftshader_icd.json');

/**
 * The path of the headless Chromium binary, unpacking it first if needed (about 2 s). The
 * package unpacks into `os.tmpdir()`, so TMPDIR points at a fresh folder of this process while it
 * runs; the folder is then renamed into place in one step, so a run that is interrupted, or that
 * races another test process, never leaves a half-unpacked browser behind.
 */
export async function chromiumPath(): Promise<string> {
  const executable = join(CHROMIUM_FOLDER, 'chromium');
  if (existsSync(executable)) return executable;
  const staging = `${CHROMIUM_FOLDER}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const unpacked = await Chromium.executablePath();
    if (unpacked !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, expected ${staging}`);
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  try {
    renameSync(staging, CHROMIUM_FOLDER);
  } catch (e: unknown) {
    // Another process renamed its copy into place first: use that one.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(executable)) throw e;
  }
  return executable;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // WebGL through ANGLE on SwiftShader, and WebGPU (also on SwiftShader here).
  '--ignore-gpu-blocklist',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
];

/** Starts headless Chromium; the caller closes it. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
}
