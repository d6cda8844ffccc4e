/**
 * What the quantized layers share: the int8 weight with its per-channel scales and the float
 * bias as buffers (saved as I8 and F32, see docs/quantization.md), the activation parameters
 * (measured on each input, or fixed by calibration), and the dequantization of the int32 sums.
 *
 * With x ≈ s_x·(q_x − z_x) and w[o, ·] ≈ s_o·q_w[o, ·], a dot product over k is
 *   Σ_p x_p·w[o, p] ≈ s_x·s_o·(Σ_p q_x,p·q_w[o, p] − z_x·Σ_p q_w[o, p]),
 * so one int8 product and the weight's row sums (computed once) give every output.
 */
import { DTypeError } from '../errors.js';
import { markInt8 } from '../io/int8-marks.js';
import type { FloatArray } from '../kernels/dtype.js';
import { Module } from '../nn/module.js';
import { fromStorage, type Tensor } from '../tensor/tensor.js';
import { activationParams, quantizeActivations, quantizePerChannel, rangeOf, type ActivationParams } from './qparams.js';

/** How activations are quantized: from each input's range, or from a range fixed by calibration. */
export type QuantMode = 'dynamic' | 'static';

/** A range of input values seen during calibration (static mode). */
export interface ActivationRange {
  /** The smallest value seen. */
  min: number;
  /** The largest value seen. */
  max: number;
}

/** The weight in the form the product needs, derived from the buffers and kept until they change. */
export interface PackedWeight {
  /** The weight buffer's storage it was derived from. */
  storage: unknown;
  /** That storage's in-place version at the time. */
  version: number;
  /** The int8 weight, row-major [outChannels, perChannel]. */
  values: Int8Array;
  /** Σ of each output channel's int8 weights (for the zero-point correction). */
  rowSums: Int32Array;
}

/** Base of the quantized layers: buffers, activation parameters and dequantization. */
export abstract class QuantizedLayer extends Module {
  /** 'dynamic' or 'static' (see `QuantMode`). */
  readonly mode: QuantMode;
  /** Output channels (rows of the weight). */
  readonly outChannels: number;
  #packed: PackedWeight | null = null;

  /**
   * Quantizes `weight` (first dim: output channels) per channel and keeps `bias` as float32; in
   * static mode, `inputRange` fixes the activation parameters.
   */
  protected constructor(op: string, weight: Tensor, bias: Tensor | null, mode: QuantMode, inputRange: ActivationRange | undefined) {
    super();
    this.mode = mode;
    this.outChannels = weight.shape[0];
    const q = quantizePerChannel(weight.data(), this.outChannels);
    this.registerBuffer('weight', markInt8(fromStorage(Int32Array.from(q.values), weight.shape, 'int32')));
    this.registerBuffer('weight_scale', fromStorage(q.scales, [this.outChannels]));
    this.registerBuffer('bias', bias === null ? null : fromStorage(Float32Array.from(bias.data()), [this.outChannels]));
    if (mode === 'static') {
      if (inputRange === undefined) throw new TypeError(`${op}: static mode needs the input range found by calibration`);
      const p = activationParams(inputRange.min, inputRange.max, op);
      this.registerBuffer('input_scale', fromStorage(Float32Array.of(p.scale), []));
      this.registerBuffer('input_zero_point', markInt8(fromStorage(Int32Array.of(p.zeroPoint), [], 'int32')));
    }
    this.training = false;
  }

  /** The int8 weight values and their row sums (recomputed only after the weight buffer changed, e.g. by loadStateDict). */
  protected packedWeight(): PackedWeight {
    const w = this.getBuffer('weight') as Tensor;
    const cached = this.#packed;
    if (cached !== null && cached.storage === w.storage && cached.version === w.version.value) return cached;
    const data = w.data();
    const values = Int8Array.from(data);
    const per = values.length / this.outChannels;
    const rowSums = new Int32Array(this.outChannels);
    for (let o = 0; o < this.outChannels; o++) {
      let s = 0;
      for (let p = 0; p < per; p++) s += values[o * per + p];
      rowSums[o] = s;
    }
    return (this.#packed = { storage: w.storage, version: w.version.value, values, rowSums });
  }

  /** The input's float elements (row-major), after checking its dtype. */
  protected inputData(op: string, x: Tensor): FloatArray {
    if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError(`${op}: expected a float32 or float64 input, got ${x.dtype}`);
    return x.data() as FloatArray;
  }

  /** The input quantized: per tensor from its own range (dynamic) or with the calibrated parameters (static). */
  protected quantizeInput(x: FloatArray): { q: Int8Array; params: ActivationParams } {
    let params: ActivationParams;
    if (this.mode === 'static') {
      params = { scale: (this.getBuffer('input_scale') as Tensor).item(), zeroPoint: (this.getBuffer('input_zero_point') as Tensor).item() };
    } else {
      const { min, max } = rangeOf(x);
      params = activationParams(min, max, this.constructor.name);
    }
    return { q: quantizeActivations(x, params), params };
  }

  /**
   * Per output channel o in `first` … `first + count − 1` (index o − first), the terms of
   * y = multiplier·(acc − offset) + bias: multiplier = s_x·s_o, offset = z_x·rowSum[o].
   */
  protected channelTerms(params: ActivationParams, first: number, count: number): { multiplier: Float64Array; offset: Float64Array; bias: Float64Array } {
    const { rowSums } = this.packedWeight();
    const scales = (this.getBuffer('weight_scale') as Tensor).data();
    const biasTensor = this.getBuffer('bias');
    const bias = biasTensor === null ? null : biasTensor.data();
    const terms = { multiplier: new Float64Array(count), offset: new Float64Array(count), bias: new Float64Array(count) };
    for (let j = 0; j < count; j++) {
      terms.multiplier[j] = params.scale * scales[first + j];
      terms.offset[j] = params.zeroPoint * rowSums[first + j];
      terms.bias[j] = bias === null ? 0 : bias[first + j];
    }
    return terms;
  }
}
