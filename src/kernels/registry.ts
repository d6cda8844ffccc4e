/**
 * Which backend serves the kernels: a chain of plug-ins over the CPU backend.
 *
 *   currentBackend() = chosen plug-in (useBackend)  →  base plug-in (WebAssembly SIMD when on)  →  cpuBackend
 *
 * Each link serves the kernels it has and hands the rest to the next, so the chain composes into
 * one complete `Backend`. The composed object is built once per change of the chain (never per
 * call): a kernel call is one property load on it.
 */
import type { Backend, BackendPlugin, Kernels } from './backend.js';
import { binaryFlat, binaryKernels, binaryMap, whereMap } from './binary.js';
import { conv2dCpu, conv2dInputGradCpu, conv2dWeightGradCpu } from './conv2d.js';
import { gatherKernel, indexAddKernel, indexSelectKernel, scatterAddKernel } from './indexing.js';
import { interpolate2d, interpolate2dBackward } from './interpolate.js';
import { matmulCpu, prepareMatmulCpu } from './matmul.js';
import { avgPool2d, avgPool2dBackward } from './pool2d-avg.js';
import { maxPool2d, maxUnpool2d } from './pool2d-max.js';
import { extremumBlocks, logsumexpBlocks, softmaxBlocks, sumBlocks, varianceBlocks } from './reduce.js';
import { stridedCopy, stridedWrite } from './strided.js';
import { unaryMap } from './unary.js';
import { gruSequenceBackward, gruSequenceForward } from './recurrent-gru.js';
import { lstmCellBackward, lstmCellForward, lstmProjectedBackward, lstmProjectedForward, lstmSequenceBackward, lstmSequenceForward } from './recurrent-lstm.js';
import { rnnSequenceBackward, rnnSequenceForward } from './recurrent-rnn.js';
import { batchNormBackward, batchNormForward, layerNormBackward, layerNormForward } from './normalization.js';
import { matmulInt8Cpu } from './int8-matmul.js';

/**
 * The default backend and the end of every chain: the plain TypeScript kernels, in this thread.
 * Each is the definition of its kernel's semantics (see the kernel files).
 */
export const cpuBackend: Backend = {
  name: 'cpu',
  unary: unaryMap,
  binaryFlat,
  binary: (op, a, b, out, shape) => binaryMap(binaryKernels[op], a, b, out, shape),
  where: whereMap,
  sum: sumBlocks,
  extremum: extremumBlocks,
  variance: varianceBlocks,
  logsumexp: logsumexpBlocks,
  softmax: softmaxBlocks,
  matmul: matmulCpu,
  prepareMatmul: prepareMatmulCpu,
  conv2d: conv2dCpu,
  conv2dInputGrad: conv2dInputGradCpu,
  conv2dWeightGrad: conv2dWeightGradCpu,
  maxPool2d,
  avgPool2d,
  avgPool2dBackward,
  maxUnpool2d,
  gather: gatherKernel,
  scatterAdd: scatterAddKernel,
  indexSelect: indexSelectKernel,
  indexAdd: indexAddKernel,
  stridedCopy,
  stridedWrite,
  interpolate2d,
  interpolate2dBackward,

  // ---- Fused kernels: normalisation ----
  batchNormForward,
  batchNormBackward,
  layerNormForward,
  layerNormBackward,

  // ---- Fused kernels: recurrences ----
  rnnSequenceForward,
  rnnSequenceBackward,
  lstmCell: lstmCellForward,
  lstmCellGrad: lstmCellBackward,
  lstmSequenceForward,
  lstmSequenceBackward,
  lstmProjectedForward,
  lstmProjectedBackward,
  gruSequenceForward,
  gruSequenceBackward,

  // int8 products (quantized layers)
  matmulInt8: matmulInt8Cpu,
};

/** Every kernel name, in the contract's order. */
const KERNEL_NAMES = Object.keys(cpuBackend).filter((key) => key !== 'name') as (keyof Kernels)[];

/**
 * `plugin` over the complete backend `below`: the plug-in's kernels (bound to it, so a plug-in
 * written as a class keeps its `this`) where it has them, `below`'s elsewhere — except that a
 * plug-in serving `matmul` without `prepareMatmul` gets the CPU's, over its own matmul.
 */
function composeBackend(plugin: BackendPlugin, below: Backend): Backend {
  const kernels = Object.fromEntries(KERNEL_NAMES.map((key) => [key, plugin[key]?.bind(plugin) ?? below[key]])) as unknown as Kernels;
  if (plugin.matmul && !plugin.prepareMatmul) kernels.prepareMatmul = cpuBackend.prepareMatmul;
  return { name: plugin.name, ...kernels };
}

/** The plug-in chosen with `useBackend` (null: none). */
let chosen: BackendPlugin | null = null;
/** The plug-in under it (WebAssembly SIMD while on; null: none). */
let base: BackendPlugin | null = null;
/** The composed chain below the chosen plug-in, and the whole chain. */
let below: Backend = cpuBackend;
let active: Backend = cpuBackend;

/** Composes the chosen plug-in over `below` (kept as is, so removing the plug-in restores it exactly). */
function composeActive(): void {
  active = chosen === null ? below : composeBackend(chosen, below);
}

/**
 * Makes `backend` serve every later kernel it implements, over the rest of the chain (the
 * WebAssembly kernels where on, then the CPU), which serves those it lacks; `'cpu'` removes it.
 *
 * @example useBackend(await createGpujsBackend()); … useBackend('cpu')
 */
export function useBackend(backend: BackendPlugin | 'cpu'): void {
  chosen = backend === 'cpu' ? null : backend;
  composeActive();
}

/**
 * Puts `plugin` (or nothing, with null) under the chosen backend, over the CPU: the place of the
 * WebAssembly SIMD kernels (`useWasmKernels`).
 */
export function useBaseBackend(plugin: BackendPlugin | null): void {
  if (plugin === base) return;
  base = plugin;
  below = base === null ? cpuBackend : composeBackend(base, cpuBackend);
  composeActive();
}

/** The complete backend that serves every kernel now (the chain, composed). */
export function currentBackend(): Backend {
  return active;
}

/**
 * The complete backend below the chosen one: where a plug-in sends the cases it does not take
 * (float64, small products), so that it needs no kernels of its own for them.
 */
export function fallbackBackend(): Backend {
  return below;
}
