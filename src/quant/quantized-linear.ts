/**
 * Linear with an int8 weight: y = x·Wᵀ + b, where x is quantized to int8 per tensor, W per output
 * channel, the product runs in int8 with int32 sums (the backend's `matmulInt8`), and the sums
 * are scaled back to float (quantized-layer.ts has the formula). For inference only.
 */
import { ShapeError, fmtShape } from '../errors.js';
import type { Linear } from '../nn/linear.js';
import { fromStorage, type Tensor } from '../tensor/tensor.js';
import { int8Product } from './int8-product.js';
import { QuantizedLayer, type ActivationRange, type QuantMode } from './quantized-layer.js';

/**
 * An int8 Linear (what `quant.quantize` puts in place of `nn.Linear`). State dict: `weight`
 * (int8 [out, in], saved as I8), `weight_scale` (float32 [out]), `bias` (float32 [out]) and, in
 * static mode, `input_scale` and `input_zero_point`.
 *
 * @example const q = quant.QuantizedLinear.fromFloat(new nn.Linear(4, 2)); q.forward(randn([3, 4]))
 */
export class QuantizedLinear extends QuantizedLayer {
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;

  /** Quantizes `weight` [out, in] per output channel; `bias` [out] stays float32. */
  constructor(weight: Tensor, bias: Tensor | null, mode: QuantMode = 'dynamic', inputRange?: ActivationRange) {
    if (weight.ndim !== 2) throw new ShapeError(`QuantizedLinear: expected a 2-d weight [out, in], got ${fmtShape(weight.shape)}`);
    if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) {
      throw new ShapeError(`QuantizedLinear: bias ${fmtShape(bias.shape)} does not match weight ${fmtShape(weight.shape)}`);
    }
    super('QuantizedLinear', weight, bias, mode, inputRange);
    this.outFeatures = weight.shape[0];
    this.inFeatures = weight.shape[1];
  }

  /** The int8 counterpart of `linear` (its weight and bias, quantized). */
  static fromFloat(linear: Linear, mode: QuantMode = 'dynamic', inputRange?: ActivationRange): QuantizedLinear {
    return new QuantizedLinear(linear.weight, linear.bias, mode, inputRange);
  }

  /** x (*, inFeatures) → (*, outFeatures). */
  override forward(x: Tensor): Tensor {
    return this.forwardChannels(x, 0, this.outFeatures);
  }

  /**
   * The outputs `first` … `first + count − 1` only: x (*, inFeatures) → (*, count), one product
   * with those rows of the weight (a packed projection's q, k or v part).
   */
  forwardChannels(x: Tensor, first: number, count: number): Tensor {
    const op = 'QuantizedLinear';
    const k = this.inFeatures;
    if (x.ndim < 1 || x.shape[x.ndim - 1] !== k) throw new ShapeError(`${op}: expected input (*, ${k}), got ${fmtShape(x.shape)}`);
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0 || first + count > this.outFeatures) {
      throw new ShapeError(`${op}: outputs ${first} … ${first + count - 1} are outside the ${this.outFeatures} outputs`);
    }
    const data = this.inputData(op, x);
    const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const { q, params } = this.quantizeInput(data);
    const acc = new Int32Array(rows * count);
    int8Product(q, this.packedWeight().values.subarray(first * k, (first + count) * k), acc, { m: rows, n: count, k });
    const out = x.dtype === 'float64' ? new Float64Array(rows * count) : new Float32Array(rows * count);
    const { multiplier, offset, bias } = this.channelTerms(params, first, count);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < count; j++) out[r * count + j] = multiplier[j] * (acc[r * count + j] - offset[j]) + bias[j];
    }
    return fromStorage(out, [...x.shape.slice(0, -1), count], x.dtype);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.getBuffer('bias') !== null}, mode='${this.mode}'`;
  }
}
