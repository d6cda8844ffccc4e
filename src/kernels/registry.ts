/**
 * Which backend serves matmul and convolution. The CPU backend is the default; `useBackend`
 * swaps in another one (e.g. gpu.js from `tsgrad/gpu`) for every later op.
 */
import type { Backend } from './backend.js';
import { conv2dCpu, conv2dInputGradCpu, conv2dWeightGradCpu } from './conv2d.js';
import { matmulCpu } from './matmul.js';
import { matmulInt8Cpu } from './int8-matmul.js';

/** The default backend: plain typed-array loops, in this thread. */
export const cpuBackend: Backend = {
  name: 'cpu',
  matmul: matmulCpu,
  conv2d: conv2dCpu,
  conv2dInputGrad: conv2dInputGradCpu,
  conv2dWeightGrad: conv2dWeightGradCpu,
  // int8 products (quantized layers)
  matmulInt8: matmulInt8Cpu,
};

let active: Backend = cpuBackend;

/** Makes `backend` serve every later matmul and convolution; `'cpu'` restores the default. */
export function useBackend(backend: Backend | 'cpu'): void {
  active = backend === 'cpu' ? cpuBackend : backend;
}

/** The backend that serves matmul and convolution now. */
export function currentBackend(): Backend {
  return active;
}
