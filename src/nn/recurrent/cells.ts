/**
 * The single-step cells: nn.RNNCell, nn.LSTMCell, nn.GRUCell. PyTorch's names (weight_ih,
 * weight_hh, bias_ih, bias_hh — no layer suffix), shapes [gates·H, in] and [gates·H, H], and init
 * U(−1/√H, 1/√H). Input [N, in] or unbatched [in]; a missing state is zeros. Each step runs the
 * same fused op as the full layers, over a sequence of length 1.
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { GRUSequence } from './gru-sequence.js';
import { LSTMSequence } from './lstm-sequence.js';
import { checkPositive, inputProjection, recurrentUniform } from './rnn-base.js';
import { checkNonlinearity } from './rnn.js';
import { RNNSequence, type RNNNonlinearity } from './rnn-sequence.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of every cell. */
export interface CellOptions {
  /** Learn b_ih and b_hh [true]. */
  bias?: boolean;
}

abstract class RecurrentCell extends Module {
  /** Features of the input x. */
  readonly inputSize: number;
  /** H, features of the hidden state. */
  readonly hiddenSize: number;
  /** W_ih [gates·H, inputSize] (gates: 1 RNN, 4 LSTM i|f|g|o, 3 GRU r|z|n). */
  weight_ih: Parameter;
  /** W_hh [gates·H, H]. */
  weight_hh: Parameter;
  /** b_ih [gates·H], or null without bias. */
  bias_ih: Parameter | null;
  /** b_hh [gates·H], or null without bias. */
  bias_hh: Parameter | null;

  constructor(gates: number, inputSize: number, hiddenSize: number, opts: CellOptions) {
    super();
    const op = new.target.name;
    checkPositive(op, { inputSize, hiddenSize });
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.weight_ih = recurrentUniform([gates * hiddenSize, inputSize], hiddenSize);
    this.weight_hh = recurrentUniform([gates * hiddenSize, hiddenSize], hiddenSize);
    const bias = opts.bias ?? true;
    this.bias_ih = bias ? recurrentUniform([gates * hiddenSize], hiddenSize) : null;
    this.bias_hh = bias ? recurrentUniform([gates * hiddenSize], hiddenSize) : null;
  }

  /**
   * Checks x and the states; returns x as a length-1 sequence [1, N, in], the states as [N, H]
   * (zeros where missing) and whether the input was batched.
   */
  protected prepare(x: Tensor, states: readonly (Tensor | undefined)[]): { seq: Tensor; init: Tensor[]; batched: boolean } {
    const op = this.constructor.name;
    if (x.ndim !== 1 && x.ndim !== 2) throw new ShapeError(`${op}: expected input to be 1-d or 2-d, got ${x.ndim}-d ${fmtShape(x.shape)}`);
    if (x.dtype !== this.weight_ih.dtype) throw new DTypeError(`${op}: input dtype ${x.dtype} does not match the parameters' dtype ${this.weight_ih.dtype}`);
    if (x.shape[x.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${op}: input has inconsistent input size: got ${x.shape[x.ndim - 1]}, expected ${this.inputSize} (input ${fmtShape(x.shape)})`);
    }
    const batched = x.ndim === 2;
    const x2 = batched ? x : x.unsqueeze(0);
    const N = x2.shape[0];
    const expected = batched ? [N, this.hiddenSize] : [this.hiddenSize];
    const init = states.map((s, i) => {
      if (s === undefined) return zeros([N, this.hiddenSize], { dtype: x.dtype });
      if (s.ndim !== expected.length || s.shape.some((v, d) => v !== expected[d])) {
        throw new ShapeError(`${op}: expected state ${i} of shape ${fmtShape(expected)}, got ${fmtShape(s.shape)} (input ${fmtShape(x.shape)})`);
      }
      if (s.dtype !== x.dtype) throw new DTypeError(`${op}: state ${i} dtype ${s.dtype} does not match the input's ${x.dtype}`);
      return batched ? s : s.unsqueeze(0);
    });
    return { seq: x2.unsqueeze(0), init, batched };
  }

  /** b_ih + b_hh (null without bias), for the cells whose biases only appear summed. */
  protected summedBias(): Tensor | null {
    return this.bias_ih && this.bias_hh ? this.bias_ih.add(this.bias_hh) : null;
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih ? '' : ', bias=false'}`;
  }
}

/** Options of `RNNCell`: bias and the nonlinearity ['tanh']. */
export interface RNNCellOptions extends CellOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

/** h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act tanh or relu. forward(x, h?) → h'. */
export class RNNCell extends RecurrentCell {
  /** 'tanh' or 'relu'. */
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    checkOptions('RNNCell', opts, optionKeys<RNNCellOptions>({ bias: true, nonlinearity: true }));
    const nonlinearity = checkNonlinearity('RNNCell', opts.nonlinearity ?? 'tanh');
    super(1, inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  /** x [N, inputSize] (or [inputSize]) and h [N, H] (zeros when omitted) → h' [N, H]. */
  override forward(x: Tensor, h?: Tensor): Tensor {
    const { seq, init, batched } = this.prepare(x, [h]);
    const y = RNNSequence.apply(inputProjection(seq, this.weight_ih, this.summedBias()), this.weight_hh, init[0], this.nonlinearity, false).squeeze(0);
    return batched ? y : y.squeeze(0);
  }
}

/** One LSTM step (gates i, f, g, o). forward(x, [h, c]?) → [h', c']. */
export class LSTMCell extends RecurrentCell {
  constructor(inputSize: number, hiddenSize: number, opts: CellOptions = {}) {
    checkOptions('LSTMCell', opts, optionKeys<CellOptions>({ bias: true }));
    super(4, inputSize, hiddenSize, opts);
  }

  /** x [N, inputSize] (or [inputSize]) and [h, c], each [N, H] (zeros when omitted) → [h', c']. */
  override forward(x: Tensor, state?: readonly [Tensor, Tensor]): [Tensor, Tensor] {
    const { seq, init, batched } = this.prepare(x, state ? [state[0], state[1]] : [undefined, undefined]);
    const y = LSTMSequence.apply(inputProjection(seq, this.weight_ih, this.summedBias()), this.weight_hh, init[0], init[1], false).squeeze(0);
    const h = y.narrow(0, 0, 1).squeeze(0);
    const c = y.narrow(0, 1, 1).squeeze(0);
    return batched ? [h, c] : [h.squeeze(0), c.squeeze(0)];
  }
}

/** One GRU step (gates r, z, n; r applied after W_hn h + b_hn). forward(x, h?) → h'. */
export class GRUCell extends RecurrentCell {
  constructor(inputSize: number, hiddenSize: number, opts: CellOptions = {}) {
    checkOptions('GRUCell', opts, optionKeys<CellOptions>({ bias: true }));
    super(3, inputSize, hiddenSize, opts);
  }

  /** x [N, inputSize] (or [inputSize]) and h [N, H] (zeros when omitted) → h' [N, H]. */
  override forward(x: Tensor, h?: Tensor): Tensor {
    const { seq, init, batched } = this.prepare(x, [h]);
    const bhh = this.bias_hh ?? zeros([3 * this.hiddenSize], { dtype: this.weight_hh.dtype });
    const y = GRUSequence.apply(inputProjection(seq, this.weight_ih, this.bias_ih), this.weight_hh, bhh, init[0], false).squeeze(0);
    return batched ? y : y.squeeze(0);
  }
}
