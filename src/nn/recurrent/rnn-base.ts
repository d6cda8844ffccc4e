/**
 * The part RNN, LSTM and GRU share: PyTorch's parameters (weight_ih_l{k}[_reverse],
 * weight_hh_l{k}[_reverse], bias_ih_l{k}[_reverse], bias_hh_l{k}[_reverse], registered in that
 * order per layer and direction, all initialised U(−1/√H, 1/√H)), input and state checking,
 * unbatched and batch-first layouts, the stack of layers with dropout between them, and both
 * directions. A subclass runs one direction of one layer (`runDirection`).
 *
 * Layouts (PyTorch's): input [L, N, H_in] ([N, L, H_in] with batchFirst, [L, H_in] unbatched);
 * output [L, N, D·H] (forward and reverse halves concatenated); every state [layers·D, N, H]
 * — even with batchFirst — or [layers·D, H] unbatched. With the LSTM's projSize P, h and the
 * outputs have P features instead of H (output [L, N, D·P], h [layers·D, N, P]; c keeps H).
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { cat, stack } from '../../autograd/functions/shape.js';
import { rand, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropout as dropoutFn, checkDropoutP } from '../functional/dropout.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** Options shared by LSTM and GRU (PyTorch's defaults in brackets). */
export interface RecurrentOptions {
  /** Stacked layers [1]. */
  numLayers?: number;
  /** Learn b_ih and b_hh [true]. */
  bias?: boolean;
  /** Input and output as [N, L, features] [false]; states keep [layers·D, N, H]. */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, in training [0]. */
  dropout?: number;
  /** Also run the sequence backwards and concatenate both outputs [false]. */
  bidirectional?: boolean;
}

/** The weights of one direction of one layer. */
export interface DirectionWeights {
  /** W_ih [gates·H, input features] (PyTorch's `weight_ih_l{k}`, `…_reverse` for dir 1). */
  wih: Parameter;
  /** W_hh [gates·H, H] (`weight_hh_l{k}`). */
  whh: Parameter;
  /** b_ih [gates·H] (`bias_ih_l{k}`), or null without bias. */
  bih: Parameter | null;
  /** b_hh [gates·H] (`bias_hh_l{k}`), or null without bias. */
  bhh: Parameter | null;
  /** The LSTM's projection W_hr [P, H] (projSize > 0), else null. */
  whr: Parameter | null;
}

/** U(−1/√H, 1/√H), PyTorch's init of every recurrent weight and bias, from the library's RNG. */
export function recurrentUniform(shape: readonly number[], hiddenSize: number): Parameter {
  const k = 1 / Math.sqrt(hiddenSize);
  return new Parameter(noGrad(() => rand([...shape]).mul(2 * k).sub(k)));
}

/** Throws unless every size is a positive integer, naming `op` and the size. */
export function checkPositive(op: string, sizes: Record<string, number>): void {
  for (const [what, n] of Object.entries(sizes)) {
    if (!Number.isInteger(n) || n < 1) throw new ShapeError(`${op}: ${what} must be a positive integer, got ${n}`);
  }
}

/** The parameter stored on `m` under `name` (looked up at run time, so a replaced parameter is used). */
export function paramNamed(m: Module, name: string): Parameter {
  const p: unknown = Reflect.get(m, name);
  if (!(p instanceof Parameter)) throw new ShapeError(`${m.constructor.name}: parameter '${name}' is missing`);
  return p;
}

export abstract class RNNBase extends Module {
  /** Features of each input step. */
  readonly inputSize: number;
  /** H, features of the hidden state. */
  readonly hiddenSize: number;
  /** Stacked layers. */
  readonly numLayers: number;
  /** Whether b_ih and b_hh are learned. */
  readonly bias: boolean;
  /** Whether input and output are [N, L, features] (else [L, N, features]). */
  readonly batchFirst: boolean;
  /** Dropout on the outputs of every layer but the last, in training. */
  readonly dropout: number;
  /** Whether each layer also runs backwards (outputs concatenated: 2H features). */
  readonly bidirectional: boolean;

  /** The LSTM's projection size P (0: none); h and the outputs have P features when it is set. */
  readonly projSize: number;

