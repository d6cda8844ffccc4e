/**
 * Elementwise unary ops, each forward beside its backward with the derivative above it; below
 * the classes, each op's functional form (`exp(x)`) and Tensor method (`x.exp()`).
 * Ops that need a float (exp, tanh, …) compute int inputs as float32, as PyTorch does.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { Context, ContextWith } from '../../tensor/graph-node.js';
import { isGradEnabled } from '../grad-mode.js';
import { checkNumberArg, checkOptions } from '../../options.js';
import { installMethods } from '../install-methods.js';
import { binaryForward, floatDtypeOf, unaryForward } from './util.js';

/**
 * A backward g·f′ computed from the saved tensor: one fused pass (kernel `op`) when the backward
 * records no graph, else `composed`, the same formula in tensor ops, so that under createGraph
 * the gradient is itself differentiable.
 */
function fusedGrad(op: 'tanhGrad' | 'sigmoidGrad' | 'reluGrad', g: Tensor, saved: Tensor, composed: () => Tensor): Tensor {
  return isGradEnabled() ? composed() : binaryForward(op, g, saved, g.dtype);
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

class Neg extends Function {
  static override forward(_ctx: Context, x: Tensor): Tensor {
    return unaryForward('neg', x, x.dtype === 'bool' ? 'int32' : x.dtype);
  }
  // d(−x)/dx = −1
  static override backward(_ctx: Context, g: Tensor): Tensor {
    return g.neg();
  }
}

class Abs extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return unaryForward('abs', x, x.dtype === 'bool' ? 'int32' : x.dtype);
  }
  // d|x|/dx = sign(x)  (0 at x = 0, as PyTorch)
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x.sign());
  }
}

class Exp extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    const y = unaryForward('exp', x);
    ctx.saveForBackward(y);
    return y;
  }
  // d eˣ/dx = eˣ  (the output itself)
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [y] = ctx.savedTensors;
    return g.mul(y);
  }
}

class Log extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return unaryForward('log', x);
  }
  // d ln x/dx = 1/x
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.div(x);
  }
}

class Log1p extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return unaryForward('log1p', x);
  }
  // d ln(1 + x)/dx = 1/(1 + x)
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.div(x.add(1));
  }
}

class Expm1 extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    const y = unaryForward('expm1', x);
    ctx.saveForBackward(y);
    return y;
  }
  // d(eˣ − 1)/dx = eˣ = y + 1
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [y] = ctx.savedTensors;
    return g.mul(y.add(1));
  }
}

class Sqrt extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    const y = unaryForward('sqrt', x);
    ctx.saveForBackward(y);
    return y;
  }
  // d√x/dx = 1/(2√x)
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [y] = ctx.savedTensors;
    return g.div(y.mul(2));
  }
}

class Rsqrt extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    const y = unaryForward('rsqrt', x);
    ctx.saveForBackward(y);
    return y;
  }
  // d x^(−1/2)/dx = −½ x^(−3/2) = −½ y³
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [y] = ctx.savedTensors;
    return g.mul(y.mul(y).mul(y)).mul(-0.5);
  }
}

class Sin extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return unaryForward('sin', x);
  }
  // d sin x/dx = cos x
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x.cos());
  }
}

class Cos extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return unaryForward('cos', x);
  }
  // d cos x/dx = −sin x
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x.sin()).neg();
  }
}

class Tanh extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    const y = unaryForward('tanh', x);
    ctx.saveForBackward(y);
    return y;
  }
  // d tanh x/dx = 1 − tanh² x
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [y] = ctx.savedTensors;
    return fusedGrad('tanhGrad', g, y, () => g.mul(y.mul(y).neg().add(1)));
  }
}

class Sigmoid extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    const y = unaryForward('sigmoid', x);
    ctx.saveForBackward(y);
    return y;
  }
  // dσ/dx = σ(1 − σ)
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [y] = ctx.savedTensors;
    return fusedGrad('sigmoidGrad', g, y, () => g.mul(y.mul(y.neg().add(1))));
  }
}

class Erf extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return unaryForward('erf', x);
  }
  // d erf x/dx = 2/√π · e^(−x²)
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI));
  }
}

class Relu extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    const y = unaryForward('relu', x, x.dtype === 'bool' ? 'int32' : x.dtype);
    // [x > 0] = [y > 0]: keeping the output, as PyTorch does, lets an in-place relu_ keep no
    // copy of its input.
    ctx.saveForBackward(y);
    return y;
  }
  // d relu(x)/dx = [x > 0] = [relu(x) > 0]
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [y] = ctx.savedTensors;
    return fusedGrad('reluGrad', g, y, () => g.mul(y.gt(0)));
  }
}

