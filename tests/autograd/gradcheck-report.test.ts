/**
 * gradcheck's reports a student can act on: node by node it names the Function whose own
 * backward is wrong, with x, upstream, analytic, numeric and errors; `upstream: 'ones'` makes an
 * elementwise analytic gradient f′(x); checkFunction checks one Function alone; strictGradShapes
 * refuses a gradient returned in a broadcast shape for an input that was not broadcast.
 */
import { describe, expect, it } from 'vitest';
import { Function, ShapeError, checkFunction, gradcheck, tensor, type ContextWith, type Context, type Tensor } from '../../src/index.js';
import { failure } from './custom-ops.js';

/** softplus(x) = log(1 + eˣ), whose derivative is σ(x); this backward wrongly uses σ(x)·(1 − σ(x)). */
class BadSoftplus extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.exp().add(1).log();
  }
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    const s = x.sigmoid();
    return g.mul(s.mul(s.neg().add(1)));
  }
}

/** The correct softplus, with a parameter β kept on the context: d/dx log(1 + e^(βx))/β = σ(βx). */
class Softplus extends Function {
  static override forward(ctx: ContextWith<{ beta: number }>, x: Tensor, beta = 1): Tensor {
    ctx.saveForBackward(x);
    ctx.beta = beta;
    return x.mul(beta).exp().add(1).log().div(beta);
  }
  static override backward(ctx: ContextWith<{ beta: number }>, g: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    return [g.mul(x.mul(ctx.beta).sigmoid()), null];
  }
}

/** Softplus with β = 1 and one forward argument, for checkFunction (which takes tensors only). */
class UnitSoftplus extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.exp().add(1).log();
  }
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x.sigmoid());
  }
}

/** y = x·w (w of shape [3], x of shape [2, 3]) whose backward returns w's gradient unsummed — but w is broadcast, so that is allowed. */
class ScaleRows extends Function {
  static override forward(ctx: Context, x: Tensor, w: Tensor): Tensor {
    ctx.saveForBackward(x, w);
    return x.mul(w);
  }
  static override backward(ctx: Context, g: Tensor): Tensor[] {
    const [x, w] = ctx.savedTensors;
    return [g.mul(w), g.mul(x)];
  }
}

/** y = sum over rows of x·c, with c a constant [2, 3]: for w of shape [3] (not broadcast: y has shape [3]), backward returns a [2, 3] gradient. */
class WeightedColumnSum extends Function {
  static override forward(ctx: Context, w: Tensor, c: Tensor): Tensor {
    ctx.saveForBackward(c);
    return c.mul(w).sum(0);
  }
  static override backward(ctx: Context, g: Tensor): (Tensor | null)[] {
    const [c] = ctx.savedTensors;
    return [c.mul(g), null]; // shape [2, 3]: correct once summed over rows, but in a broadcast shape
  }
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const xs = [-1.5, 0.25, 2];
const x64 = () => tensor(xs, { dtype: 'float64', requiresGrad: true });

/** The node-by-node lines: input, index, x, upstream, analytic, numeric. */
function localLines(message: string) {
  const re = /input (\d+) at \[([\d,]*)\]: x (\S+), upstream (\S+), analytic (\S+?)(?: \(= f′\(x\)\))?, numeric (\S+), abs err (\S+), rel err (\S+)/g;
  return [...message.matchAll(re)].map((m) => ({ input: +m[1], index: m[2], x: +m[3], upstream: +m[4], analytic: +m[5], numeric: +m[6], abs: +m[7], rel: +m[8] }));
}

describe('gradcheck reports', () => {
  it('names the wrong Function in a composite expression, with x, upstream and f′ values', () => {
    const w = tensor([0.5, -2, 1.5], { dtype: 'float64', requiresGrad: true });
    const message = failure(() => gradcheck((x, v) => BadSoftplus.apply(x.mul(v)).mul(x).tanh(), [x64(), w]));
    expect(message).toMatch(/^gradcheck: analytic and numeric gradients differ/);
    expect(message).toMatch(/BadSoftplusBackward is wrong: BadSoftplus\.backward disagrees/);
    // Only the bad Function is blamed: Mul and Tanh pass alone.
    expect(message).not.toMatch(/MulBackward is wrong|TanhBackward is wrong/);
    const lines = localLines(message);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const l of lines) {
      // The x shown is what BadSoftplus saw: x·w, not the gradcheck input.
      const seen = xs[+l.index] * [0.5, -2, 1.5][+l.index];
      expect(l.x).toBeCloseTo(seen, 5);
      // analytic = upstream · σ(x)(1 − σ(x)); numeric = upstream · σ(x).
      expect(l.analytic).toBeCloseTo(l.upstream * sigmoid(seen) * (1 - sigmoid(seen)), 4);
      expect(l.numeric).toBeCloseTo(l.upstream * sigmoid(seen), 4);
      expect(l.abs).toBeCloseTo(Math.abs(l.analytic - l.numeric), 4);
      // 4–6 significant digits, not 16.
      expect(String(l.numeric).replace(/^-?0?\.?0*/, '').replace('.', '').length).toBeLessThanOrEqual(6);
    }
  });

  it("with upstream: 'ones' the analytic gradient of an elementwise Function is f′(x)", () => {
    const message = failure(() => gradcheck((x) => BadSoftplus.apply(x), [x64()], { upstream: 'ones' }));
    expect(message).toMatch(/upstream ones\); worst:/);
    const lines = localLines(message);
    expect(lines).toHaveLength(3);
    expect(message).toContain('(= f′(x))');
    for (const l of lines) {
      const x = xs[+l.index];
      expect(l.x).toBe(Number(x.toPrecision(6)));
      expect(l.upstream).toBe(1);
      expect(l.analytic).toBeCloseTo(sigmoid(x) * (1 - sigmoid(x)), 5);
      expect(l.numeric).toBeCloseTo(sigmoid(x), 5);
    }
    // And a correct Function passes with ones too.
    expect(gradcheck((x) => Softplus.apply(x, 2), [x64()], { upstream: 'ones' })).toBe(true);
  });

