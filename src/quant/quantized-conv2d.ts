/**
 * Conv2d with an int8 weight. The input is quantized per tensor, unfolded into int8 patch rows
 * (im2col: one row of C/groups·kH·kW values per output position, out-of-bounds taps holding the
 * zero point, i.e. real 0), and each group's rows meet its filters in one int8 product; the int32
 * sums are scaled back to float (quantized-layer.ts). For inference only; zero padding only.
 */
import { ShapeError, fmtShape } from '../errors.js';
import type { Conv2d } from '../nn/conv.js';
import { convOutputSize, resolvePadding } from '../nn/functional/conv-args.js';
import { checkOptions, optionKeys } from '../options.js';
import { fromStorage, type Tensor } from '../tensor/tensor.js';
import { int8Product } from './int8-product.js';
import { QuantizedLayer, type ActivationRange, type QuantMode } from './quantized-layer.js';

/** Bytes of int8 patch rows per chunk of images. */
const CHUNK_BYTES = 1 << 18;

/** The geometry of a convolution (as Conv2d holds it). */
export interface QuantizedConv2dGeometry {
  /** Step between output positions [sH, sW]. */
  stride: readonly [number, number];
  /** Zero padding per side, or 'same'/'valid'. */
  padding: 'same' | 'valid' | readonly [number, number];
  /** Spacing between kernel taps [dH, dW]. */
  dilation: readonly [number, number];
  /** Channel groups. */
  groups: number;
}

/**
 * An int8 Conv2d (what `quant.quantize` puts in place of `nn.Conv2d` with zero padding). State
 * dict: `weight` (int8 [out, in/groups, kH, kW], saved as I8), `weight_scale` (float32 [out]),
 * `bias` and, in static mode, `input_scale` and `input_zero_point`.
 *
 * @example const q = quant.QuantizedConv2d.fromFloat(new nn.Conv2d(1, 4, 3)); q.forward(randn([2, 1, 8, 8]))
 */
export class QuantizedConv2d extends QuantizedLayer {
  /** Channels of the input. */
  readonly inChannels: number;
  /** The kernel's spatial size. */
  readonly kernelSize: readonly [number, number];
  /** Stride, padding, dilation and groups. */
  readonly geometry: QuantizedConv2dGeometry;

