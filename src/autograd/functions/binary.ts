/**
 * Broadcasting binary ops: add, sub, mul, div, pow, maximum, minimum, where — each forward
 * beside its backward, with the partial derivatives written above the backward. Gradients are
 * returned in the broadcast shape; the engine sums them back to each input's shape.
 */
import type { BinaryOpName } from '../../kernels/binary.js';
import { currentBackend } from '../../kernels/registry.js';
import { promoteTypes, type DType } from '../../kernels/dtype.js';
import { broadcastShapes, sameShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { Context } from '../../tensor/graph-node.js';
import { newTensor, stridedAs } from './util.js';

/** Runs a binary kernel over the broadcast of a and b into a new tensor (dtype: promoted, unless given). */
export function binaryForward(op: BinaryOpName, a: Tensor, b: Tensor, dtype?: DType): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  let outType = dtype ?? promoteTypes(a.dtype, b.dtype);
  if (dtype === undefined && (op === 'div' || op === 'pow') && (outType === 'int32' || outType === 'bool')) {
    outType = op === 'div' ? 'float32' : 'int32';
  }
  if (dtype === undefined && outType === 'bool' && op !== 'maximum' && op !== 'minimum') outType = 'int32';
  const out = newTensor(shape, outType);
  if (a.isContiguous() && sameShape(a.shape, shape) && (b.ndim === 0 || (b.isContiguous() && sameShape(b.shape, shape)))) {
    // The common cases — same shapes, or a tensor and a scalar — in one flat pass (b's step is 0
    // for a scalar), without building broadcast strides.
    currentBackend().binaryFlat(op, a.storage, a.offset, b.storage, b.offset, b.ndim === 0 ? 0 : 1, out.storage, out.storage.length);
    return out;
  }
  currentBackend().binary(op, stridedAs(a, shape), stridedAs(b, shape), out.storage, shape);
  return out;
}

export class Add extends Function {
  static override forward(_ctx: Context, a: Tensor, b: Tensor): Tensor {
    return binaryForward('add', a, b);
  }
  // ∂(a + b)/∂a = 1,  ∂(a + b)/∂b = 1
  static override backward(_ctx: Context, g: Tensor): (Tensor | null)[] {
    return [g, g];
  }
}

export class Sub extends Function {
  static override forward(_ctx: Context, a: Tensor, b: Tensor): Tensor {
    return binaryForward('sub', a, b);
  }
  // ∂(a − b)/∂a = 1,  ∂(a − b)/∂b = −1
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    return [g, ctx.needsInputGrad[1] ? g.neg() : null];
  }
}

export class Mul extends Function {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    // Each gradient reads the other operand: a is kept only when b needs a gradient (so an
    // in-place mul_ by a constant keeps no copy of its old value).
    if (ctx.needsInputGrad[1]) ctx.saveForBackward(b, a);
    else ctx.saveForBackward(b);
    return binaryForward('mul', a, b);
  }
  // ∂(a·b)/∂a = b,  ∂(a·b)/∂b = a
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    const [b, a] = ctx.savedTensors;
    return [ctx.needsInputGrad[0] ? g.mul(b) : null, ctx.needsInputGrad[1] ? g.mul(a) : null];
  }
}

export class Div extends Function {
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

export class Pow extends Function {
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

export class Maximum extends Function {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return binaryForward('maximum', a, b);
  }
  // ∂max(a,b)/∂a = [a > b] (+ ½ where a = b), and the rest to b
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    return extremumBackward(ctx, g, (a, b) => a.gt(b));
  }
}

export class Minimum extends Function {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return binaryForward('minimum', a, b);
  }
  // ∂min(a,b)/∂a = [a < b] (+ ½ where a = b), and the rest to b
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    return extremumBackward(ctx, g, (a, b) => a.lt(b));
  }
}

export class Where extends Function {
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
