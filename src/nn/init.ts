/**
 * `nn.init`: in-place initialisers with PyTorch's formulas (torch/nn/init.py). Each fills the
 * tensor it is given, under `noGrad` (so it may be a Parameter), drawing only from the library's
 * seeded generator, and returns that tensor.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { allocate } from '../kernels/dtype.js';
import { nextFloat, nextNormal } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { checkNumberArgs, checkOptions, optionKeys } from '../options.js';

/** The nonlinearities `calculateGain` knows (PyTorch's names). */
export type Nonlinearity =
  | 'linear' | 'identity' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** Which fan the Kaiming initialisers scale by: fan_in keeps forward variance, fan_out backward. */
export type FanMode = 'fan_in' | 'fan_out';

/**
 * The recommended gain for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for relu,
 * √(2/(1+slope²)) for leaky_relu (slope = `param`, default 0.01), 3/4 for selu.
 * `nn.init.calculateGain('leaky_relu', 0.2)`
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      return 1;
  }
}

/**
 * PyTorch's fans: for a 2-d weight [out, in], fanIn = in and fanOut = out; for ≥3-d weights
 * [out, in, k1, …] both are multiplied by the receptive field k1·k2·…
 */
export function calculateFanInAndFanOut(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) {
    throw new ShapeError(`init: fan in and fan out can not be computed for a tensor with fewer than 2 dims (shape ${fmtShape(t.shape)})`);
  }
  let receptive = 1;
  for (let d = 2; d < t.ndim; d++) receptive *= t.shape[d];
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

/** Writes `values(i)` into every element of t (row-major order) without recording a graph. */
function fill(t: Tensor, value: (i: number) => number): Tensor {
  const data = allocate(t.dtype, t.size);
  for (let i = 0; i < data.length; i++) data[i] = value(i);
  noGrad(() => t.copy_(new Tensor(data, t.shape, { dtype: t.dtype })));
  return t;
}

/** Fills t with samples of U(low, high). */
export function uniform_(t: Tensor, low = 0, high = 1): Tensor {
  checkNumberArgs('uniform_', { low, high });
  return fill(t, () => low + (high - low) * nextFloat());
}

/** Fills t with samples of N(mean, std²). `nn.init.normal_(table, 0, 0.02)` */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  checkNumberArgs('normal_', { mean, std });
  return fill(t, () => mean + std * nextNormal());
}

/** Fills t with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  checkNumberArgs('constant_', { value });
  return fill(t, () => value);
}

/** Fills t with 0. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills t with 1. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Xavier/Glorot uniform: U(−b, b) with b = gain·√(6/(fanIn + fanOut)). `nn.init.xavierUniform_(lin.weight)` */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  checkNumberArgs('xavierUniform_', { gain });
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound);
}

/** Xavier/Glorot normal: N(0, std²) with std = gain·√(2/(fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  checkNumberArgs('xavierNormal_', { gain });
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

/** Options of the Kaiming initialisers (PyTorch's defaults: a = 0, fan_in, leaky_relu). */
export interface KaimingOptions {
  /** The negative slope of the leaky_relu that follows (only used with that nonlinearity). */
  a?: number;
  /** 'fan_in' (default) keeps the forward pass's variance, 'fan_out' the backward pass's. */
  mode?: FanMode;
  /** The nonlinearity that follows, which picks the gain (default 'leaky_relu', with slope `a`). */
  nonlinearity?: Nonlinearity;
}

const KAIMING_KEYS = optionKeys<KaimingOptions>({ a: true, mode: true, nonlinearity: true });

/** std = gain / √fan, the Kaiming/He scale. */
function kaimingStd(t: Tensor, opts: KaimingOptions): number {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const fan = (opts.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut;
  return calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0) / Math.sqrt(fan);
}

/**
 * Kaiming/He uniform: U(−b, b) with b = √3·gain/√fan. With a = √5 (what Linear and Conv use)
 * the gain is √(1/3), so b = 1/√fanIn.
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  checkOptions('kaimingUniform_', opts, KAIMING_KEYS);
  const bound = Math.sqrt(3) * kaimingStd(t, opts);
  return uniform_(t, -bound, bound);
}

/**
 * Kaiming/He normal: N(0, std²) with std = gain/√fan.
 * `nn.init.kaimingNormal_(conv.weight, { mode: 'fan_out', nonlinearity: 'relu' })`
 */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  checkOptions('kaimingNormal_', opts, KAIMING_KEYS);
  return normal_(t, 0, kaimingStd(t, opts));
}

/**
 * A (semi-)orthogonal matrix scaled by `gain`: t is viewed as [rows, cols] with rows = shape[0];
 * a Gaussian matrix (transposed when rows < cols) is factored A = QR by modified Gram–Schmidt.
 * Gram–Schmidt makes every R_ii positive — the sign convention under which Q is uniformly (Haar)
 * distributed, as PyTorch gets by multiplying Q by sign(diag R).
 */
export function orthogonal_(t: Tensor, gain = 1): Tensor {
  checkNumberArgs('orthogonal_', { gain });
  if (t.ndim < 2) throw new ShapeError(`orthogonal_: only tensors with 2 or more dims are supported, got shape ${fmtShape(t.shape)}`);
  const rows = t.shape[0];
  const cols = t.size / rows;
  const tall = rows >= cols;
  // A is m×n with m ≥ n, stored column by column.
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const q: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = nextNormal();
    q.push(v);
  }
  for (let j = 0; j < n; j++) {
    const v = q[j];
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[k][i] * v[i];
      for (let i = 0; i < m; i++) v[i] -= dot * q[k][i];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) v[i] /= norm;
  }
  // Element (r, c) of the rows×cols result: Q[r][c] when tall, else Qᵀ.
  return fill(t, (flat) => {
    const r = Math.floor(flat / cols);
    const c = flat % cols;
    return gain * (tall ? q[c][r] : q[r][c]);
  });
}