  /** Quantizes `weight` [out, in/groups, kH, kW] per output channel; `bias` stays float32. */
  constructor(weight: Tensor, bias: Tensor | null, geometry: QuantizedConv2dGeometry, mode: QuantMode = 'dynamic', inputRange?: ActivationRange) {
    checkOptions('QuantizedConv2d', geometry, optionKeys<QuantizedConv2dGeometry>({ stride: true, padding: true, dilation: true, groups: true }));
    if (weight.ndim !== 4) throw new ShapeError(`QuantizedConv2d: expected a 4-d weight [out, in/groups, kH, kW], got ${fmtShape(weight.shape)}`);
    if (!Number.isInteger(geometry.groups) || geometry.groups < 1 || weight.shape[0] % geometry.groups !== 0) {
      throw new ShapeError(`QuantizedConv2d: groups=${geometry.groups} must be a positive divisor of the ${weight.shape[0]} output channels`);
    }
    if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) {
      throw new ShapeError(`QuantizedConv2d: bias ${fmtShape(bias.shape)} does not match weight ${fmtShape(weight.shape)}`);
    }
    super('QuantizedConv2d', weight, bias, mode, inputRange);
    this.inChannels = weight.shape[1] * geometry.groups;
    this.kernelSize = [weight.shape[2], weight.shape[3]];
    this.geometry = { stride: [...geometry.stride], padding: typeof geometry.padding === 'string' ? geometry.padding : [...geometry.padding], dilation: [...geometry.dilation], groups: geometry.groups };
  }

  /** The int8 counterpart of `conv` (zero padding only: other padding modes throw). */
  static fromFloat(conv: Conv2d, mode: QuantMode = 'dynamic', inputRange?: ActivationRange): QuantizedConv2d {
    if (conv.paddingMode !== 'zeros') throw new ShapeError(`QuantizedConv2d: only paddingMode 'zeros' is supported, got '${conv.paddingMode}'`);
    return new QuantizedConv2d(conv.weight, conv.bias, { stride: conv.stride, padding: conv.padding, dilation: conv.dilation, groups: conv.groups }, mode, inputRange);
  }

  /** x (N, inChannels, H, W) or (inChannels, H, W) → (N, outChannels, H', W'). */
  override forward(x: Tensor): Tensor {
    const op = 'QuantizedConv2d';
    const batched = x.ndim === 4;
    if ((x.ndim !== 3 && x.ndim !== 4) || x.shape[x.ndim - 3] !== this.inChannels) {
      throw new ShapeError(`${op}: expected input (N, ${this.inChannels}, H, W) or (${this.inChannels}, H, W), got ${fmtShape(x.shape)}`);
    }
    const [N, C, H, W] = batched ? x.shape : [1, ...x.shape];
    const [kH, kW] = this.kernelSize;
    const { stride, dilation, groups } = this.geometry;
    const pad = resolvePadding(op, this.geometry.padding, this.kernelSize, dilation, stride);
    const outH = convOutputSize(H, kH, stride[0], pad.before[0], pad.after[0], dilation[0]);
    const outW = convOutputSize(W, kW, stride[1], pad.before[1], pad.after[1], dilation[1]);
    if (outH < 1 || outW < 1) throw new ShapeError(`${op}: input ${fmtShape(x.shape)} is smaller than the kernel ${fmtShape(this.kernelSize)} (dilated, padded)`);
    const { q, params } = this.quantizeInput(this.inputData(op, x));
    const O = this.outChannels;
    const Cg = C / groups;
    const Og = O / groups;
    const k = Cg * kH * kW;
    const positions = outH * outW;
    // Images go through in chunks whose patch rows fill about 256 KiB, so they stay in cache
    // between im2col and the product.
    const chunk = Math.max(1, Math.min(N, Math.floor(CHUNK_BYTES / Math.max(1, positions * k))));
    const cols = new Int8Array(chunk * positions * k);
    const acc = new Int32Array(chunk * positions * Og);
    const out = x.dtype === 'float64' ? new Float64Array(N * O * positions) : new Float32Array(N * O * positions);
    const weights = this.packedWeight().values;
    const zp = params.zeroPoint;
    const [sH, sW] = stride;
    const [dH, dW] = dilation;
    const [pT, pL] = [pad.before[0], pad.before[1]];
    for (let g = 0; g < groups; g++) {
      const groupWeights = weights.subarray(g * Og * k, (g + 1) * Og * k);
      const { multiplier, offset, bias } = this.channelTerms(params, g * Og, Og);
      for (let n0 = 0; n0 < N; n0 += chunk) {
        const images = Math.min(chunk, N - n0);
        // im2col: row (n, oy, ox) holds x[n, g·Cg + c, oy·sH − pT + ky·dH, ox·sW − pL + kx·dW] over
        // columns (c, ky, kx); taps outside x hold the zero point (real 0). One column at a time,
        // along whole output rows: the reads are a strided run of x, the range of ox that lands
        // inside x is worked out once per (column, output row), and no tap is tested.
        for (let n = n0; n < n0 + images; n++) {
          for (let c = 0; c < Cg; c++) {
            const plane = (n * C + g * Cg + c) * H;
            for (let ky = 0; ky < kH; ky++) {
              for (let kx = 0; kx < kW; kx++) {
                const column = (c * kH + ky) * kW + kx;
                const shift = kx * dW - pL;
                // ox·sW + shift ∈ [0, W) for ox ∈ [oxLo, oxHi).
                const oxLo = Math.min(outW, Math.max(0, Math.ceil(-shift / sW)));
                const oxHi = Math.max(oxLo, Math.min(outW, Math.floor((W - 1 - shift) / sW) + 1));
                for (let oy = 0; oy < outH; oy++) {
                  let d = (((n - n0) * outH + oy) * outW) * k + column;
                  const iy = oy * sH - pT + ky * dH;
                  if (iy < 0 || iy >= H) {
                    for (let ox = 0; ox < outW; ox++, d += k) cols[d] = zp;
                    continue;
                  }
                  const line = (plane + iy) * W + shift;
                  let ox = 0;
                  for (; ox < oxLo; ox++, d += k) cols[d] = zp;
                  for (let src = line + oxLo * sW; ox < oxHi; ox++, d += k, src += sW) cols[d] = q[src];
                  for (; ox < outW; ox++, d += k) cols[d] = zp;
                }
              }
            }
          }
        }
        const rows = images * positions;
        int8Product(cols.subarray(0, rows * k), groupWeights, acc.subarray(0, rows * Og), { m: rows, n: Og, k });
        // Row (n − n0)·positions + p of the sums is output position p of image n: out[n, g·Og + j, p].
        for (let n = n0; n < n0 + images; n++) {
          for (let j = 0; j < Og; j++) {
            const to = (n * O + g * Og + j) * positions;
            const [mj, oj, bj] = [multiplier[j], offset[j], bias[j]];
            for (let p = 0, from = (n - n0) * positions * Og + j; p < positions; p++, from += Og) out[to + p] = mj * (acc[from] - oj) + bj;
          }
        }
      }
    }
    return fromStorage(out, batched ? [N, O, outH, outW] : [O, outH, outW], x.dtype);
  }

  override extraRepr(): string {
    const { stride, padding, dilation, groups } = this.geometry;
    const pad = typeof padding === 'string' ? `'${padding}'` : `(${padding.join(', ')})`;
    return `${this.inChannels}, ${this.outChannels}, kernelSize=(${this.kernelSize.join(', ')}), stride=(${stride.join(', ')}), padding=${pad}, dilation=(${dilation.join(', ')}), groups=${groups}, mode='${this.mode}'`;
  }
}
