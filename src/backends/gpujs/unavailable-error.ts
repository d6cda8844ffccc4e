/**
 * The error `createGpujsBackend` rejects with when it cannot give what was asked: gpu.js is not
 * installed, the requested mode has no context here, or (for automatic selection) only a
 * software renderer exists. The message says which and why; nothing else has changed.
 */
export class BackendUnavailableError extends Error {
  /** Always 'BackendUnavailableError'. */
  override name = 'BackendUnavailableError';
}
