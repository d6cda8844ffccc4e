/**
 * The functional forms of the elementwise ops (`add(a, b)`, `relu(x)`, …). Each checks its
 * arguments, turns scalars into tensors and applies the op's Function. Comparisons and logical
 * ops produce bool tensors and are not differentiable, so they call their kernel directly.
 */
import { DTypeError, fmtShape } from '../../errors.js';
import { isFloating } from '../../kernels/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { Add, Div, Maximum, Minimum, Mul, Pow, Sub, Where, binaryForward } from '../functions/binary.js';
import {
  Abs, Clamp, Cos, Elu, Erf, Exp, Gelu, LeakyRelu, Log, Neg, Relu, Rsqrt, Sigmoid, Silu, Sin, Softplus, Sqrt, Tanh, sign as signOf, unaryForward,
} from '../functions/unary.js';
import { toTensor, type Operand } from '../functions/util.js';
import { checkNumberArg, checkOptions } from '../../options.js';
import { reportUntrackedOp } from '../function.js';

/** a + b, broadcasting. */
export function add(a: Tensor, b: Operand): Tensor {
  return Add.apply(a, toTensor(b, a));
}
/** a − b, broadcasting. */
export function sub(a: Tensor, b: Operand): Tensor {
  return Sub.apply(a, toTensor(b, a));
}
/** a · b elementwise, broadcasting. */
export function mul(a: Tensor, b: Operand): Tensor {
  return Mul.apply(a, toTensor(b, a));
}
/** a / b elementwise (true division: int inputs give float32). */
export function div(a: Tensor, b: Operand): Tensor {
  return Div.apply(a, toTensor(b, a));
}
/**
 * a raised to b elementwise. An integer (or bool) tensor to a negative integer number is refused,
 * as PyTorch (the result would be 0 for every base but ±1); a tensor exponent gives that 0.
 */
export function pow(a: Tensor, b: Operand): Tensor {
  if (typeof b === 'number' && !isFloating(a.dtype) && Number.isInteger(b) && b < 0) {
    throw new DTypeError(`pow: integers to negative integer powers are not allowed (dtype ${a.dtype}, exponent ${b}); convert it with .float() first`);
  }
  return Pow.apply(a, toTensor(b, a));
}
/** The larger of a and b elementwise (NaN if either is NaN). */
export function maximum(a: Tensor, b: Operand): Tensor {
  return Maximum.apply(a, toTensor(b, a));
}
/** The smaller of a and b elementwise (NaN if either is NaN). */
export function minimum(a: Tensor, b: Operand): Tensor {
  return Minimum.apply(a, toTensor(b, a));
}

/** −x. */
export function neg(x: Tensor): Tensor {
  return Neg.apply(x);
}
/** |x|. */
export function abs(x: Tensor): Tensor {
  return Abs.apply(x);
}
/** eˣ. */
export function exp(x: Tensor): Tensor {
  return Exp.apply(x);
}
/** Natural logarithm (−inf at 0, NaN below). */
export function log(x: Tensor): Tensor {
  return Log.apply(x);
}
/** √x. */
export function sqrt(x: Tensor): Tensor {
  return Sqrt.apply(x);
}
/** 1/√x. */
export function rsqrt(x: Tensor): Tensor {
  return Rsqrt.apply(x);
}
/** sin x. */
export function sin(x: Tensor): Tensor {
  return Sin.apply(x);
}
/** cos x. */
export function cos(x: Tensor): Tensor {
  return Cos.apply(x);
}
/** tanh x. */
export function tanh(x: Tensor): Tensor {
  return Tanh.apply(x);
}
/** The logistic sigmoid 1/(1 + e^−x), stable for large |x|. */
export function sigmoid(x: Tensor): Tensor {
  return Sigmoid.apply(x);
}
/** The error function. */
export function erf(x: Tensor): Tensor {
  return Erf.apply(x);
}
/** max(x, 0). */
export function relu(x: Tensor): Tensor {
  return Relu.apply(x);
}
/** x for x > 0, else slope·x. */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  checkNumberArg('leakyRelu', 'slope', slope);
  return LeakyRelu.apply(x, slope);
}
/** x·Φ(x) (exact, default) or its tanh approximation. */
export function gelu(x: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  checkOptions('gelu', opts, ['approximate']);
  return Gelu.apply(x, opts.approximate ?? 'none');
}
/** x·σ(x) (a.k.a. swish). */
export function silu(x: Tensor): Tensor {
  return Silu.apply(x);
}
/** log(1 + e^(βx))/β, linear above `threshold`. */
export function softplus(x: Tensor, opts: { beta?: number; threshold?: number } = {}): Tensor {
  checkOptions('softplus', opts, ['beta', 'threshold']);
  return Softplus.apply(x, opts.beta ?? 1, opts.threshold ?? 20);
}
/** x for x > 0, else α(eˣ − 1). */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkNumberArg('elu', 'alpha', alpha);
  return Elu.apply(x, alpha);
}
/**
 * Clamps into [min, max]: min(max(x, min), max), so when min > max every element becomes max
 * (as PyTorch). Either bound may be omitted (null/undefined); NaN elements stay NaN.
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  return Clamp.apply(x, min ?? -Infinity, max ?? Infinity);
}
/** sign(x) ∈ {−1, 0, 1} (not differentiable: zero gradient). */
export function sign(x: Tensor): Tensor {
  return signOf(x);
}

/** cond ? a : b elementwise, broadcasting all three; cond must be a bool tensor (as PyTorch). */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  checkMask(cond, 'where', 'condition');
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : new Tensor(new Float32Array(1), []);
  return Where.apply(cond, toTensor(a, like), toTensor(b, like));
}

/**
 * Throws unless `mask` is a bool tensor: a float or int mask is usually a bug (a 0.5 would count
 * as true), and PyTorch refuses it. Make one with a comparison (`x.gt(0)`) or `.to('bool')`.
 */
export function checkMask(mask: unknown, op: string, what = 'mask'): void {
  if (!(mask instanceof Tensor)) throw new TypeError(`${op}: the ${what} must be a bool Tensor`);
  if (mask.dtype !== 'bool') {
    throw new DTypeError(`${op}: the ${what} must be a bool tensor, got ${mask.dtype} (of shape ${fmtShape(mask.shape)}); use a comparison such as x.gt(0), or .to('bool')`);
  }
}

function comparison(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr') {
  const name = op[0].toUpperCase() + op.slice(1);
  return (a: Tensor, b: Operand): Tensor => {
    const other = toTensor(b, a);
    const out = binaryForward(op, a, other, 'bool');
    reportUntrackedOp(name, [a, other], out);
    return out;
  };
}
/** a == b elementwise (bool). */
export const eq = comparison('eq');
/** a != b elementwise (bool). */
export const ne = comparison('ne');
/** a < b elementwise (bool). */
export const lt = comparison('lt');
/** a <= b elementwise (bool). */
export const le = comparison('le');
/** a > b elementwise (bool). */
export const gt = comparison('gt');
/** a >= b elementwise (bool). */
export const ge = comparison('ge');
/** a ∧ b elementwise (nonzero is true; bool result). */
export const logicalAnd = comparison('logicalAnd');
/** a ∨ b elementwise (nonzero is true; bool result). */
export const logicalOr = comparison('logicalOr');
/** ¬x elementwise (bool result). */
export function logicalNot(x: Tensor): Tensor {
  const out = unaryForward('logicalNot', x, 'bool');
  reportUntrackedOp('LogicalNot', [x], out);
  return out;
}