class LeakyRelu extends Function {
  static override forward(ctx: ContextWith<{ slope: number }>, x: Tensor, slope: number): Tensor {
    ctx.saveForBackward(x);
    ctx.slope = slope;
    return unaryForward('leakyRelu', x, floatDtypeOf(x), slope);
  }
  // d/dx = 1 for x > 0, else slope
  static override backward(ctx: ContextWith<{ slope: number }>, g: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    return [g.mul(x.gt(0).to(g.dtype).mul(1 - ctx.slope).add(ctx.slope)), null];
  }
}

class Elu extends Function {
  static override forward(ctx: ContextWith<{ alpha: number }>, x: Tensor, alpha: number): Tensor {
    ctx.saveForBackward(x);
    ctx.alpha = alpha;
    return unaryForward('elu', x, floatDtypeOf(x), alpha);
  }
  // d/dx = 1 for x > 0, else α eˣ  (eˣ taken at min(x, 0), so a large x cannot make inf·0)
  static override backward(ctx: ContextWith<{ alpha: number }>, g: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    const positive = x.gt(0).to(g.dtype);
    const negativeSlope = x.clamp(null, 0).exp().mul(ctx.alpha);
    return [g.mul(positive.add(positive.neg().add(1).mul(negativeSlope))), null];
  }
}

class Gelu extends Function {
  static override forward(ctx: ContextWith<{ tanh: boolean }>, x: Tensor, approximate: 'none' | 'tanh'): Tensor {
    ctx.saveForBackward(x);
    ctx.tanh = approximate === 'tanh';
    return unaryForward(ctx.tanh ? 'geluTanh' : 'gelu', x);
  }
  // exact:  d[xΦ(x)]/dx = Φ(x) + x φ(x),  Φ(x) = (1 + erf(x/√2))/2,  φ(x) = e^(−x²/2)/√(2π)
  // tanh:   y = x/2 (1 + tanh u), u = √(2/π)(x + 0.044715x³):
  //         dy/dx = (1 + tanh u)/2 + x/2 (1 − tanh² u) √(2/π)(1 + 3·0.044715x²)
  static override backward(ctx: ContextWith<{ tanh: boolean }>, g: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    if (!ctx.tanh) {
      const cdf = x.mul(SQRT1_2).erf().add(1).mul(0.5);
      const pdf = x.mul(x).mul(-0.5).exp().mul(INV_SQRT_2PI);
      return [g.mul(cdf.add(x.mul(pdf))), null];
    }
    const x2 = x.mul(x);
    const t = x.add(x2.mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI).tanh();
    const du = x2.mul(3 * 0.044715).add(1).mul(SQRT_2_OVER_PI);
    const d = t.add(1).mul(0.5).add(x.mul(0.5).mul(t.mul(t).neg().add(1)).mul(du));
    return [g.mul(d), null];
  }
}

class Silu extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return unaryForward('silu', x);
  }
  // d[xσ(x)]/dx = σ(x)(1 + x(1 − σ(x)))
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    const s = x.sigmoid();
    return g.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
  }
}

class Softplus extends Function {
  static override forward(ctx: ContextWith<{ beta: number; threshold: number }>, x: Tensor, beta: number, threshold: number): Tensor {
    ctx.saveForBackward(x);
    ctx.beta = beta;
    ctx.threshold = threshold;
    return unaryForward('softplus', x, floatDtypeOf(x), beta, threshold);
  }
  // d/dx log(1 + e^(βx))/β = σ(βx), and 1 in the linear regime βx > threshold
  static override backward(ctx: ContextWith<{ beta: number; threshold: number }>, g: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    const z = x.mul(ctx.beta);
    const linear = z.gt(ctx.threshold).to(g.dtype);
    return [g.mul(linear.add(linear.neg().add(1).mul(z.sigmoid()))), null, null];
  }
}

class Clamp extends Function {
  static override forward(ctx: ContextWith<{ lo: number; hi: number }>, x: Tensor, lo: number, hi: number): Tensor {
    ctx.saveForBackward(x);
    ctx.lo = lo;
    ctx.hi = hi;
    // min(max(x, lo), hi): with lo > hi every element becomes hi, so the kernel gets the lower
    // bound min(lo, hi). The backward keeps the given bounds: no x lies in an empty [lo, hi].
    return unaryForward('clamp', x, x.dtype === 'bool' ? 'int32' : x.dtype, Math.min(lo, hi), hi);
  }
  // d clamp(x)/dx = [lo ≤ x ≤ hi]
  static override backward(ctx: ContextWith<{ lo: number; hi: number }>, g: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    return [g.mul(x.ge(ctx.lo).logicalAnd(x.le(ctx.hi))), null, null];
  }
}

