/**
 * Elementwise unary ops, each forward beside its backward with the derivative above it.
 * Ops that need a float (exp, tanh, …) compute int inputs as float32, as PyTorch does.
 */
import type { UnaryOpName } from '../../kernels/unary.js';
import { currentBackend } from '../../kernels/registry.js';
import { allocate, type DType } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { Context, ContextWith } from '../../tensor/graph-node.js';
import { isGradEnabled } from '../grad-mode.js';
import { binaryForward } from './binary.js';
import { floatDtypeOf, newTensor } from './util.js';

/** out = f(x) elementwise with kernel `op` (parameters p, q), in dtype `dtype`. */
export function unaryForward(op: UnaryOpName, x: Tensor, dtype: DType = floatDtypeOf(x), p = 0, q = 0): Tensor {
  const src = x.data();
  const out = allocate(dtype, src.length);
  currentBackend().unary(op, src, out, src.length, p, q);
  return newTensor(x.shape, dtype, out);
}

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

export class Neg extends Function {
  static override forward(_ctx: Context, x: Tensor): Tensor {
    return unaryForward('neg', x, x.dtype === 'bool' ? 'int32' : x.dtype);
  }
  // d(−x)/dx = −1
  static override backward(_ctx: Context, g: Tensor): Tensor {
    return g.neg();
  }
}

export class Abs extends Function {
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

export class Exp extends Function {
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

export class Log extends Function {
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

export class Sqrt extends Function {
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

export class Rsqrt extends Function {
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

export class Sin extends Function {
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

export class Cos extends Function {
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

export class Tanh extends Function {
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

export class Sigmoid extends Function {
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

export class Erf extends Function {
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

export class Relu extends Function {
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

export class LeakyRelu extends Function {
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

export class Elu extends Function {
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

export class Gelu extends Function {
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

export class Silu extends Function {
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

export class Softplus extends Function {
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

export class Clamp extends Function {
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
