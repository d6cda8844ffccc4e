/**
 * ConvTranspose1d / ConvTranspose2d: the adjoints of Conv1d / Conv2d (their input gradients as
 * layers), used to upsample. PyTorch's layout: weight [inChannels, outChannels/groups, k…], bias [outChannels];
 * output size (H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1. Initialised as
 * PyTorch does, kaiming_uniform_(a = √5) on the weight, whose fanIn is then
 * (outChannels/groups)·kH·kW, and bias U(−1/√fanIn, 1/√fanIn).
 */
import { ShapeError } from '../errors.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { convTranspose1d, convTranspose2d } from './functional/conv.js';
import { tupleOf, type IntOrPair } from './functional/conv-args.js';
import { checkConvChannels, convFields, convRepr, resetConvParameters } from './conv.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { checkOptions, optionKeys } from '../options.js';

/** Options of ConvTranspose2d (PyTorch's defaults: stride 1, padding 0, outputPadding 0, groups 1, bias, dilation 1). */
export interface ConvTransposeModuleOptions {
  /** Step of the transposed convolution: the output grows by this factor (default 1). */
  stride?: IntOrPair;
  /** Rows/columns cropped from each side of the full output (default 0). */
  padding?: IntOrPair;
  /**
   * Extra rows/columns on one side of the output, to pick among the sizes a stride maps to the same input (<
   * stride; default 0).
   */
  outputPadding?: IntOrPair;
  /** Independent channel groups (default 1). */
  groups?: number;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** Spacing between kernel taps (default 1). */
  dilation?: IntOrPair;
}

/**
 * What the 1-d and 2-d layers share, for `dims` spatial dimensions: each size option is a tuple of
 * `dims` numbers (a single number is used for every dimension).
 */
abstract class ConvTransposeNd<T extends number[]> extends Module {
  /** Channels C_in of the input. */
  readonly inChannels: number;
  /** Channels C_out of the output (the number of filters). */
  readonly outChannels: number;
  /** The kernel's spatial size. */
  readonly kernelSize: T;
  /** Step between the input positions' placements in the output. */
  readonly stride: T;
  /** Cropped from each side of the full output. */
  readonly padding: T;
  /** Extra size on one side of the output. */
  readonly outputPadding: T;
  /** Spacing between kernel taps. */
  readonly dilation: T;
  /** Independent channel groups. */
  readonly groups: number;
  /** [inChannels, outChannels/groups, …kernelSize] */
  weight: Parameter;
  /** [outChannels], or null without bias. */
  bias: Parameter | null;

  protected constructor(
    dims: number,
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    opts: ConvTransposeModuleOptions | ConvTranspose1dModuleOptions,
  ) {
    super();
    const name = new.target.name;
    checkOptions(name, opts, optionKeys<ConvTransposeModuleOptions>({ stride: true, padding: true, outputPadding: true, groups: true, bias: true, dilation: true }));
    const groups = opts.groups ?? 1;
    checkConvChannels(name, inChannels, outChannels, groups);
    const tuple = (option: string, v: number | readonly number[], min: number) => tupleOf(name, option, v, dims, min) as T;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = tuple('kernelSize', kernelSize, 1);
    this.stride = tuple('stride', opts.stride ?? 1, 1);
    this.padding = tuple('padding', opts.padding ?? 0, 0);
    this.outputPadding = tuple('outputPadding', opts.outputPadding ?? 0, 0);
    this.dilation = tuple('dilation', opts.dilation ?? 1, 1);
    // As PyTorch: each output padding must be smaller than the stride or the dilation of its dimension.
    this.outputPadding.forEach((p, d) => {
      if (p >= this.stride[d] && p >= this.dilation[d]) {
        throw new ShapeError(`${name}: outputPadding ${p} must be smaller than either stride ${this.stride[d]} or dilation ${this.dilation[d]} (dimension ${d})`);
      }
    });
    this.groups = groups;
    this.weight = new Parameter(zeros([inChannels, outChannels / groups, ...this.kernelSize]));
    this.bias = (opts.bias ?? true) ? new Parameter(zeros([outChannels])) : null;
    this.resetParameters();
  }

  /** PyTorch's default initialisation (see the file comment). */
  resetParameters(): void {
    resetConvParameters(this.weight, this.bias);
  }

  /** The options the functional form takes. */
  protected convOptions(): { stride: T; padding: T; outputPadding: T; groups: number; dilation: T } {
    return { stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, groups: this.groups, dilation: this.dilation };
  }

  override extraRepr(): string {
    const extra = this.outputPadding.some((p) => p !== 0) ? `outputPadding=[${this.outputPadding.join(', ')}]` : undefined;
    return convRepr({ ...convFields(this), extra });
  }
}

/** 2-d transposed convolution over (N, inChannels, H, W) or unbatched (inChannels, H, W) inputs. */
export class ConvTranspose2d extends ConvTransposeNd<[number, number]> {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, opts: ConvTransposeModuleOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, opts);
  }

  /** x (N, inChannels, H, W) → (N, outChannels, H', W'). */
  override forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, this.convOptions(), 'ConvTranspose2d');
  }
}

/** Options of ConvTranspose1d (PyTorch's defaults: stride 1, padding 0, outputPadding 0, groups 1, bias, dilation 1). */
export interface ConvTranspose1dModuleOptions {
  /** Step between the input positions' placements in the output (default 1). */
  stride?: number | readonly [number];
  /** Trimmed from both ends of the full output (default 0). */
  padding?: number | readonly [number];
  /** Extra length added at the end, below stride or dilation (default 0). */
  outputPadding?: number | readonly [number];
  /** Channel groups; both channel counts divisible by it (default 1). */
  groups?: number;
  /** Learn a bias [outChannels] (default true). */
  bias?: boolean;
  /** Spacing of the kernel taps (default 1). */
  dilation?: number | readonly [number];
}

/**
 * 1-d transposed convolution over (N, inChannels, L) or unbatched (inChannels, L) inputs:
 * weight [inChannels, outChannels/groups, k], bias [outChannels], output length
 * (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1; PyTorch's initialisation.
 * @example new nn.ConvTranspose1d(4, 2, 3, { stride: 2 }).forward(randn([1, 4, 10]))   // [1, 2, 21]
 */
export class ConvTranspose1d extends ConvTransposeNd<[number]> {
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly [number], opts: ConvTranspose1dModuleOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, opts);
  }

  /** x (N, inChannels, L) → (N, outChannels, L'). */
  override forward(x: Tensor): Tensor {
    return convTranspose1d(x, this.weight, this.bias, this.convOptions(), 'ConvTranspose1d');
  }
}
