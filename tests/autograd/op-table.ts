/**
 * The op table: every op tsgrad exports, with how to call it, a naive float64 reference, its
 * input domain and a random-shape generator (see table/types.ts). One table drives the op tests
 * on every backend: `runOpTable` (op-runner.ts) checks forward against the reference and
 * gradients with gradcheck; ops.test.ts runs it on the CPU and fails when an exported op has no
 * entry here.
 */
import { elementwiseEntries } from './table/elementwise.js';
import { indexingEntries } from './table/indexing.js';
import { reductionEntries } from './table/reductions.js';
import { shapeEntries } from './table/shapes.js';
import type { OpEntry } from './table/types.js';

export type { Domain, InputSpec, Layout, OpCase, OpEntry, ResultDtype } from './table/types.js';

/** Every op of the table, elementwise first. */
export const opTable: readonly OpEntry[] = [...elementwiseEntries, ...reductionEntries, ...shapeEntries, ...indexingEntries];

/**
 * Exports of src/index.ts that are not ops (classes, creation and randomness, autograd tools,
 * backends, namespaces and types' runtime shadows). Every other export must have a table entry.
 */
export const NON_OP_EXPORTS: readonly string[] = [
  'Tensor', 'manualSeed', 'RandomGenerator', 'randperm',
  'tensor', 'zeros', 'ones', 'full', 'eye', 'arange', 'linspace', 'rand', 'randn', 'randint', 'zerosLike', 'onesLike', 'randLike', 'randnLike',
  'ShapeError', 'DTypeError', 'AutogradError', 'FormatError', 'NotImplementedError',
  'noGrad', 'enableGrad', 'isGradEnabled', 'grad', 'backwardSteps', 'gradcheck', 'checkFunction', 'detectAnomaly', 'Function', 'Context',
  'useBackend', 'currentBackend', 'fallbackBackend', 'cpuBackend', 'useWasmKernels', 'wasmKernelsActive', 'provideWasmModules', 'createWebWorkerBackend', 'KernelWorkerError',
  'nn', 'optim', 'data', 'io', 'viz', 'explain', 'quant', 'Module', 'Parameter',
];
