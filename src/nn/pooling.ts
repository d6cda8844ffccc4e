/**
 * Pooling layers: MaxPool2d and AvgPool2d (kernel, stride defaulting to the kernel, padding at
 * most half the kernel; PyTorch's floor-mode output size, and for MaxPool2d dilation, ceil mode
 * and returned indices), MaxUnpool2d (MaxPool2d's partial inverse) and AdaptiveAvgPool2d (a
 * fixed output size, PyTorch's bins). None has parameters.
 */
import type { Tensor } from '../tensor/tensor.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, maxUnpool2d } from './functional/pooling.js';
import { tupleOf, type IntOrPair } from './functional/conv-args.js';
import { Module } from './module.js';
import { checkNumberArg, checkOptions, optionKeys } from '../options.js';

/** Options of MaxPool2d (PyTorch's defaults). */
export interface MaxPoolModuleOptions {
  /** Default: the kernel size. */
  stride?: IntOrPair | null;
  /** Implicit −∞ padding per side, at most half the kernel (default 0). */
  padding?: IntOrPair;
  /** Spacing of the window's elements (default 1). */
  dilation?: IntOrPair;
  /** Round the output size up (default false). */
  ceilMode?: boolean;
  /** forward returns [out, indices] (default false). */
  returnIndices?: boolean;
}

/** Options of MaxUnpool2d (PyTorch's defaults: stride = kernel, padding 0). */
export interface MaxUnpoolModuleOptions {
  /** The pooling's stride (default: the kernel size). */
  stride?: IntOrPair | null;
  /** The pooling's padding (default 0). */
  padding?: IntOrPair;
}

/** Options of AvgPool2d. */
export interface AvgPoolModuleOptions extends Pick<MaxPoolModuleOptions, 'stride' | 'padding'> {
  /** Count padding zeros in each window's divisor (default true). */
  countIncludePad?: boolean;
}

const list = (v: readonly number[]) => `[${v.join(', ')}]`;

/**
 * Max over kH×kW windows of (N, C, H, W) or (C, H, W) inputs; with returnIndices, forward
 * returns [out, indices] (each winner's plane-flat index, for MaxUnpool2d).
 * @example const [y, idx] = new nn.MaxPool2d(2, { returnIndices: true }).forward(x)
 */
export class MaxPool2d<ReturnIndices extends boolean = false> extends Module {
  /** Window size [kH, kW]. */
  readonly kernelSize: [number, number];
  /** Step between windows (defaults to the kernel size). */
  readonly stride: [number, number];
  /** Implicit −∞ padding per side. */
  readonly padding: [number, number];
  /** Spacing of the window's elements. */
  readonly dilation: [number, number];
  /** Whether the output size rounds up. */
  readonly ceilMode: boolean;
  /** Whether forward returns [out, indices]. */
  readonly returnIndices: ReturnIndices;

  constructor(kernelSize: IntOrPair, opts: MaxPoolModuleOptions & { returnIndices?: ReturnIndices } = {}) {
    super();
    checkOptions('MaxPool2d', opts, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']);
    this.kernelSize = tupleOf('MaxPool2d', 'kernelSize', kernelSize, 2, 1) as [number, number];
    this.stride = tupleOf('MaxPool2d', 'stride', opts.stride ?? this.kernelSize, 2, 1) as [number, number];
    this.padding = tupleOf('MaxPool2d', 'padding', opts.padding ?? 0, 2, 0) as [number, number];
    this.dilation = tupleOf('MaxPool2d', 'dilation', opts.dilation ?? 1, 2, 1) as [number, number];
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = (opts.returnIndices ?? false) as ReturnIndices;
  }

  /** x (N, C, H, W) → (N, C, H', W'), or [that, indices] with returnIndices. */
  override forward(x: Tensor): ReturnIndices extends true ? [Tensor, Tensor] : Tensor {
    const opts = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, returnIndices: this.returnIndices as boolean };
    return maxPool2d(x, this.kernelSize, opts, 'MaxPool2d') as ReturnIndices extends true ? [Tensor, Tensor] : Tensor;
  }

  override extraRepr(): string {
    const extra = [
      this.dilation.some((d) => d !== 1) ? `, dilation=${list(this.dilation)}` : '',
      this.ceilMode ? ', ceilMode=true' : '',
      this.returnIndices ? ', returnIndices=true' : '',
    ].join('');
    return `kernelSize=${list(this.kernelSize)}, stride=${list(this.stride)}, padding=${list(this.padding)}${extra}`;
  }
}

