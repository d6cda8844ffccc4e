/**
 * Software renderers (SwiftShader, llvmpipe, lavapipe, softpipe, WARP, fallback WebGPU adapters)
 * run GPU APIs on the CPU and are slower than the typed-array kernels, so automatic backend
 * selection treats them as "no GPU"; an explicit mode still uses them (the CI parity tests do).
 */

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b/i;

/** True when a renderer or adapter description names a software implementation. */
export function isSoftwareRenderer(description: string): boolean {
  return SOFTWARE_RENDERER.test(description);
}

/** The parts of a WebGL context needed to read its renderer string. */
interface RendererQueryable {
  getParameter(parameter: number): unknown;
  getExtension(name: string): unknown;
}

const GL_RENDERER = 0x1f01;
const UNMASKED_RENDERER_WEBGL = 0x9246;

function isRendererQueryable(context: unknown): context is RendererQueryable {
  if (typeof context !== 'object' || context === null) return false;
  const c = context as Record<string, unknown>;
  return typeof c.getParameter === 'function' && typeof c.getExtension === 'function';
}

/** The renderer string of a WebGL context (unmasked where the browser allows), or null if none. */
export function glRendererName(context: unknown): string | null {
  if (!isRendererQueryable(context)) return null;
  const debugInfo = context.getExtension('WEBGL_debug_renderer_info');
  const unmasked = debugInfo === null || debugInfo === undefined ? null : context.getParameter(UNMASKED_RENDERER_WEBGL);
  const name = typeof unmasked === 'string' && unmasked !== '' ? unmasked : context.getParameter(GL_RENDERER);
  return typeof name === 'string' ? name : null;
}
