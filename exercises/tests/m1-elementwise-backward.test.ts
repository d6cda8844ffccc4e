/**
 * m1 — elementwise backward: Mul.backward, called through the node `a.mul(b)` leaves
 * (`gradFn.backward(g)`), so the engine (m3) is not needed. A backward may return a broadcast
 * input's gradient in the output's shape (the engine sums it down); the test sums it here.
 */
import { describe, expect, it } from 'vitest';
import { Context, type Tensor } from 'tsgrad';
import { Mul, broadcastPosition, expectClose, randomTensor, seeded, unravel, values } from './helpers.js';

/** A gradient of the output's shape summed down to `shape`, in plain JavaScript. */
function sumDown(grad: readonly number[], outShape: readonly number[], shape: readonly number[]): number[] {
  const sums = new Array<number>(shape.reduce((s, d) => s * d, 1)).fill(0);
  grad.forEach((v, i) => (sums[broadcastPosition(unravel(i, outShape), shape)] += v));
  return sums;
}

/** The node's input gradients for upstream g, each summed to its input's shape. */
function localGrads(out: Tensor, g: Tensor, inputs: readonly Tensor[]): (number[] | null)[] {
  expect(out.gradFn?.name).toBe('MulBackward');
  const grads = out.gradFn?.backward(g) ?? [];
  return inputs.map((x, i) => {
    const gi = grads[i];
    if (gi === null || gi === undefined) return null;
    return gi.shape.join() === x.shape.join() ? values(gi) : sumDown(values(gi), out.shape, x.shape);
  });
}

/** g·b and g·a (broadcast, then summed to each input's shape), in plain JavaScript. */
function expected(a: Tensor, b: Tensor, g: Tensor): [number[], number[]] {
  const [av, bv, gv] = [values(a), values(b), values(g)];
  const ga = gv.map((v, i) => v * bv[broadcastPosition(unravel(i, g.shape), b.shape)]);
  const gb = gv.map((v, i) => v * av[broadcastPosition(unravel(i, g.shape), a.shape)]);
  return [sumDown(ga, g.shape, a.shape), sumDown(gb, g.shape, b.shape)];
}

describe('m1: elementwise backward (Mul)', () => {
  it('m1: Mul.backward alone, on the context Mul.forward leaves (saved [b, a])', () => {
    const random = seeded(10);
    const a = randomTensor([2, 3], random);
    const b = randomTensor([2, 3], random);
    const g = randomTensor([2, 3], random);
    const ctx = new Context([true, true]);
    ctx.saveForBackward(b, a);
    const [ga, gb] = Mul.backward(ctx, g);
    const [ea, eb] = expected(a, b, g);
    expectClose(values(ga as Tensor), ea, '∂/∂a');
    expectClose(values(gb as Tensor), eb, '∂/∂b');
  });

  it('m1: Mul.backward gives [g·b, g·a] for same-shape operands', () => {
    const random = seeded(11);
    const a = randomTensor([3, 4], random, true);
    const b = randomTensor([3, 4], random, true);
    const g = randomTensor([3, 4], random);
    const [ga, gb] = localGrads(a.mul(b), g, [a, b]);
    const [ea, eb] = expected(a, b, g);
    expectClose(ga ?? [], ea, '∂/∂a');
    expectClose(gb ?? [], eb, '∂/∂b');
  });

  it('m1: Mul.backward on broadcast operands', () => {
    const random = seeded(12);
    const a = randomTensor([2, 3, 1], random, true);
    const b = randomTensor([4], random, true);
    const g = randomTensor([2, 3, 4], random);
    const [ga, gb] = localGrads(a.mul(b), g, [a, b]);
    const [ea, eb] = expected(a, b, g);
    expectClose(ga ?? [], ea, '∂/∂a (summed over the broadcast dim)');
    expectClose(gb ?? [], eb, '∂/∂b (summed over the broadcast dims)');
  });

  it('m1: Mul.backward on non-contiguous operands', () => {
    const random = seeded(13);
    const a = randomTensor([4, 3], random, true);
    const b = randomTensor([3, 4], random, true);
    const at = a.transpose(0, 1);
    const g = randomTensor([3, 4], random);
    const [ga, gb] = localGrads(at.mul(b), g, [at, b]);
    const [ea, eb] = expected(at.contiguous(), b, g);
    expectClose(ga ?? [], ea, '∂/∂aᵀ');
    expectClose(gb ?? [], eb, '∂/∂b');
  });

  it('m1: Mul.backward returns null for an input that needs no gradient', () => {
    const random = seeded(14);
    const a = randomTensor([5], random, true);
    const b = randomTensor([5], random);
    const g = randomTensor([5], random);
    const [ga, gb] = localGrads(a.mul(b), g, [a, b]);
    expectClose(ga ?? [], expected(a, b, g)[0], '∂/∂a');
    expect(gb).toBeNull();
    const [ga2, gb2] = localGrads(b.mul(a), g, [b, a]);
    expect(ga2).toBeNull();
    expectClose(gb2 ?? [], expected(b, a, g)[1], '∂/∂a as the second operand');
    const [gs] = localGrads(a.mul(3), g, [a]);
    expectClose(gs ?? [], values(g).map((v) => 3 * v), '∂(3a)/∂a');
  });
});
