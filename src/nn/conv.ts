/**
 * Conv1d and Conv2d with PyTorch's parameters (weight [out, in/groups, k…], bias [out]),
 * options (stride, padding incl. 'same'/'valid', dilation, groups, bias, paddingMode) and
 * default initialisation: weight kaiming_uniform_(a = √5), i.e. U(−1/√fanIn, 1/√fanIn) with
 * fanIn = (in/groups)·∏k, and bias U(−1/√fanIn, 1/√fanIn).
 */
import { ShapeError } from '../errors.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { conv1d, conv2d } from './functional/conv.js';
import { tupleOf, type ConvPadding, type IntOrPair, type PaddingMode } from './functional/conv-args.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options of Conv1d/Conv2d (PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1, bias, zeros). */
export interface ConvModuleOptions {
  /** Step between output positions, one number or [h, w] (default 1). */
  stride?: IntOrPair;
  /**
   * Implicit padding per side, one number or [h, w], or 'valid' (none) or 'same' (output size = input size;
   * stride 1 only). Default 0.
   */
  padding?: ConvPadding;
  /** Spacing between kernel taps (default 1). */
  dilation?: IntOrPair;
  /** Independent channel groups; both channel counts must divide by it (default 1). */
  groups?: number;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** What the padding holds: 'zeros' (default), 'reflect', 'replicate' or 'circular'. */
  paddingMode?: PaddingMode;
}

/** PyTorch's default conv initialisation of `weight` and `bias` (fanIn from the weight's dims 1…). */
export function resetConvParameters(weight: Parameter, bias: Parameter | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const { fanIn } = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}

/** Checks channels against groups at construction, as PyTorch does. */
export function checkConvChannels(op: string, inChannels: number, outChannels: number, groups: number): void {
  if (!Number.isInteger(groups) || groups < 1) throw new ShapeError(`${op}: groups must be a positive integer, got ${groups}`);
  if (inChannels % groups !== 0) throw new ShapeError(`${op}: inChannels ${inChannels} must be divisible by groups ${groups}`);
  if (outChannels % groups !== 0) throw new ShapeError(`${op}: outChannels ${outChannels} must be divisible by groups ${groups}`);
}

/** What `convRepr` prints. */
export interface ConvReprParts {
  inChannels: number;
  outChannels: number;
  kernelSize: readonly number[];
  stride: readonly number[];
  padding: ConvPadding | readonly number[];
  dilation: readonly number[];
  groups: number;
  bias: boolean;
  /** Layer-specific text placed before groups/bias (e.g. outputPadding). */
  extra?: string;
}

/** PyTorch-style printing of the conv arguments that differ from their defaults. */
export function convRepr(parts: ConvReprParts): string {
  const list = (v: readonly number[]) => `[${v.join(', ')}]`;
  const out = [`${parts.inChannels}, ${parts.outChannels}, kernelSize=${list(parts.kernelSize)}, stride=${list(parts.stride)}`];
  const p = parts.padding;
  if (typeof p === 'string') out.push(`padding='${p}'`);
  else if (typeof p === 'number' ? p !== 0 : p.some((v) => v !== 0)) out.push(`padding=${typeof p === 'number' ? p : list(p)}`);
  if (parts.dilation.some((d) => d !== 1)) out.push(`dilation=${list(parts.dilation)}`);
  if (parts.extra) out.push(parts.extra);
  if (parts.groups !== 1) out.push(`groups=${parts.groups}`);
  if (!parts.bias) out.push('bias=false');
  return out.join(', ');
}

/** The printed fields of a conv layer. */
export function convFields(m: Omit<ConvReprParts, 'bias' | 'extra'> & { bias: Parameter | null }): ConvReprParts {
  const { inChannels, outChannels, kernelSize, stride, padding, dilation, groups } = m;
  return { inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias: m.bias !== null };
}

/** The padding as given (a string) or as a per-dim list. */
function paddingOf(op: string, padding: ConvPadding, n: number): 'same' | 'valid' | number[] {
  return typeof padding === 'string' ? padding : tupleOf(op, 'padding', padding, n, 0);
}