/** sign(x) ∈ {−1, 0, 1}; piecewise constant, so it is not recorded (zero gradient). */
export function sign(x: Tensor): Tensor {
  return unaryForward('sign', x, x.dtype === 'bool' ? 'int32' : x.dtype);
}

// ── Functional forms ───────────────────────────────────────────────────────────────────────

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
/** ln(1 + x), accurate for small |x| where `log(1 + x)` loses x to rounding (−inf at −1, NaN below). */
export function log1p(x: Tensor): Tensor {
  return Log1p.apply(x);
}
/** eˣ − 1, accurate for small |x| where `exp(x) − 1` cancels to 0. */
export function expm1(x: Tensor): Tensor {
  return Expm1.apply(x);
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

// ── Tensor methods ─────────────────────────────────────────────────────────────────────────

declare module '../../tensor/tensor.js' {
  interface Tensor {
    /** −x. */
    neg(): Tensor;
    /** |x| (gradient 0 at 0, as PyTorch). */
    abs(): Tensor;
    /** eˣ elementwise. */
    exp(): Tensor;
    /** Natural logarithm elementwise (−inf at 0, NaN below 0). */
    log(): Tensor;
    /** ln(1 + x) elementwise, accurate for small |x|. `p.log1p()` */
    log1p(): Tensor;
    /** eˣ − 1 elementwise, accurate for small |x|. `x.expm1()` */
    expm1(): Tensor;
    /** √x elementwise. */
    sqrt(): Tensor;
    /** 1/√x elementwise. */
    rsqrt(): Tensor;
    /** sin x elementwise. */
    sin(): Tensor;
    /** cos x elementwise. */
    cos(): Tensor;
    /** tanh x elementwise. */
    tanh(): Tensor;
    /** The logistic function 1/(1 + e^−x) elementwise, stable for large |x|. */
    sigmoid(): Tensor;
    /** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt elementwise. */
    erf(): Tensor;
    /** sign(x) ∈ {−1, 0, 1} elementwise (a step: its gradient is 0). */
    sign(): Tensor;
    /** max(x, 0) elementwise. */
    relu(): Tensor;
    /** x where x > 0, else slope·x (slope defaults to 0.01). `x.leakyRelu(0.2)` */
    leakyRelu(slope?: number): Tensor;
    /** x·Φ(x), Φ the standard normal CDF; `{ approximate: 'tanh' }` uses the tanh approximation. `x.gelu()` */
    gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor;
    /** x·σ(x) (SiLU, a.k.a. swish). */
    silu(): Tensor;
    /**
     * log(1 + e^(βx))/β, a smooth relu; linear (x itself) where βx > `threshold` (defaults β = 1, threshold =
     * 20).
     */
    softplus(opts?: { beta?: number; threshold?: number }): Tensor;
    /** x where x > 0, else α(eˣ − 1) (α defaults to 1). */
    elu(alpha?: number): Tensor;
    /**
     * Each element clamped into [min, max]; either bound may be null/undefined. `x.clamp(0, 1)`,
     * `x.clamp(null, 6)`
     */
    clamp(min?: number | null, max?: number | null): Tensor;
  }
}

installMethods({
  neg() { return neg(this); },
  abs() { return abs(this); },
  exp() { return exp(this); },
  log() { return log(this); },
  log1p() { return log1p(this); },
  expm1() { return expm1(this); },
  sqrt() { return sqrt(this); },
  rsqrt() { return rsqrt(this); },
  sin() { return sin(this); },
  cos() { return cos(this); },
  tanh() { return tanh(this); },
  sigmoid() { return sigmoid(this); },
  erf() { return erf(this); },
  sign() { return sign(this); },
  relu() { return relu(this); },
  leakyRelu(slope?: number) { return leakyRelu(this, slope); },
  gelu(opts?: { approximate?: 'none' | 'tanh' }) { return gelu(this, opts); },
  silu() { return silu(this); },
  softplus(opts?: { beta?: number; threshold?: number }) { return softplus(this, opts); },
  elu(alpha?: number) { return elu(this, alpha); },
  clamp(min?: number | null, max?: number | null) { return clamp(this, min, max); },
});
