/**
 * MultiheadAttention with int8 projections: the packed input projection (q, k and v, [3E, E]) and
 * the output projection become `QuantizedLinear`s; the attention itself (scores, softmax, the
 * weighted sum of values) stays float. Self-attention runs one int8 product for q, k and v
 * together; cross-attention one per input, each with its rows of the packed weight.
 */
import { ShapeError } from '../errors.js';
import { MultiheadAttention } from '../nn/attention.js';
import { checkOptions } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ActivationRange, QuantMode } from './quantized-layer.js';
import { QuantizedLinear } from './quantized-linear.js';

/**
 * An int8 MultiheadAttention (what `quant.quantize` puts in place of `nn.MultiheadAttention`
 * with packed projections). State dict: `in_proj.weight` (int8 [3E, E]), `in_proj.weight_scale`,
 * `in_proj.bias`, the same under `out_proj.`, and `bias_k`/`bias_v` when present.
 *
 * @example const q = new quant.QuantizedMultiheadAttention(new nn.MultiheadAttention(8, 2)); q.forward(x, x, x)
 */
export class QuantizedMultiheadAttention extends MultiheadAttention {
  /** The packed q, k, v projection [3E, E] in int8. */
  in_proj: QuantizedLinear;

  /**
   * The int8 counterpart of `mha` (which must have the packed in_proj_weight: kdim = vdim =
   * embedDim). `ranges` (static mode) are the input ranges of the input and output projections.
   */
  constructor(mha: MultiheadAttention, mode: QuantMode = 'dynamic', ranges: { inProj?: ActivationRange; outProj?: ActivationRange } = {}) {
    checkOptions('QuantizedMultiheadAttention', ranges, ['inProj', 'outProj']);
    if (mha.in_proj_weight === null) throw new ShapeError('QuantizedMultiheadAttention: only packed projections (kdim = vdim = embedDim) are supported');
    super(mha.embedDim, mha.numHeads, { dropout: mha.dropout, bias: mha.in_proj_bias !== null, batchFirst: mha.batchFirst, addBiasKv: mha.bias_k !== null, addZeroAttn: mha.addZeroAttn });
    this.in_proj = new QuantizedLinear(mha.in_proj_weight, mha.in_proj_bias, mode, ranges.inProj);
    this.in_proj_weight = null;
    this.in_proj_bias = null;
    this.bias_k = mha.bias_k;
    this.bias_v = mha.bias_v;
    const outProj = mha.out_proj instanceof QuantizedLinear ? mha.out_proj : QuantizedLinear.fromFloat(mha.out_proj, mode, ranges.outProj);
    // The field is typed as the float Linear; its forward is all MultiheadAttention calls.
    Reflect.set(this, 'out_proj', outProj);
    this.training = false;
  }

  /** q, k, v projected by the int8 in_proj: one product for self-attention, else one per input. */
  protected override project(q: Tensor, k: Tensor, v: Tensor, same: boolean): [Tensor, Tensor, Tensor] {
    const E = this.embedDim;
    if (same) {
      const [pq, pk, pv] = this.in_proj.forward(q).chunk(3, -1);
      return [pq, pk, pv];
    }
    return [this.in_proj.forwardChannels(q, 0, E), this.in_proj.forwardChannels(k, E, E), this.in_proj.forwardChannels(v, 2 * E, E)];
  }
}
