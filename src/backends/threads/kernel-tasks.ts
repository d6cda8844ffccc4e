/**
 * The unit of work the worker pool hands a thread: one slice of a matmul or convolution call,
 * with its arrays (views of a SharedArrayBuffer when it goes to a worker). The main thread
 * runs its own slice with the same function, so both paths execute identical code.
 */
import type { Conv2dSpec, MatmulSpec } from '../../kernels/backend.js';
import { cpuMatmul } from '../../kernels/matmul.js';
import { cpuBackend } from '../../kernels/registry.js';
import type { ConvKernels } from '../../kernels/conv2d.js';
import { wasmConv, wasmMatmul } from '../wasm/wasm-backend.js';
import { setWasmKernelsEnabled } from '../wasm/simd.js';
import type { FloatArray } from '../../kernels/dtype.js';

/** What every task carries besides its arrays. */
interface TaskSettings {
  /** The caller's `wasmKernelsActive()`: every thread of one call runs the same float32 kernel. */
  wasm: boolean;
}

/** Rows [rowStart, rowEnd) of batch entries [batchStart, batchEnd) of out = op(A)·op(B). */
export interface MatmulTask extends TaskSettings {
  op: 'matmul';
  a: FloatArray;
  b: FloatArray;
  out: FloatArray;
  spec: MatmulSpec;
  batchStart: number;
  batchEnd: number;
  rowStart: number;
  rowEnd: number;
}

/** A convolution kernel over a run of whole samples (`spec.batch` is the slice's sample count). */
export interface ConvTask extends TaskSettings {
  op: 'conv2d' | 'conv2dInputGrad' | 'conv2dWeightGrad';
  /** x (forward, weight grad) or gradOut (input grad). */
  first: FloatArray;
  /** w (forward, input grad) or gradOut (weight grad). */
  second: FloatArray;
  out: FloatArray;
  spec: Conv2dSpec;
}

export type KernelTask = MatmulTask | ConvTask;

/**
 * Runs one task on the calling thread, on the WebAssembly kernels when the caller's were on
 * (`t.wasm`), else on the CPU's.
 */
export function runTask(t: KernelTask): void {
  setWasmKernelsEnabled(t.wasm);
  const conv: ConvKernels = t.wasm ? wasmConv : cpuBackend;
  switch (t.op) {
    case 'matmul':
      (t.wasm ? wasmMatmul : cpuMatmul).matmulPart(t.a, t.b, t.out, t.spec, t.batchStart, t.batchEnd, t.rowStart, t.rowEnd);
      return;
    case 'conv2d':
      conv.conv2d(t.first, t.second, t.out, t.spec);
      return;
    case 'conv2dInputGrad':
      conv.conv2dInputGrad(t.first, t.second, t.out, t.spec);
      return;
    case 'conv2dWeightGrad':
      conv.conv2dWeightGrad(t.first, t.second, t.out, t.spec);
      return;
    default:
      throw new Error(`runTask: unknown kernel task '${String((t as { op: unknown }).op)}'`);
  }
}
