/**
 * nn.LSTM: a multi-layer long short-term memory network, PyTorch's parameters, layouts and
 * equations (gate blocks i, f, g, o; see lstm-sequence.ts).
 *
 *   forward(x, [h0, c0]?) → [output, [hN, cN]]
 */
import type { Tensor } from '../../tensor/tensor.js';
import { LSTMSequence } from './lstm-sequence.js';
import { RNNBase, inputProjection, type RecurrentOptions } from './rnn-base.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Long short-term memory over a sequence (gates i, f, g, o as PyTorch), multi-layer and bidirectional. */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    checkOptions('LSTM', opts, optionKeys<RecurrentOptions>({ numLayers: true, bias: true, batchFirst: true, dropout: true, bidirectional: true }));
    super(4, inputSize, hiddenSize, opts);
  }

  /** x [L, N, H_in] (or batch-first, or unbatched); states [layers·D, N, H], zeros when omitted. */
  override forward(x: Tensor, state?: readonly [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const { output, finals } = this.runLayers(x, state ? [state[0], state[1]] : [undefined, undefined]);
    return [output, [finals[0], finals[1]]];
  }

  protected override runDirection(layer: number, dir: number, x: Tensor, init: Tensor[]): { out: Tensor; finals: Tensor[] } {
    const { wih, whh, bih, bhh } = this.directionWeights(layer, dir);
    // b_ih and b_hh only ever appear summed in the LSTM, so they join the one big product.
    const xp = inputProjection(x, wih, bih && bhh ? bih.add(bhh) : null);
    const y = LSTMSequence.apply(xp, whh, init[0], init[1], dir === 1);
    const last = y.narrow(0, dir === 1 ? 0 : y.shape[0] - 1, 1).squeeze(0);
    return { out: y.narrow(1, 0, 1).squeeze(1), finals: [last.narrow(0, 0, 1).squeeze(0), last.narrow(0, 1, 1).squeeze(0)] };
  }
}
