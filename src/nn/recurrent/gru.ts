/**
 * nn.GRU: a multi-layer gated recurrent unit network, PyTorch's parameters, layouts and
 * equations (gate blocks r, z, n; r applied after the product W_hn h + b_hn; see gru-sequence.ts).
 *
 *   forward(x, h0?) → [output, hN]
 */
import { zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { GRUSequence } from './gru-sequence.js';
import { RNNBase, inputProjection, type RecurrentOptions } from './rnn-base.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Gated recurrent unit over a sequence (gates r, z, n with PyTorch's n-gate equation). */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    checkOptions('GRU', opts, optionKeys<RecurrentOptions>({ numLayers: true, bias: true, batchFirst: true, dropout: true, bidirectional: true }));
    super(3, inputSize, hiddenSize, opts);
  }

  /** x [L, N, H_in] (or batch-first, or unbatched); h0 [layers·D, N, H], zeros when omitted. */
  override forward(x: Tensor, h0?: Tensor): [Tensor, Tensor] {
    const { output, finals } = this.runLayers(x, [h0]);
    return [output, finals[0]];
  }

  protected override runDirection(layer: number, dir: number, x: Tensor, init: Tensor[]): { out: Tensor; finals: Tensor[] } {
    const { wih, whh, bih, bhh } = this.directionWeights(layer, dir);
    // b_hh stays apart: its n block is multiplied by r, so it cannot join the input projection.
    const y = GRUSequence.apply(inputProjection(x, wih, bih), whh, bhh ?? zeros([whh.shape[0]], { dtype: whh.dtype }), init[0], dir === 1);
    return { out: y, finals: [y.narrow(0, dir === 1 ? 0 : y.shape[0] - 1, 1).squeeze(0)] };
  }
}