  it('shows the exact failure format', () => {
    const message = failure(() => gradcheck((x) => BadSoftplus.apply(x), [tensor([0.5], { dtype: 'float64', requiresGrad: true })], { upstream: 'ones' }));
    expect(message).toBe(
      [
        'gradcheck: analytic and numeric gradients differ for 1 of 1 elements (atol 0.00001, rtol 0.001, eps 0.000001, upstream ones); worst:',
        '  input 0, element 0 (index [0]): analytic 0.235004, numeric 0.622459 (x 0.5, abs err 0.387456, rel err 0.622459)',
        'BadSoftplusBackward is wrong: BadSoftplus.backward disagrees with finite differences of BadSoftplus.forward at the inputs it saw (1 element; worst):',
        '  input 0 at [0]: x 0.5, upstream 1, analytic 0.235004 (= f′(x)), numeric 0.622459, abs err 0.387456, rel err 0.622459',
      ].join('\n'),
    );
  });

  it('says so when every Function passes alone', () => {
    // Reading a value outside the graph (item) makes fn's gradient wrong while each op is right.
    const message = failure(() => gradcheck((x) => x.mul(x.sum().item()), [x64()]));
    expect(message).toMatch(/Node by node: each of the \d+ Function calls? passes alone/);
  });

  it('checkFunction passes correct Functions and fails wrong ones, naming them', () => {
    expect(checkFunction(UnitSoftplus, [tensor([-1, 0.5, 2], { dtype: 'float64' })])).toBe(true);
    expect(checkFunction(ScaleRows, [tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' }), tensor([0.5, -1, 2], { dtype: 'float64' })])).toBe(true);
    const message = failure(() => checkFunction(BadSoftplus, [tensor([-1, 0.5, 2], { dtype: 'float64' })], { upstream: 'ones' }));
    expect(message).toMatch(/BadSoftplusBackward is wrong/);
    expect(() => checkFunction(UnitSoftplus, [x64()], { upstream: 'twos' as 'ones' })).toThrow(/upstream must be 'random' or 'ones'/);
    expect(() => checkFunction(UnitSoftplus, [x64()], { strict: true } as object)).toThrow(/unknown option 'strict'/);
  });

  it('strictGradShapes refuses a broadcast-shaped gradient for an input that was not broadcast', () => {
    const c = tensor([[1, 2, 3], [-1, 0.5, 2]], { dtype: 'float64' });
    const w = () => tensor([0.3, -0.2, 0.7], { dtype: 'float64', requiresGrad: true });
    // By default the engine sums the [2, 3] gradient down to [3], and it is correct that way.
    expect(gradcheck((v) => WeightedColumnSum.apply(v, c), [w()])).toBe(true);
    expect(() => gradcheck((v) => WeightedColumnSum.apply(v, c), [w()], { strictGradShapes: true })).toThrow(ShapeError);
    expect(() => gradcheck((v) => WeightedColumnSum.apply(v, c), [w()], { strictGradShapes: true })).toThrow(
      /WeightedColumnSumBackward: backward returned a gradient of shape \[2,3\] for input 0 of shape \[3\].*strictGradShapes/,
    );
    // A gradient in the output shape for an input that was broadcast into it stays allowed.
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a, b) => ScaleRows.apply(a, b), [x, w()], { strictGradShapes: true })).toBe(true);
    // So do the library's own broadcasting ops.
    expect(gradcheck((a, b) => a.mul(b).add(b).div(a.add(3)), [x, w()], { strictGradShapes: true })).toBe(true);
  });

  it('checks its options', () => {
    expect(() => gradcheck((x) => x.exp(), [x64()], { eps: -1 })).toThrow(/eps must be/);
    expect(() => gradcheck((x) => x.exp(), [x64()], { up_stream: 'ones' } as object)).toThrow(/unknown option 'up_stream'/);
  });
});
