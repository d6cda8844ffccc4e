/**
 * The convolutions as functions: conv1d, conv2d (cross-correlation, PyTorch's NCL/NCHW layout,
 * weight [out, in/groups, k…]) and convTranspose2d (weight [in, out/groups, kH, kW]). Every
 * shape is checked here, so the errors name the op and the shapes; the arithmetic is the conv
 * Functions in autograd/functions/conv.ts. conv1d is conv2d with a height of 1, convTranspose1d
 * likewise convTranspose2d.
 */
import { ShapeError, fmtShape } from '../../errors.js';
import { Conv2d, Conv2dInputGrad, type Conv2dGeometry } from '../../autograd/functions/conv.js';
import { pad } from '../../autograd/functions/shape-composed.js';
import type { Tensor } from '../../tensor/tensor.js';
import { convOutputSize, resolvePadding, tupleOf, type ConvPadding, type IntOrPair, type PaddingMode } from './conv-args.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of conv1d/conv2d (PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1, zeros). */
export interface ConvOptions {
  /** Step between output positions, one number or [h, w] (default 1). */
  stride?: IntOrPair;
  /**
   * Implicit padding on each side, one number or [h, w], or 'valid' (none) or 'same' (output size = input size;
   * stride 1 only). Default 0.
   */
  padding?: ConvPadding;
  /** Spacing between kernel taps (default 1). */
  dilation?: IntOrPair;
  /** Split channels into this many independent groups; both channel counts must divide by it (default 1). */
  groups?: number;
  /** What the padding holds: 'zeros' (default), 'reflect', 'replicate' or 'circular'. */
  paddingMode?: PaddingMode;
}

/** Options of convTranspose2d (PyTorch's defaults: stride 1, padding 0, outputPadding 0, groups 1, dilation 1). */
export interface ConvTransposeOptions {
  /** Step of the transposed convolution: the output grows by this factor (default 1). */
  stride?: IntOrPair;
  /** Crops this many rows/columns from each side of the full transposed output (default 0). */
  padding?: IntOrPair;
  /**
   * Extra rows/columns added on one side of the output, to pick among the sizes a stride maps to the same input
   * (< stride; default 0).
   */
  outputPadding?: IntOrPair;
  /** Independent channel groups (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: IntOrPair;
}

/** Checks groups divide the channels; returns groups. */
function checkGroups(op: string, groups: number, inChannels: number, outChannels: number): number {
  if (!Number.isInteger(groups) || groups < 1) throw new ShapeError(`${op}: groups must be a positive integer, got ${groups}`);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ShapeError(`${op}: in channels ${inChannels} and out channels ${outChannels} must both be divisible by groups ${groups}`);
  }
  return groups;
}

/** Checks x has rank spatial+1 (unbatched) or spatial+2 and returns it batched. */
function batched(op: string, x: Tensor, spatial: number): Tensor {
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new ShapeError(`${op}: expected a ${spatial + 1}-d (unbatched) or ${spatial + 2}-d (batched) input, got shape ${fmtShape(x.shape)}`);
  }
  return x.ndim === spatial + 2 ? x : x.unsqueeze(0);
}

function checkWeightRank(op: string, weight: Tensor, spatial: number): void {
  if (weight.ndim !== spatial + 2) throw new ShapeError(`${op}: expected a ${spatial + 2}-d weight, got shape ${fmtShape(weight.shape)}`);
}

function checkBias(op: string, bias: Tensor | null, channels: number): void {
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== channels)) {
    throw new ShapeError(`${op}: expected a bias of shape [${channels}], got shape ${fmtShape(bias.shape)}`);
  }
}

/**
 * The shared core: x [N, C, H, W] (already batched), weight [O, C/groups, kH, kW], explicit
 * before/after padding per spatial dim. `shownShape` is the caller's input shape for messages.
 */
