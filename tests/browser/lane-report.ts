/** What the browser test page reports for one GPU lane (a plain JSON object, back through playwright). */
import type { ParityResult } from '../backends/gpujs/parity.js';

/** The lanes the page can run. */
export type BrowserLane = 'webgl2' | 'webgl' | 'webgpu' | 'auto';

/** One lane's outcome: the backend that really ran, where its calls ran, and the parity results. */
export interface LaneReport {
  lane: BrowserLane;
  /** Backend name (`gpujs-webgl2`, `webgpu`), or null when creation was rejected. */
  backend: string | null;
  /** GL renderer or WebGPU adapter description. */
  renderer: string | null;
  software: boolean | null;
  runCounts: Record<string, number>;
  results: ParityResult[];
  /** The rejection message when the backend could not be created. */
  error: string | null;
}
