/**
 * Broadcasting binary ops: add, sub, mul, div, pow, maximum, minimum, where — each forward
 * beside its backward, with the partial derivatives written above the backward. Gradients are
 * returned in the broadcast shape; the engine sums them back to each input's shape. Below the
 * classes, each op's functional form (`add(a, b)`) and Tensor method (`a.add(b)`).
 */
import { currentBackend } from '../../kernels/registry.js';
import { isFloating, promoteTypes } from '../../kernels/dtype.js';
import { DTypeError } from '../../errors.js';
import { broadcastShapes } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { Context } from '../../tensor/graph-node.js';
import { installMethods } from '../install-methods.js';
import { binaryForward, checkMask, newTensor, stridedAs, toTensor, type Operand } from './util.js';

class Add extends Function {
  static override forward(_ctx: Context, a: Tensor, b: Tensor): Tensor {
    return binaryForward('add', a, b);
  }
  // ∂(a + b)/∂a = 1,  ∂(a + b)/∂b = 1
  static override backward(_ctx: Context, g: Tensor): (Tensor | null)[] {
    return [g, g];
  }
}

class Sub extends Function {
  static override forward(_ctx: Context, a: Tensor, b: Tensor): Tensor {
    return binaryForward('sub', a, b);
  }
  // ∂(a − b)/∂a = 1,  ∂(a − b)/∂b = −1
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    return [g, ctx.needsInputGrad[1] ? g.neg() : null];
  }
}

// guide:mul
class Mul extends Function {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    // Each gradient reads the other operand: a is kept only when b needs a gradient (so an
    // in-place mul_ by a constant keeps no copy of its old value).
    if (ctx.needsInputGrad[1]) ctx.saveForBackward(b, a);
    else ctx.saveForBackward(b);
    return binaryForward('mul', a, b);
  }
  // ∂(a·b)/∂a = b,  ∂(a·b)/∂b = a
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    // BEGIN SOLUTION m1 — Mul.backward: ∂(a·b)/∂a = b, ∂(a·b)/∂b = a — return [g·b, g·a] from the saved tensors (saved as [b, a]), null where needsInputGrad is false
    const [b, a] = ctx.savedTensors;
    return [ctx.needsInputGrad[0] ? g.mul(b) : null, ctx.needsInputGrad[1] ? g.mul(a) : null];
    // END SOLUTION
  }
}
// guide:end

class Div extends Function {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    // a is read only by b's gradient: kept only when b needs one (so an in-place div_ by a
    // constant keeps no copy of its old value).
    if (ctx.needsInputGrad[1]) ctx.saveForBackward(b, a);
    else ctx.saveForBackward(b);
    return binaryForward('div', a, b);
  }
  // ∂(a/b)/∂a = 1/b,  ∂(a/b)/∂b = −a/b²
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    const [b, a] = ctx.savedTensors;
    return [
      ctx.needsInputGrad[0] ? g.div(b) : null,
      ctx.needsInputGrad[1] ? g.mul(a).div(b.mul(b)).neg() : null,
    ];
  }
}

class Pow extends Function {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return binaryForward('pow', a, b);
  }
  // ∂(a^b)/∂a = b·a^(b−1)  (0 where b = 0, as PyTorch: a⁰ is constant, and 0·0^(−1) would be NaN)
  // ∂(a^b)/∂b = a^b·ln a  (taken as 0 where a = 0 and b ≥ 0, the limit)
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    const [a, b] = ctx.savedTensors;
    const ga = ctx.needsInputGrad[0] ? g.mul(b.mul(a.pow(b.sub(1))).maskedFill(b.eq(0), 0)) : null;
    let gb: Tensor | null = null;
    if (ctx.needsInputGrad[1]) {
      const zeroBase = a.eq(0).logicalAnd(b.ge(0));
      gb = g.mul(a.pow(b).mul(a.log()).maskedFill(zeroBase, 0));
    }
    return [ga, gb];
  }
}