  /**
   * `gates` is the number of H-row blocks of W_ih: 1 (RNN), 4 (LSTM), 3 (GRU). `projSize` > 0
   * (LSTM only) adds weight_hr_l{k} [P, H] after the biases, and W_hh and the next layer's W_ih
   * then take P (per direction) features, as PyTorch's LSTM with proj_size.
   */
  constructor(gates: number, inputSize: number, hiddenSize: number, opts: RecurrentOptions, projSize = 0) {
    super();
    const op = new.target.name;
    checkPositive(op, { inputSize, hiddenSize });
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = opts.numLayers ?? 1;
    checkPositive(op, { numLayers: this.numLayers });
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = opts.dropout ?? 0;
    checkDropoutP(op, this.dropout);
    this.bidirectional = opts.bidirectional ?? false;
    this.projSize = projSize;
    const D = this.numDirections;
    const out = this.outputSize;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const layerInput = layer === 0 ? inputSize : out * D;
      for (let dir = 0; dir < D; dir++) {
        const sfx = suffix(layer, dir);
        this.registerParameter(`weight_ih${sfx}`, recurrentUniform([gates * hiddenSize, layerInput], hiddenSize));
        this.registerParameter(`weight_hh${sfx}`, recurrentUniform([gates * hiddenSize, out], hiddenSize));
        if (this.bias) {
          this.registerParameter(`bias_ih${sfx}`, recurrentUniform([gates * hiddenSize], hiddenSize));
          this.registerParameter(`bias_hh${sfx}`, recurrentUniform([gates * hiddenSize], hiddenSize));
        }
        if (projSize > 0) this.registerParameter(`weight_hr${sfx}`, recurrentUniform([projSize, hiddenSize], hiddenSize));
      }
    }
  }

  /** Features of h and of each direction's output: projSize when set, else hiddenSize. */
  get outputSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  /** Features of state `i` (h is 0, the LSTM's c is 1): h has outputSize, c hiddenSize. */
  protected stateSize(i: number): number {
    return i === 0 ? this.outputSize : this.hiddenSize;
  }

  /** 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The parameters of direction `dir` (0 forward, 1 reverse) of layer `layer`. */
  directionWeights(layer: number, dir: number): DirectionWeights {
    const sfx = suffix(layer, dir);
    return {
      wih: paramNamed(this, `weight_ih${sfx}`),
      whh: paramNamed(this, `weight_hh${sfx}`),
      bih: this.bias ? paramNamed(this, `bias_ih${sfx}`) : null,
      bhh: this.bias ? paramNamed(this, `bias_hh${sfx}`) : null,
      whr: this.projSize > 0 ? paramNamed(this, `weight_hr${sfx}`) : null,
    };
  }

  /**
   * Runs direction `dir` of layer `layer` over x [L, N, features] from the states `init` (each
   * [N, H]); returns the outputs [L, N, H] and the final states (each [N, H]).
   */
  protected abstract runDirection(layer: number, dir: number, x: Tensor, init: Tensor[]): { out: Tensor; finals: Tensor[] };

  /**
   * The whole stack: checks `input` and the optional `states` (h0, and c0 for the LSTM), runs
   * every layer and direction, and returns the output and the final states in the caller's layout.
   */
  protected runLayers(input: Tensor, states: readonly (Tensor | undefined)[]): { output: Tensor; finals: Tensor[] } {
    const op = this.constructor.name;
    if (input.ndim !== 2 && input.ndim !== 3) throw new ShapeError(`${op}: expected input to be 2-d or 3-d, got ${input.ndim}-d ${fmtShape(input.shape)}`);
    const w0 = this.directionWeights(0, 0).wih;
    if (input.dtype !== w0.dtype) throw new DTypeError(`${op}: input dtype ${input.dtype} does not match the parameters' dtype ${w0.dtype}`);
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${op}: input.size(-1) must be equal to inputSize: expected ${this.inputSize}, got ${input.shape[input.ndim - 1]} (input ${fmtShape(input.shape)})`);
    }
    const batched = input.ndim === 3;
    const x0 = !batched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    const [L, N] = x0.shape;
    if (L === 0 || N === 0) throw new ShapeError(`${op}: expected a non-empty sequence and batch, got input ${fmtShape(input.shape)}`);
    const D = this.numDirections;
    const full = states.map((s, i) => {
      const size = this.stateSize(i);
      const stateShape = batched ? [this.numLayers * D, N, size] : [this.numLayers * D, size];
      if (s === undefined) return zeros([this.numLayers * D, N, size], { dtype: input.dtype });
      if (s.ndim !== stateShape.length || s.shape.some((v, d) => v !== stateShape[d])) {
        throw new ShapeError(`${op}: expected state ${i} of shape ${fmtShape(stateShape)}, got ${fmtShape(s.shape)} (input ${fmtShape(input.shape)})`);
      }
      if (s.dtype !== input.dtype) throw new DTypeError(`${op}: state ${i} dtype ${s.dtype} does not match the input's ${input.dtype}`);
      return batched ? s : s.unsqueeze(1);
    });
    const finals: Tensor[][] = full.map(() => []);
    let x = x0;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let dir = 0; dir < D; dir++) {
        const index = layer * D + dir;
        const { out, finals: last } = this.runDirection(layer, dir, x, full.map((s) => s.narrow(0, index, 1).squeeze(0)));
        outs.push(out);
        last.forEach((f, i) => finals[i].push(f));
      }
      x = D === 2 ? cat(outs, 2) : outs[0];
      if (layer < this.numLayers - 1) x = dropoutFn(x, this.dropout, this.training);
    }
    const output = !batched ? x.squeeze(1) : this.batchFirst ? x.transpose(0, 1) : x;
    return { output, finals: finals.map((f) => (batched ? stack(f, 0) : stack(f, 0).squeeze(1))) };
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}`, `${this.hiddenSize}`];
    if (this.numLayers !== 1) parts.push(`numLayers=${this.numLayers}`);
    if (!this.bias) parts.push('bias=false');
    if (this.batchFirst) parts.push('batchFirst=true');
    if (this.dropout !== 0) parts.push(`dropout=${this.dropout}`);
    if (this.bidirectional) parts.push('bidirectional=true');
    if (this.projSize > 0) parts.push(`projSize=${this.projSize}`);
    return parts.join(', ');
  }
}

/** `_l{layer}` plus `_reverse` for the backward direction. */
function suffix(layer: number, dir: number): string {
  return `_l${layer}${dir === 1 ? '_reverse' : ''}`;
}

/**
 * x [L, N, F] · W_ihᵀ + bias for every step at once — the one large product of a layer —
 * returned contiguous [L, N, G] for the fused recurrence.
 */
export function inputProjection(x: Tensor, wih: Tensor, bias: Tensor | null): Tensor {
  const [L, N, F] = x.shape;
  const flat = x.reshape([L * N, F]).matmul(wih.T);
  return (bias ? flat.add(bias) : flat).reshape([L, N, wih.shape[0]]);
}
