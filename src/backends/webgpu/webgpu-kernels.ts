/**
 * Matmul and the convolution products as WebGPU compute passes. WebGPU reads results back only
 * asynchronously, so these kernels return Promises: `AsyncBackend` is `Backend` with every product
 * awaited. An async tensor API would `await` them where the synchronous one calls `Backend`
 * (e.g. `await kernels.matmul(a, b, out, spec)` inside an `async matmulAsync(x, y)`), and would keep
 * results on the GPU between ops instead of reading each one back.
 *
 * Small work (below `minSize` multiply-adds), float64 and empty work run on `fallbackBackend()`
 * (the chain under the chosen backend: WebAssembly SIMD where on, then the CPU).
 */
import { ShapeError } from '../../errors.js';
import type { FloatArray } from '../../kernels/dtype.js';
import type { Backend, Conv2dSpec, MatmulSpec, ProductKernelName } from '../../kernels/backend.js';
import { fallbackBackend } from '../../kernels/registry.js';
import type { WebGpuDevice } from './webgpu-device.js';
import {
  conv2dInputGradWgsl, conv2dWeightGradWgsl, conv2dWgsl, dispatchGrid, isTiledMatmul, MAX_GROUPS, matmulGrid, matmulThinWgsl, matmulWgsl,
} from './wgsl-sources.js';
import { checkOptions, optionKeys } from '../../options.js';

/** The `Backend` products (matmul and the convolutions), asynchronous: each resolves once its `out` argument is written. */
export type AsyncBackend = {
  /** A short name, e.g. 'webgpu'. */
  readonly name: string;
} & {
  [Op in ProductKernelName]: (...args: Parameters<Backend[Op]>) => Promise<void>;
};

/** Where a WebGPU kernel call really ran. */
export type WebGpuRunPlace = 'webgpu' | 'cpu-backend';

/** WebGPU kernels on one device, with where their calls ran. */
export interface WebGpuKernels extends AsyncBackend {
  /** Products with fewer multiply-adds than this run on the CPU backend. */
  readonly minSize: number;
  /** What the kernels were created on (held, so a Node GPU object outlives them). */
  readonly device: GPUDevice | WebGpuDevice;
  /** How many kernel calls ran on each place (WebGPU or the CPU backend). */
  runCounts(): Readonly<Record<WebGpuRunPlace, number>>;
}

/** Options of `createWebGpuKernels`. */
export interface WebGpuKernelsOptions {
  /** Products with fewer multiply-adds than this run on the CPU backend (default 2^20, as gpu.js's). */
  minSize?: number;
}

const F32 = 4;

// Buffer-usage and map-mode flags, with the values the WebGPU spec fixes (read from here rather
// than from the GPUBufferUsage/GPUMapMode globals, which Node's webgpu package does not install).
const MAP_READ = 0x0001;
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;

/**
 * Creates the WebGPU kernels on a device: the caller's own `GPUDevice`, or what
 * `requestWebGpuDevice` returned (preferred in Node: the kernels then keep its GPU object alive).
 */