/** 2-d convolution over (N, inChannels, H, W) or unbatched (inChannels, H, W) inputs. */
export class Conv2d extends Module {
  /** Channels C_in of the input. */
  readonly inChannels: number;
  /** Channels C_out of the output (the number of filters). */
  readonly outChannels: number;
  /** The kernel's spatial size. */
  readonly kernelSize: [number, number];
  /** Step between output positions. */
  readonly stride: [number, number];
  /** Implicit padding per side, or 'same'/'valid'. */
  readonly padding: 'same' | 'valid' | [number, number];
  /** Spacing between kernel taps. */
  readonly dilation: [number, number];
  /** Independent channel groups: each filter sees C_in/groups input channels. */
  readonly groups: number;
  /** What the padding holds: 'zeros', 'reflect', 'replicate' or 'circular'. */
  readonly paddingMode: PaddingMode;
  /** [outChannels, inChannels/groups, kH, kW] */
  weight: Parameter;
  /** [outChannels], or null without bias. */
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, opts: ConvModuleOptions = {}) {
    super();
    checkOptions('Conv2d', opts, optionKeys<ConvModuleOptions>({ stride: true, padding: true, dilation: true, groups: true, bias: true, paddingMode: true }));
    const groups = opts.groups ?? 1;
    checkConvChannels('Conv2d', inChannels, outChannels, groups);
    const pair = (name: string, v: IntOrPair, min: number) => tupleOf('Conv2d', name, v, 2, min) as [number, number];
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair('kernelSize', kernelSize, 1);
    this.stride = pair('stride', opts.stride ?? 1, 1);
    this.padding = paddingOf('Conv2d', opts.padding ?? 0, 2) as Conv2d['padding'];
    if (this.padding === 'same' && this.stride.some((s) => s !== 1)) throw new ShapeError("Conv2d: padding='same' is not supported for strided convolutions");
    this.dilation = pair('dilation', opts.dilation ?? 1, 1);
    this.groups = groups;
    this.paddingMode = opts.paddingMode ?? 'zeros';
    this.weight = new Parameter(zeros([outChannels, inChannels / groups, ...this.kernelSize]));
    this.bias = (opts.bias ?? true) ? new Parameter(zeros([outChannels])) : null;
    this.resetParameters();
  }

  /** PyTorch's default initialisation (see the file comment). */
  resetParameters(): void {
    resetConvParameters(this.weight, this.bias);
  }

  /** x (N, inChannels, H, W) → (N, outChannels, H', W'). */
  override forward(x: Tensor): Tensor {
    const opts = { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, paddingMode: this.paddingMode };
    return conv2d(x, this.weight, this.bias, opts, 'Conv2d');
  }

  override extraRepr(): string {
    const mode = this.paddingMode !== 'zeros' ? `paddingMode='${this.paddingMode}'` : undefined;
    return convRepr({ ...convFields(this), extra: mode });
  }
}

/** 1-d convolution over (N, inChannels, L) or unbatched (inChannels, L) inputs. */
export class Conv1d extends Module {
  /** Channels C_in of the input. */
  readonly inChannels: number;
  /** Channels C_out of the output (the number of filters). */
  readonly outChannels: number;
  /** The kernel's spatial size. */
  readonly kernelSize: [number];
  /** Step between output positions. */
  readonly stride: [number];
  /** Implicit padding per side, or 'same'/'valid'. */
  readonly padding: 'same' | 'valid' | [number];
  /** Spacing between kernel taps. */
  readonly dilation: [number];
  /** Independent channel groups: each filter sees C_in/groups input channels. */
  readonly groups: number;
  /** What the padding holds: 'zeros', 'reflect', 'replicate' or 'circular'. */
  readonly paddingMode: PaddingMode;
  /** [outChannels, inChannels/groups, k] */
  weight: Parameter;
  /** [outChannels], or null without bias. */
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly [number], opts: ConvModuleOptions = {}) {
    super();
    checkOptions('Conv1d', opts, optionKeys<ConvModuleOptions>({ stride: true, padding: true, dilation: true, groups: true, bias: true, paddingMode: true }));
    const groups = opts.groups ?? 1;
    checkConvChannels('Conv1d', inChannels, outChannels, groups);
    const one = (name: string, v: number | readonly number[], min: number) => tupleOf('Conv1d', name, v, 1, min) as [number];
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = one('kernelSize', kernelSize, 1);
    this.stride = one('stride', opts.stride ?? 1, 1);
    this.padding = paddingOf('Conv1d', opts.padding ?? 0, 1) as Conv1d['padding'];
    if (this.padding === 'same' && this.stride[0] !== 1) throw new ShapeError("Conv1d: padding='same' is not supported for strided convolutions");
    this.dilation = one('dilation', opts.dilation ?? 1, 1);
    this.groups = groups;
    this.paddingMode = opts.paddingMode ?? 'zeros';
    this.weight = new Parameter(zeros([outChannels, inChannels / groups, this.kernelSize[0]]));
    this.bias = (opts.bias ?? true) ? new Parameter(zeros([outChannels])) : null;
    this.resetParameters();
  }

  /** PyTorch's default initialisation (see the file comment). */
  resetParameters(): void {
    resetConvParameters(this.weight, this.bias);
  }

  /** x (N, inChannels, L) → (N, outChannels, L'). */
  override forward(x: Tensor): Tensor {
    const padding = typeof this.padding === 'string' ? this.padding : this.padding[0];
    const opts = { stride: this.stride[0], padding, dilation: this.dilation[0], groups: this.groups, paddingMode: this.paddingMode };
    return conv1d(x, this.weight, this.bias, opts, 'Conv1d');
  }

  override extraRepr(): string {
    const mode = this.paddingMode !== 'zeros' ? `paddingMode='${this.paddingMode}'` : undefined;
    return convRepr({ ...convFields(this), extra: mode });
  }
}