/**
 * MaxPool2d's partial inverse: forward(x, indices, {outputSize?}) puts each value of x at its
 * index in a zero tensor (N, C, H', W'), H' = (H − 1)·stride − 2·padding + kH by default.
 * @example new nn.MaxUnpool2d(2).forward(y, idx)   // [y, idx] from MaxPool2d(2, { returnIndices: true })
 */
export class MaxUnpool2d extends Module {
  /** The pooling's kernel size. */
  readonly kernelSize: [number, number];
  /** The pooling's stride. */
  readonly stride: [number, number];
  /** The pooling's padding. */
  readonly padding: [number, number];

  constructor(kernelSize: IntOrPair, opts: MaxUnpoolModuleOptions = {}) {
    super();
    checkOptions('MaxUnpool2d', opts, ['stride', 'padding']);
    this.kernelSize = tupleOf('MaxUnpool2d', 'kernelSize', kernelSize, 2, 1) as [number, number];
    this.stride = tupleOf('MaxUnpool2d', 'stride', opts.stride ?? this.kernelSize, 2, 1) as [number, number];
    this.padding = tupleOf('MaxUnpool2d', 'padding', opts.padding ?? 0, 2, 0) as [number, number];
  }

  /** x and indices (N, C, H, W) → (N, C, H', W'); outputSize picks among the sizes pooling maps to H, W. */
  override forward(x: Tensor, indices: Tensor, opts: { outputSize?: readonly number[] | null } = {}): Tensor {
    checkOptions('MaxUnpool2d.forward', opts, ['outputSize']);
    return maxUnpool2d(x, indices, this.kernelSize, { stride: this.stride, padding: this.padding, outputSize: opts.outputSize }, 'MaxUnpool2d');
  }

  override extraRepr(): string {
    return `kernelSize=${list(this.kernelSize)}, stride=${list(this.stride)}, padding=${list(this.padding)}`;
  }
}

/** Mean over kH×kW windows of (N, C, H, W) or (C, H, W) inputs. */
export class AvgPool2d extends Module {
  /** Window size [kH, kW]. */
  readonly kernelSize: [number, number];
  /** Step between windows (defaults to the kernel size). */
  readonly stride: [number, number];
  /** Implicit zero padding per side. */
  readonly padding: [number, number];
  /** Whether padding zeros count in each window's divisor. */
  readonly countIncludePad: boolean;

  constructor(kernelSize: IntOrPair, opts: AvgPoolModuleOptions = {}) {
    super();
    checkOptions('AvgPool2d', opts, optionKeys<AvgPoolModuleOptions>({ stride: true, padding: true, countIncludePad: true }));
    this.kernelSize = tupleOf('AvgPool2d', 'kernelSize', kernelSize, 2, 1) as [number, number];
    this.stride = tupleOf('AvgPool2d', 'stride', opts.stride ?? this.kernelSize, 2, 1) as [number, number];
    this.padding = tupleOf('AvgPool2d', 'padding', opts.padding ?? 0, 2, 0) as [number, number];
    this.countIncludePad = opts.countIncludePad ?? true;
  }

  /** x [N, C, H, W] (or [C, H, W]) → [N, C, H', W'], H' = ⌊(H + 2·padding − kH)/stride⌋ + 1. */
  override forward(x: Tensor): Tensor {
    const opts = { stride: this.stride, padding: this.padding, countIncludePad: this.countIncludePad };
    return avgPool2d(x, this.kernelSize, opts, 'AvgPool2d');
  }

  override extraRepr(): string {
    return `kernelSize=${list(this.kernelSize)}, stride=${list(this.stride)}, padding=${list(this.padding)}`;
  }
}

/** Average pooling to a fixed output size [oH, oW] (null keeps that input size), e.g. 1 for global pooling. */
export class AdaptiveAvgPool2d extends Module {
  /** The output's [oH, oW] (one number for both; null keeps that input size). */
  readonly outputSize: number | readonly [number | null, number | null];

  constructor(outputSize: number | readonly [number | null, number | null]) {
    super();
    if (!Array.isArray(outputSize)) checkNumberArg('AdaptiveAvgPool2d', 'outputSize', outputSize);
    this.outputSize = outputSize;
  }

  /** x [N, C, H, W] (or [C, H, W]) → [N, C, oH, oW]. */
  override forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize, 'AdaptiveAvgPool2d');
  }

  override extraRepr(): string {
    return `outputSize=${typeof this.outputSize === 'number' ? this.outputSize : `[${this.outputSize.map(String).join(', ')}]`}`;
  }
}