export function createWebGpuKernels(target: GPUDevice | WebGpuDevice, opts: WebGpuKernelsOptions = {}): WebGpuKernels {
  checkOptions('createWebGpuKernels', opts, optionKeys<WebGpuKernelsOptions>({ minSize: true }));
  const opened = 'device' in target ? target : null;
  const device = opened === null ? (target as GPUDevice) : opened.device;
  const minSize = opts.minSize ?? 2 ** 20;
  const pipelines = new Map<string, GPUComputePipeline>();
  const counts: Record<WebGpuRunPlace, number> = { webgpu: 0, 'cpu-backend': 0 };
  const maxBinding = device.limits.maxStorageBufferBindingSize;

  function pipeline(key: string, source: () => string): GPUComputePipeline {
    let p = pipelines.get(key);
    if (p === undefined) {
      const module = device.createShaderModule({ code: source() });
      p = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      pipelines.set(key, p);
    }
    return p;
  }

  function storage(op: string, name: string, data: Float32Array): GPUBuffer {
    if (data.byteLength > maxBinding) {
      throw new ShapeError(`${op} (webgpu): ${name} has ${data.length} elements, above this device's storage binding limit of ${maxBinding / F32}`);
    }
    // A zero-sized binding is invalid; such an input is never read, so 4 bytes stand in for it.
    const buffer = device.createBuffer({ size: Math.max(F32, data.byteLength), usage: STORAGE | COPY_DST });
    device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  /** Runs one shader on `grid` workgroups over `inputs` into a fresh `length`-element result and reads it back. */
  async function dispatch(
    op: string, key: string, source: () => string, inputs: [Float32Array, Float32Array], length: number,
    grid: [number, number, number] = dispatchGrid(length),
  ): Promise<Float32Array> {
    if (grid.some((g) => g > MAX_GROUPS)) {
      throw new ShapeError(`${op} (webgpu): needs a dispatch of [${grid}] workgroups, above the ${MAX_GROUPS} per dimension WebGPU allows`);
    }
    if (length * F32 > maxBinding) {
      throw new ShapeError(`${op} (webgpu): the result has ${length} elements, above this device's storage binding limit of ${maxBinding / F32}`);
    }
    const p = pipeline(key, source);
    const in0 = storage(op, 'the first input', inputs[0]);
    const in1 = storage(op, 'the second input', inputs[1]);
    const result = device.createBuffer({ size: length * F32, usage: STORAGE | COPY_SRC });
    const readback = device.createBuffer({ size: length * F32, usage: MAP_READ | COPY_DST });
    try {
      const bindGroup = device.createBindGroup({
        layout: p.getBindGroupLayout(0),
        entries: [in0, in1, result].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(p);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(...grid);
      pass.end();
      encoder.copyBufferToBuffer(result, 0, readback, 0, length * F32);
      device.queue.submit([encoder.finish()]);
      await readback.mapAsync(MAP_MODE_READ);
      const values = new Float32Array(readback.getMappedRange().slice(0));
      readback.unmap();
      counts.webgpu += 1;
      return values;
    } finally {
      for (const b of [in0, in1, result, readback]) b.destroy();
    }
  }

  function delegate(): void {
    counts['cpu-backend'] += 1;
  }

  function convWork(s: Conv2dSpec): number {
    return s.batch * s.outChannels * s.outH * s.outW * (s.inChannels / s.groups) * s.kH * s.kW;
  }

  const wSize = (s: Conv2dSpec): number => (s.outChannels * s.inChannels * s.kH * s.kW) / s.groups;
  const xSize = (s: Conv2dSpec): number => s.batch * s.inChannels * s.inH * s.inW;
  const outSize = (s: Conv2dSpec): number => s.batch * s.outChannels * s.outH * s.outW;
  const convKey = (op: string, s: Conv2dSpec): string => `${op}:${Object.values(s).join(',')}`;

  return {
    name: 'webgpu',
    minSize,
    device: opened ?? device,
    runCounts: () => ({ ...counts }),

    async matmul(a: FloatArray, b: FloatArray, out: FloatArray, s: MatmulSpec): Promise<void> {
      const work = s.batch * s.m * s.n * s.k;
      if (work === 0 || work < minSize || !(a instanceof Float32Array) || !(b instanceof Float32Array) || !(out instanceof Float32Array)) {
        delegate();
        fallbackBackend().matmul(a, b, out, s);
        return;
      }
      const aPart = a.subarray(0, s.aBatchStride * (s.batch - 1) + s.m * s.k);
      const bPart = b.subarray(0, s.bBatchStride * (s.batch - 1) + s.k * s.n);
      const key = `matmul:${Object.values(s).join(',')}`;
      const length = s.batch * s.m * s.n;
      const result = isTiledMatmul(s)
        ? await dispatch('matmul', `${key}:tiled`, () => matmulWgsl(s), [aPart, bPart], length, matmulGrid(s))
        : await dispatch('matmul', `${key}:thin`, () => matmulThinWgsl(s), [aPart, bPart], length);
      out.set(result);
    },

    async conv2d(x: FloatArray, w: FloatArray, out: FloatArray, s: Conv2dSpec): Promise<void> {
      const work = convWork(s);
      if (work === 0 || work < minSize || !(x instanceof Float32Array) || !(w instanceof Float32Array) || !(out instanceof Float32Array)) {
        delegate();
        fallbackBackend().conv2d(x, w, out, s);
        return;
      }
      const inputs: [Float32Array, Float32Array] = [x.subarray(0, xSize(s)), w.subarray(0, wSize(s))];
      out.set(await dispatch('conv2d', convKey('conv2d', s), () => conv2dWgsl(s, s.batch), inputs, outSize(s)));
    },

    async conv2dInputGrad(gradOut: FloatArray, w: FloatArray, gradX: FloatArray, s: Conv2dSpec): Promise<void> {
      const work = convWork(s);
      if (work === 0 || work < minSize || !(gradOut instanceof Float32Array) || !(w instanceof Float32Array) || !(gradX instanceof Float32Array)) {
        delegate();
        fallbackBackend().conv2dInputGrad(gradOut, w, gradX, s);
        return;
      }
      const inputs: [Float32Array, Float32Array] = [gradOut.subarray(0, outSize(s)), w.subarray(0, wSize(s))];
      gradX.set(await dispatch('conv2dInputGrad', convKey('conv2dInputGrad', s), () => conv2dInputGradWgsl(s, s.batch), inputs, xSize(s)));
    },

    async conv2dWeightGrad(x: FloatArray, gradOut: FloatArray, gradW: FloatArray, s: Conv2dSpec): Promise<void> {
      const work = convWork(s);
      if (work === 0 || work < minSize || !(x instanceof Float32Array) || !(gradOut instanceof Float32Array) || !(gradW instanceof Float32Array)) {
        delegate();
        fallbackBackend().conv2dWeightGrad(x, gradOut, gradW, s);
        return;
      }
      const inputs: [Float32Array, Float32Array] = [x.subarray(0, xSize(s)), gradOut.subarray(0, outSize(s))];
      gradW.set(await dispatch('conv2dWeightGrad', convKey('conv2dWeightGrad', s), () => conv2dWeightGradWgsl(s, s.batch), inputs, wSize(s)));
    },

    // int8 products (quantized layers) run on the CPU's SIMD kernel
  };
}