function conv2dCore(
  op: string, x: Tensor, weight: Tensor, bias: Tensor | null, shownShape: readonly number[],
  stride: number[], dilation: number[], padding: ConvPadding, groups: number, paddingMode: PaddingMode,
): Tensor {
  const [outChannels, cinPerGroup, kH, kW] = weight.shape;
  checkGroups(op, groups, cinPerGroup * groups, outChannels);
  if (x.shape[1] !== cinPerGroup * groups) {
    throw new ShapeError(`${op}: expected input with ${cinPerGroup * groups} channels, got shape ${fmtShape(shownShape)}`);
  }
  checkBias(op, bias, outChannels);
  const pads = resolvePadding(op, padding, [kH, kW], dilation, stride);
  let input = x;
  if (paddingMode !== 'zeros' && pads.before.concat(pads.after).some((p) => p > 0)) {
    input = pad(x, [pads.before[1], pads.after[1], pads.before[0], pads.after[0]], { mode: paddingMode });
    pads.before = [0, 0];
    pads.after = [0, 0];
  }
  const outH = convOutputSize(input.shape[2], kH, stride[0], pads.before[0], pads.after[0], dilation[0]);
  const outW = convOutputSize(input.shape[3], kW, stride[1], pads.before[1], pads.after[1], dilation[1]);
  if (outH < 1 || outW < 1) {
    throw new ShapeError(`${op}: input of shape ${fmtShape(shownShape)} (padded by ${fmtShape(pads.before)}/${fmtShape(pads.after)}) is smaller than the dilated kernel ${fmtShape([dilation[0] * (kH - 1) + 1, dilation[1] * (kW - 1) + 1])}`);
  }
  const geom: Conv2dGeometry = { stride: [stride[0], stride[1]], padding: [pads.before[0], pads.before[1]], dilation: [dilation[0], dilation[1]], groups };
  const out = Conv2d.apply(input, weight, geom, [outH, outW]);
  return bias ? out.add(bias.reshape([1, outChannels, 1, 1])) : out;
}

/**
 * 2-d convolution of x (N, C, H, W) or (C, H, W) with weight (O, C/groups, kH, kW) → (N, O, H', W').
 * `F.conv2d(img, w, b, { stride: 2, padding: 1 })`
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: ConvOptions = {}, op = 'conv2d'): Tensor {
  checkOptions(op, opts, optionKeys<ConvOptions>({ stride: true, padding: true, dilation: true, groups: true, paddingMode: true }));
  const xb = batched(op, x, 2);
  checkWeightRank(op, weight, 2);
  const stride = tupleOf(op, 'stride', opts.stride ?? 1, 2, 1);
  const dilation = tupleOf(op, 'dilation', opts.dilation ?? 1, 2, 1);
  const out = conv2dCore(op, xb, weight, bias, x.shape, stride, dilation, opts.padding ?? 0, opts.groups ?? 1, opts.paddingMode ?? 'zeros');
  return x.ndim === 3 ? out.squeeze(0) : out;
}

/**
 * 1-d convolution of x (N, C, L) or (C, L) with weight (O, C/groups, k) → (N, O, L').
 * `F.conv1d(seq, w1, null, { padding: 'same' })`
 */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: ConvOptions = {}, op = 'conv1d'): Tensor {
  checkOptions(op, opts, optionKeys<ConvOptions>({ stride: true, padding: true, dilation: true, groups: true, paddingMode: true }));
  const xb = batched(op, x, 1);
  checkWeightRank(op, weight, 1);
  const one = (name: string, v: IntOrPair | undefined, min: number) => tupleOf(op, name, v ?? (min === 1 ? 1 : 0), 1, min)[0];
  const stride = one('stride', opts.stride, 1);
  const dilation = one('dilation', opts.dilation, 1);
  const padding = opts.padding ?? 0;
  const padding2d: ConvPadding = typeof padding === 'string' ? padding : [0, one('padding', padding, 0)];
  const out = conv2dCore(op, xb.unsqueeze(2), weight.unsqueeze(2), bias, x.shape, [1, stride], [1, dilation], padding2d, opts.groups ?? 1, opts.paddingMode ?? 'zeros');
  const squeezed = out.squeeze(2);
  return x.ndim === 2 ? squeezed.squeeze(0) : squeezed;
}

/**
 * The output size of a transposed convolution along one dim:
 *   L_out = (L_in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 */
