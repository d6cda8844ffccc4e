/**
 * gradcheck itself: it passes correct Functions and fails wrong ones with a report a student can
 * act on (input index, element index, analytic and numeric values). Its random upstream gradient
 * must catch a backward that ignores its incoming gradient, and its zero-upstream check a
 * backward that is not linear in it.
 */
import { describe, expect, it } from 'vitest';
import { AutogradError, DTypeError, Function, gradcheck, tensor, type Context, type Tensor } from '../../src/index.js';
import { Cube, failure } from './custom-ops.js';

/** y = x³ with a wrong derivative 2x². */
class WrongCube extends Cube {
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x.mul(x).mul(2));
  }
}

/** y = x³ whose backward ignores the incoming gradient (as if it were all ones). */
class DeafCube extends Cube {
  static override backward(ctx: Context, _g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return x.mul(x).mul(3);
  }
}

/** y = x³ whose backward is right for a nonzero upstream gradient but not zero for a zero one. */
class AffineCube extends Cube {
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    const allZero = g.abs().sum().item() === 0;
    return allZero ? x.mul(0).add(1) : g.mul(x.mul(x).mul(3));
  }
}

/** z = a·b with the gradient of b wrong at one element (index [1, 0] of a [2, 3] input). */
class MulBadAt10 extends Function {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return a.mul(b);
  }
  static override backward(ctx: Context, g: Tensor): Tensor[] {
    const [a, b] = ctx.savedTensors;
    const bump = tensor([[1, 1, 1], [1.5, 1, 1]], { dtype: 'float64' });
    return [g.mul(b), g.mul(a).mul(bump)];
  }
}

const x64 = () => tensor([0.5, -1.25, 2, 0.75], { dtype: 'float64', requiresGrad: true });
const pair = () => [
  tensor([[0.3, -0.7, 1.1], [0.9, -1.3, 0.4]], { dtype: 'float64', requiresGrad: true }),
  tensor([[1.2, 0.8, -0.6], [-0.5, 1.7, 0.2]], { dtype: 'float64', requiresGrad: true }),
];

/** The (input, element, analytic, numeric) lines of a gradcheck report. */
function reportLines(message: string): { input: number; element: number; index: string; analytic: number; numeric: number }[] {
  const re = /input (\d+), element (\d+) \(index (\[[\d,]*\])\): analytic (\S+), numeric (\S+)/g;
  return [...message.matchAll(re)].map((m) => ({ input: +m[1], element: +m[2], index: m[3], analytic: +m[4], numeric: +m[5] }));
}

describe('gradcheck', () => {
  it('passes correct Functions and library ops', () => {
    expect(gradcheck((x) => Cube.apply(x), [x64()])).toBe(true);
    expect(gradcheck((a, b) => a.mul(b).add(a.sin()), pair())).toBe(true);
  });

  it('fails a wrong backward, reporting input, element, analytic and numeric values', () => {
    const message = failure(() => gradcheck((x) => WrongCube.apply(x), [x64()]));
    const lines = reportLines(message);
    expect(lines.length).toBe(4);
    expect(message).toMatch(/differ for 4 of 4 elements/);
    for (const line of lines) {
      expect(line.input).toBe(0);
      // analytic uses 2x² where the truth is 3x², so each reported pair has the ratio 2/3.
      expect(line.analytic / line.numeric).toBeCloseTo(2 / 3, 5);
    }
    expect(new Set(lines.map((l) => l.element))).toEqual(new Set([0, 1, 2, 3]));
  });

  it('names the one wrong input and element', () => {
    const message = failure(() => gradcheck((a, b) => MulBadAt10.apply(a, b), pair()));
    const lines = reportLines(message);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ input: 1, element: 3, index: '[1,0]' });
    expect(lines[0].analytic / lines[0].numeric).toBeCloseTo(1.5, 5);
  });

  it('fails a backward that ignores its incoming gradient (a random upstream gradient, not ones)', () => {
    const message = failure(() => gradcheck((x) => DeafCube.apply(x), [x64()]));
    expect(reportLines(message).length).toBeGreaterThan(0);
  });

  it('fails a backward that gives a nonzero gradient for a zero upstream gradient', () => {
    const message = failure(() => gradcheck((x) => AffineCube.apply(x), [x64()]));
    expect(message).toMatch(/zero upstream gradient/);
    expect(message).toMatch(/input 0/);
  });

  it('lists at most the five worst mismatches', () => {
    const big = tensor(Float64Array.from({ length: 12 }, (_, i) => 0.2 + i / 10), { requiresGrad: true });
    const message = failure(() => gradcheck((x) => WrongCube.apply(x), [big]));
    expect(message).toMatch(/differ for 12 of 12 elements/);
    const lines = reportLines(message);
    expect(lines).toHaveLength(5);
    // Worst first: by how far each misses its tolerance, |analytic − numeric| − (atol + rtol·|numeric|).
    const excess = lines.map((l) => Math.abs(l.analytic - l.numeric) - (1e-5 + 1e-3 * Math.abs(l.numeric)));
    for (let i = 1; i < excess.length; i++) expect(excess[i]).toBeLessThanOrEqual(excess[i - 1] + 1e-9);
  });

  it('checks non-contiguous inputs element by element', () => {
    const base = tensor([[0.3, -0.7, 1.1], [0.9, -1.3, 0.4]], { dtype: 'float64' });
    const xt = base.T.requiresGrad_(true);
    expect(xt.isContiguous()).toBe(false);
    expect(gradcheck((x) => Cube.apply(x).matmul(tensor([[1], [2]], { dtype: 'float64' })), [xt])).toBe(true);
    const message = failure(() => gradcheck((x) => WrongCube.apply(x), [xt]));
    expect(reportLines(message).length).toBe(5);
  });

  it('refuses float32 inputs and inputs that do not require grad', () => {
    expect(() => gradcheck((x) => x.exp(), [tensor([1, 2], { requiresGrad: true })])).toThrow(DTypeError);
    expect(() => gradcheck((x) => x.exp(), [tensor([1, 2], { dtype: 'float64' })])).toThrow(AutogradError);
  });

  it('takes eps, atol and rtol', () => {
    // A slightly wrong derivative (×1.0005) passes the default rtol 1e-3 but not rtol 1e-4.
    class Slight extends Cube {
      static override backward(ctx: Context, g: Tensor): Tensor {
        return Cube.backward(ctx, g).mul(1.0005);
      }
    }
    expect(gradcheck((x) => Slight.apply(x), [x64()])).toBe(true);
    failure(() => gradcheck((x) => Slight.apply(x), [x64()], { rtol: 1e-4, atol: 1e-7 }));
  });
});