/** Shared backward of maximum/minimum: the winner takes the gradient, ties split it in half. */
function extremumBackward(ctx: Context, g: Tensor, aWins: (a: Tensor, b: Tensor) => Tensor): (Tensor | null)[] {
  const [a, b] = ctx.savedTensors;
  const share = aWins(a, b).to(g.dtype).add(a.eq(b).to(g.dtype).mul(0.5));
  return [
    ctx.needsInputGrad[0] ? g.mul(share) : null,
    ctx.needsInputGrad[1] ? g.mul(share.neg().add(1)) : null,
  ];
}

class Maximum extends Function {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return binaryForward('maximum', a, b);
  }
  // ∂max(a,b)/∂a = [a > b] (+ ½ where a = b), and the rest to b
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    return extremumBackward(ctx, g, (a, b) => a.gt(b));
  }
}

class Minimum extends Function {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return binaryForward('minimum', a, b);
  }
  // ∂min(a,b)/∂a = [a < b] (+ ½ where a = b), and the rest to b
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    return extremumBackward(ctx, g, (a, b) => a.lt(b));
  }
}

class Where extends Function {
  static override forward(ctx: Context, cond: Tensor, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(cond);
    const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where');
    const out = newTensor(shape, promoteTypes(a.dtype, b.dtype));
    currentBackend().where(stridedAs(cond, shape), stridedAs(a, shape), stridedAs(b, shape), out.storage, shape);
    return out;
  }
  // ∂/∂a = [cond],  ∂/∂b = [¬cond]
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    const [cond] = ctx.savedTensors;
    return [
      null,
      ctx.needsInputGrad[1] ? g.maskedFill(cond.logicalNot(), 0) : null,
      ctx.needsInputGrad[2] ? g.maskedFill(cond, 0) : null,
    ];
  }
}

// ── Functional forms ───────────────────────────────────────────────────────────────────────

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
/** cond ? a : b elementwise, broadcasting all three; cond must be a bool tensor (as PyTorch). */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  checkMask(cond, 'where', 'condition');
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : new Tensor(new Float32Array(1), []);
  return Where.apply(cond, toTensor(a, like), toTensor(b, like));
}

// ── Tensor methods ─────────────────────────────────────────────────────────────────────────

declare module '../../tensor/tensor.js' {
  interface Tensor {
    /** x + other elementwise, broadcasting (other may be a number). `x.add(1)`, `a.add(b)` */
    add(other: Operand): Tensor;
    /** x − other elementwise, broadcasting. `a.sub(b)` */
    sub(other: Operand): Tensor;
    /** x · other elementwise (not a matrix product: see `matmul`), broadcasting. `x.mul(2)` */
    mul(other: Operand): Tensor;
    /** x / other elementwise, broadcasting; true division (int inputs give float32). `x.div(x.sum())` */
    div(other: Operand): Tensor;
    /** x raised to `exponent` elementwise, broadcasting. `x.pow(2)` */
    pow(exponent: Operand): Tensor;
    /** The larger of x and other elementwise, broadcasting (NaN if either is NaN). `x.maximum(0)` */
    maximum(other: Operand): Tensor;
    /** The smaller of x and other elementwise, broadcasting (NaN if either is NaN). */
    minimum(other: Operand): Tensor;
    /** `x.where(cond, y)` is `where(cond, x, y)`. */
    where(cond: Tensor, other: Operand): Tensor;
  }
}

installMethods({
  add(other: Operand) { return add(this, other); },
  sub(other: Operand) { return sub(this, other); },
  mul(other: Operand) { return mul(this, other); },
  div(other: Operand) { return div(this, other); },
  pow(exponent: Operand) { return pow(this, exponent); },
  maximum(other: Operand) { return maximum(this, other); },
  minimum(other: Operand) { return minimum(this, other); },
  where(cond: Tensor, other: Operand) { return where(cond, this, other); },
});

/**
 * The Function classes of this file, for code that calls one directly (the exercise tests call
 * `Mul.backward` on a context of their own). A default export, so that the entry's `export *`
 * leaves them out of the public API.
 */
export default { Add, Sub, Mul, Div, Pow, Maximum, Minimum, Where };