export function convTransposeOutputSize(inSize: number, kernel: number, stride: number, padding: number, outputPadding: number, dilation: number): number {
  return (inSize - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
}

/**
 * 2-d transposed convolution ("deconvolution") of x (N, Cin, H, W) or (Cin, H, W) with weight
 * (Cin, Cout/groups, kH, kW): the gradient of conv2d with respect to its input, so it maps
 * conv2d's output size back to its input size.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: ConvTransposeOptions = {}, op = 'convTranspose2d'): Tensor {
  checkOptions(op, opts, optionKeys<ConvTransposeOptions>({ stride: true, padding: true, outputPadding: true, groups: true, dilation: true }));
  const xb = batched(op, x, 2);
  checkWeightRank(op, weight, 2);
  const [inChannels, coutPerGroup, kH, kW] = weight.shape;
  const groups = opts.groups ?? 1;
  checkGroups(op, groups, inChannels, coutPerGroup * groups);
  if (xb.shape[1] !== inChannels) throw new ShapeError(`${op}: expected input with ${inChannels} channels, got shape ${fmtShape(x.shape)}`);
  const outChannels = coutPerGroup * groups;
  checkBias(op, bias, outChannels);
  const stride = tupleOf(op, 'stride', opts.stride ?? 1, 2, 1);
  const padding = tupleOf(op, 'padding', opts.padding ?? 0, 2, 0);
  const outputPadding = tupleOf(op, 'outputPadding', opts.outputPadding ?? 0, 2, 0);
  const dilation = tupleOf(op, 'dilation', opts.dilation ?? 1, 2, 1);
  if (outputPadding.some((p, i) => p >= stride[i] && p >= dilation[i])) {
    throw new ShapeError(`${op}: outputPadding ${fmtShape(outputPadding)} must be smaller than either stride ${fmtShape(stride)} or dilation ${fmtShape(dilation)}`);
  }
  const outH = convTransposeOutputSize(xb.shape[2], kH, stride[0], padding[0], outputPadding[0], dilation[0]);
  const outW = convTransposeOutputSize(xb.shape[3], kW, stride[1], padding[1], outputPadding[1], dilation[1]);
  if (outH < 1 || outW < 1) throw new ShapeError(`${op}: input of shape ${fmtShape(x.shape)} gives a non-positive output size [${outH},${outW}]`);
  const geom: Conv2dGeometry = { stride: [stride[0], stride[1]], padding: [padding[0], padding[1]], dilation: [dilation[0], dilation[1]], groups };
  let out = Conv2dInputGrad.apply(xb, weight, geom, [xb.shape[0], outChannels, outH, outW]);
  if (bias) out = out.add(bias.reshape([1, outChannels, 1, 1]));
  return x.ndim === 3 ? out.squeeze(0) : out;
}

/** Options of convTranspose1d (PyTorch's defaults: stride 1, padding 0, outputPadding 0, groups 1, dilation 1). */
export interface ConvTranspose1dOptions {
  /** Step between the input positions' placements in the output (default 1). */
  stride?: number | readonly [number];
  /** Trimmed from both ends of the full output (default 0). */
  padding?: number | readonly [number];
  /** Extra length added at the end, below stride or dilation (default 0). */
  outputPadding?: number | readonly [number];
  /** Channel groups; both channel counts divisible by it (default 1). */
  groups?: number;
  /** Spacing of the kernel taps (default 1). */
  dilation?: number | readonly [number];
}

/**
 * 1-d transposed convolution of x (N, Cin, L) or (Cin, L) with weight (Cin, Cout/groups, k):
 * the gradient of conv1d with respect to its input, output length
 * (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1. It is convTranspose2d
 * on a height of 1.
 * @example convTranspose1d(randn([1, 4, 10]), randn([4, 2, 3]), null, { stride: 2 })   // → [1, 2, 21]
 */
export function convTranspose1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: ConvTranspose1dOptions = {}, op = 'convTranspose1d'): Tensor {
  checkOptions(op, opts, ['stride', 'padding', 'outputPadding', 'groups', 'dilation']);
  const xb = batched(op, x, 1);
  checkWeightRank(op, weight, 1);
  if (xb.shape[1] !== weight.shape[0]) throw new ShapeError(`${op}: expected input with ${weight.shape[0]} channels, got shape ${fmtShape(x.shape)}`);
  const one = (name: string, v: number | readonly number[] | undefined, fallback: number, min: number) => tupleOf(op, name, v ?? fallback, 1, min)[0];
  const stride = one('stride', opts.stride, 1, 1);
  const padding = one('padding', opts.padding, 0, 0);
  const outputPadding = one('outputPadding', opts.outputPadding, 0, 0);
  const dilation = one('dilation', opts.dilation, 1, 1);
  // Checked here too, so the messages speak of one dim, not of the height-1 2-d call below.
  if (outputPadding >= stride && outputPadding >= dilation) {
    throw new ShapeError(`${op}: outputPadding ${outputPadding} must be smaller than either stride ${stride} or dilation ${dilation}`);
  }
  const outL = convTransposeOutputSize(xb.shape[2], weight.shape[2], stride, padding, outputPadding, dilation);
  if (outL < 1) throw new ShapeError(`${op}: input of shape ${fmtShape(x.shape)} gives a non-positive output length ${outL}`);
  const opts2d: ConvTransposeOptions = { stride: [1, stride], padding: [0, padding], outputPadding: [0, outputPadding], dilation: [1, dilation], groups: opts.groups ?? 1 };
  const out = convTranspose2d(xb.unsqueeze(2), weight.unsqueeze(2), bias, opts2d, op).squeeze(2);
  return x.ndim === 2 ? out.squeeze(0) : out;
}
