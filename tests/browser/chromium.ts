/**
 * Launching Debian's Chromium headless through playwright-core (never a downloaded browser), with
 * WebGPU enabled; WebGL and WebGPU then run on Chromium's SwiftShader software GPU.
 */
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** The system Chromium from Debian's `chromium` package. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];

/** Starts headless Chromium; the caller closes it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
