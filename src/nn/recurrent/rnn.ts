/**
 * nn.RNN: a multi-layer Elman RNN, h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) with act
 * tanh (default) or relu; PyTorch's parameters and layouts.
 *
 *   forward(x, h0?) → [output, hN]
 */
import { ShapeError } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { RNNBase, inputProjection, type RecurrentOptions } from './rnn-base.js';
import { RNNSequence, type RNNNonlinearity } from './rnn-sequence.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of `RNN`: the shared ones plus the nonlinearity ['tanh']. */
export interface RNNOptions extends RecurrentOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

/** Throws unless `v` is 'tanh' or 'relu'. */
export function checkNonlinearity(op: string, v: string): RNNNonlinearity {
  if (v !== 'tanh' && v !== 'relu') throw new ShapeError(`${op}: unknown nonlinearity '${v}' (expected 'tanh' or 'relu')`);
  return v;
}

/** Elman RNN over a sequence: h_t = tanh|relu(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh), PyTorch layout. */
export class RNN extends RNNBase {
  /** 'tanh' or 'relu'. */
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    checkOptions('RNN', opts, optionKeys<RNNOptions>({ numLayers: true, bias: true, batchFirst: true, dropout: true, bidirectional: true, nonlinearity: true }));
    const nonlinearity = checkNonlinearity('RNN', opts.nonlinearity ?? 'tanh');
    super(1, inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  /** x [L, N, H_in] (or batch-first, or unbatched); h0 [layers·D, N, H], zeros when omitted. */
  override forward(x: Tensor, h0?: Tensor): [Tensor, Tensor] {
    const { output, finals } = this.runLayers(x, [h0]);
    return [output, finals[0]];
  }

  protected override runDirection(layer: number, dir: number, x: Tensor, init: Tensor[]): { out: Tensor; finals: Tensor[] } {
    const { wih, whh, bih, bhh } = this.directionWeights(layer, dir);
    const xp = inputProjection(x, wih, bih && bhh ? bih.add(bhh) : null);
    const y = RNNSequence.apply(xp, whh, init[0], this.nonlinearity, dir === 1);
    return { out: y, finals: [y.narrow(0, dir === 1 ? 0 : y.shape[0] - 1, 1).squeeze(0)] };
  }

  override extraRepr(): string {
    return this.nonlinearity === 'tanh' ? super.extraRepr() : `${super.extraRepr()}, nonlinearity='relu'`;
  }
}
