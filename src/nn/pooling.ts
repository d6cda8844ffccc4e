/**
 * Pooling layers: MaxPool2d and AvgPool2d (kernel, stride defaulting to the kernel, padding at
 * most half the kernel; PyTorch's floor-mode output size) and AdaptiveAvgPool2d (a fixed output
 * size, PyTorch's bins). None has parameters.
 */
import type { Tensor } from '../tensor/tensor.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from './functional/pooling.js';
import { tupleOf, type IntOrPair } from './functional/conv-args.js';
import { Module } from './module.js';
import { checkNumberArg, checkOptions, optionKeys } from '../options.js';

/** Options of MaxPool2d. */
export interface MaxPoolModuleOptions {
  /** Default: the kernel size. */
  stride?: IntOrPair | null;
  /** Implicit −∞ padding per side, at most half the kernel (default 0). */
  padding?: IntOrPair;
}

/** Options of AvgPool2d. */
export interface AvgPoolModuleOptions extends MaxPoolModuleOptions {
  /** Count padding zeros in each window's divisor (default true). */
  countIncludePad?: boolean;
}

const list = (v: readonly number[]) => `[${v.join(', ')}]`;

/** Max over kH×kW windows of (N, C, H, W) or (C, H, W) inputs. */
export class MaxPool2d extends Module {
  /** Window size [kH, kW]. */
  readonly kernelSize: [number, number];
  /** Step between windows (defaults to the kernel size). */
  readonly stride: [number, number];
  /** Implicit −∞ padding per side. */
  readonly padding: [number, number];

  constructor(kernelSize: IntOrPair, opts: MaxPoolModuleOptions = {}) {
    super();
    checkOptions('MaxPool2d', opts, optionKeys<MaxPoolModuleOptions>({ stride: true, padding: true }));
    this.kernelSize = tupleOf('MaxPool2d', 'kernelSize', kernelSize, 2, 1) as [number, number];
    this.stride = tupleOf('MaxPool2d', 'stride', opts.stride ?? this.kernelSize, 2, 1) as [number, number];
    this.padding = tupleOf('MaxPool2d', 'padding', opts.padding ?? 0, 2, 0) as [number, number];
  }

  /** x [N, C, H, W] (or [C, H, W]) → [N, C, H', W'], H' = ⌊(H + 2·padding − kH)/stride⌋ + 1. */
  override forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding }, 'MaxPool2d');
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
