/**
 * nn.LSTM: a multi-layer long short-term memory network, PyTorch's parameters, layouts and
 * equations (gate blocks i, f, g, o; see lstm-sequence.ts).
 *
 *   forward(x, [h0, c0]?) → [output, [hN, cN]]
 *
 * With `projSize` P > 0 (PyTorch's proj_size), each step's hidden state is projected to P
 * features, h_t = W_hr·(o ⊙ tanh(c_t)), and that projected h feeds the recurrence, the output and
 * the next layer: weight_hh_l{k} is [4H, P], weight_hr_l{k} [P, H], output [L, N, D·P],
 * h [layers·D, N, P], while c keeps H features.
 */
import { ShapeError } from '../../errors.js';
import { checkOptions, optionKeys } from '../../options.js';
import type { Tensor } from '../../tensor/tensor.js';
import { LSTMSequence } from './lstm-sequence.js';
import { LSTMProjectedSequence } from './lstm-projected.js';
import { RNNBase, inputProjection, type RecurrentOptions } from './rnn-base.js';

/** Options of `LSTM`: the shared recurrent options and PyTorch's `proj_size`. */
export interface LSTMOptions extends RecurrentOptions {
  /** Project h to this many features (0 < projSize < hiddenSize); 0 = no projection [0]. */
  projSize?: number;
}

/** The checked projSize (after checking every option name). */
function checkedProjSize(hiddenSize: number, opts: LSTMOptions): number {
  checkOptions('LSTM', opts, optionKeys<LSTMOptions>({ numLayers: true, bias: true, batchFirst: true, dropout: true, bidirectional: true, projSize: true }));
  const p = opts?.projSize ?? 0;
  if (!Number.isInteger(p) || p < 0) throw new ShapeError(`LSTM: projSize should be a positive integer or zero to disable projections, got ${p}`);
  if (p >= hiddenSize) throw new ShapeError(`LSTM: projSize has to be smaller than hiddenSize, got projSize ${p} and hiddenSize ${hiddenSize}`);
  return p;
}

/** The options RNN, LSTM and GRU share: `opts` without projSize. */
function sharedOptions(opts: LSTMOptions | null | undefined): RecurrentOptions {
  if (typeof opts !== 'object' || opts === null) return {};
  const { projSize: _projSize, ...rest } = opts;
  return rest;
}

/**
 * Long short-term memory over a sequence (gates i, f, g, o as PyTorch), multi-layer, bidirectional,
 * with an optional projection of h.
 *
 * @example const lstm = new nn.LSTM(10, 20, { numLayers: 2, projSize: 5 }); const [out, [h, c]] = lstm.forward(x);
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    // The shared base sees only the options it knows (the base may check them too).
    super(4, inputSize, hiddenSize, sharedOptions(opts), checkedProjSize(hiddenSize, opts));
  }

  /**
   * x [L, N, H_in] (or batch-first, or unbatched); h0 [layers·D, N, P or H], c0 [layers·D, N, H],
   * zeros when omitted → [output [L, N, D·(P or H)], [hN, cN]].
   */
  override forward(x: Tensor, state?: readonly [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const { output, finals } = this.runLayers(x, state ? [state[0], state[1]] : [undefined, undefined]);
    return [output, [finals[0], finals[1]]];
  }

  protected override runDirection(layer: number, dir: number, x: Tensor, init: Tensor[]): { out: Tensor; finals: Tensor[] } {
    const { wih, whh, bih, bhh, whr } = this.directionWeights(layer, dir);
    // b_ih and b_hh only ever appear summed in the LSTM, so they join the one big product.
    const xp = inputProjection(x, wih, bih && bhh ? bih.add(bhh) : null);
    if (whr) {
      const P = whr.shape[0];
      const y = LSTMProjectedSequence.apply(xp, whh, whr, init[0], init[1], dir === 1); // [L, N, P + H]
      const last = y.narrow(0, dir === 1 ? 0 : y.shape[0] - 1, 1).squeeze(0);
      return { out: y.narrow(2, 0, P), finals: [last.narrow(1, 0, P), last.narrow(1, P, this.hiddenSize)] };
    }
    const y = LSTMSequence.apply(xp, whh, init[0], init[1], dir === 1);
    const last = y.narrow(0, dir === 1 ? 0 : y.shape[0] - 1, 1).squeeze(0);
    return { out: y.narrow(1, 0, 1).squeeze(1), finals: [last.narrow(0, 0, 1).squeeze(0), last.narrow(0, 1, 1).squeeze(0)] };
  }
}
