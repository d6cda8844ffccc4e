/**
 * The autograd engine and its tools: user-defined Functions, accumulation, retainGraph, grad mode,
 * detach, retainGrad, hooks, version counters and in-place rules, deep graphs, higher-order
 * gradients (grad with createGraph, a Hessian-vector product), allowUnused and detectAnomaly.
 */
import { describe, expect, it } from 'vitest';
import {
  AutogradError, Function, ShapeError, detectAnomaly, enableGrad, grad, isGradEnabled, noGrad, ones, tensor, zeros,
  type Context, type ContextWith, type Tensor,
} from '../../src/index.js';
import { Cube } from './custom-ops.js';

const f64 = (v: number | number[] | number[][], requiresGrad = true) => tensor(v, { dtype: 'float64', requiresGrad });
const values = (t: Tensor | null) => {
  if (t === null) throw new Error('expected a gradient, got null');
  return Array.from(t.toTypedArray());
};

describe('user-defined Function', () => {
  it('runs the Cube example: forward, gradFn, backward 3x²', () => {
    const x = f64([1, -2, 0.5]);
    const y = Cube.apply(x);
    expect(values(y)).toEqual([1, -8, 0.125]);
    expect(y.gradFn?.name).toBe('CubeBackward');
    expect(y.isLeaf).toBe(false);
    y.sum().backward();
    expect(values(x.grad)).toEqual([3, 12, 0.75]);
  });

  it('sets ctx.needsInputGrad in forward and backward, false for non-tensors and tensors without grad', () => {
    const seen: boolean[][] = [];
    class ScaleBy extends Function {
      static override forward(ctx: ContextWith<{ k: number }>, a: Tensor, b: Tensor, k: number): Tensor {
        seen.push([...ctx.needsInputGrad]);
        ctx.k = k;
        return a.mul(b).mul(k);
      }
      static override backward(ctx: ContextWith<{ k: number }>, g: Tensor): (Tensor | null)[] {
        seen.push([...ctx.needsInputGrad]);
        return [ctx.needsInputGrad[0] ? g.mul(ctx.k) : null, null, null];
      }
    }
    const a = f64([1, 2]);
    const b = f64([3, 4], false);
    ScaleBy.apply(a, b, 2).sum().backward();
    expect(seen).toEqual([[true, false, false], [true, false, false]]);
    expect(values(a.grad)).toEqual([2, 2]);
    noGrad(() => ScaleBy.apply(a, b, 2));
    expect(seen[2]).toEqual([false, false, false]);
  });

  it('rejects a backward that returns the wrong number of gradients', () => {
    class TwoForOne extends Function {
      static override forward(_ctx: Context, x: Tensor): Tensor {
        return x.mul(2);
      }
      static override backward(_ctx: Context, g: Tensor): Tensor[] {
        return [g, g];
      }
    }
    const y = TwoForOne.apply(f64([1])).sum();
    expect(() => y.backward()).toThrow(AutogradError);
  });

  it('sums a gradient returned in a broadcast shape down to its input', () => {
    const x = f64([[1], [2]]);
    const y = x.add(zeros(2, 3, { dtype: 'float64' }));
    y.backward(ones(2, 3, { dtype: 'float64' }));
    expect(x.grad?.shape).toEqual([2, 1]);
    expect(values(x.grad)).toEqual([3, 3]);
  });
});

describe('backward', () => {
  it('accumulates over paths and over calls into leaves', () => {
    const x = f64([2, 3]);
    const y = x.mul(x).add(x).sum(); // dy/dx = 2x + 1
    y.backward(undefined, { retainGraph: true });
    expect(values(x.grad)).toEqual([5, 7]);
    y.backward();
    expect(values(x.grad)).toEqual([10, 14]);
  });

  it('throws a clear AutogradError on a second backward through a freed graph', () => {
    const x = f64([0.5, 1]);
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(AutogradError);
    expect(() => y.backward()).toThrow(/second time.*retainGraph/s);
  });

  it('with retainGraph runs again and accumulates', () => {
    const x = f64([0.5, 1]);
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(values(x.grad)).toEqual([2 * Math.exp(0.5), 2 * Math.exp(1)]);
  });

  it('refuses outputs that cannot start a backward', () => {
    expect(() => f64([1, 2], false).sum().backward()).toThrow(AutogradError);
    expect(() => f64([1, 2]).mul(2).backward()).toThrow(/one-element/);
    expect(() => f64([1, 2]).mul(2).backward(ones(3, { dtype: 'float64' }))).toThrow(ShapeError);
  });

  it('backpropagates through a chain of 10,000 ops without overflowing the stack', () => {
    const x = f64(1);
    let y = x;
    for (let i = 0; i < 10_000; i++) y = y.mul(1.0001);
    y.backward();
    expect(x.grad?.item()).toBeCloseTo(1.0001 ** 10_000, 8);
  });
});

describe('grad mode', () => {
  it('noGrad stops recording, enableGrad restores it, and both restore the mode after a throw', () => {
    const x = f64([1]);
    expect(isGradEnabled()).toBe(true);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const inner = enableGrad(() => {
        expect(isGradEnabled()).toBe(true);
        return x.mul(2);
      });
      expect(inner.requiresGrad).toBe(true);
      return x.mul(2);
    });
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(() => noGrad(() => { throw new Error('inside'); })).toThrow('inside');
    expect(isGradEnabled()).toBe(true);
  });

  it('detach shares storage and stops the gradient', () => {
    const x = f64([2, 3]);
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.storage).toBe(x.storage);
    x.mul(d).sum().backward(); // d/dx (x · const) = const
    expect(values(x.grad)).toEqual([2, 3]);
  });

  it('retainGrad keeps a non-leaf gradient; others stay null', () => {
    const x = f64([1, 2]);
    const h = x.mul(3);
    const k = h.mul(2);
    h.retainGrad();
    k.sum().backward();
    expect(values(h.grad)).toEqual([2, 2]);
    expect(k.grad).toBeNull();
    expect(values(x.grad)).toEqual([6, 6]);
  });
});

describe('hooks', () => {
  it('a returned tensor replaces the gradient; remove() unregisters', () => {
    const x = f64([1, 2]);
    const seen: number[][] = [];
    const h = x.mul(x);
    const handle = h.registerHook((g) => g.mul(10));
    x.registerHook((g) => {
      seen.push(values(g));
    });
    h.sum().backward();
    expect(values(x.grad)).toEqual([20, 40]); // 2x · 10
    expect(seen).toEqual([[20, 40]]);
    handle.remove();
    x.grad = null;
    x.mul(x).sum().backward();
    expect(values(x.grad)).toEqual([2, 4]);
  });
});

describe('in-place ops and version counters', () => {
  it('a saved tensor changed in place makes backward throw, naming the op', () => {
    const x = f64([1, 2]);
    const c = f64([3, 4], false);
    const y = x.mul(c).sum();
    c.add_(1);
    expect(() => y.backward()).toThrow(AutogradError);
    expect(() => x.mul(c).exp().sum().backward()).not.toThrow();
    const z = x.exp();
    const s = z.sum();
    noGrad(() => z.mul_(2));
    expect(() => s.backward()).toThrow(/ExpBackward.*in-place/s);
  });

  it('a leaf that requires grad cannot change in place in grad mode, but can in noGrad', () => {
    const w = f64([1, 2]);
    expect(() => w.add_(1)).toThrow(AutogradError);
    expect(values(w)).toEqual([1, 2]);
    const before = w.version.value;
    noGrad(() => w.sub_(tensor([0.5, 0.5], { dtype: 'float64' })));
    expect(values(w)).toEqual([0.5, 1.5]);
    expect(w.version.value).toBe(before + 1);
    // A non-leaf, or a tensor joined by an operand in the graph, changes in place and is recorded.
    expect(f64([1]).mul(2).mul_(2).gradFn?.name).toBe('MulBackward');
    expect(zeros(2).add_(f64([1, 1])).requiresGrad).toBe(true);
  });

  it('a change through a view reaches its base and shares its version', () => {
    const base = zeros(2, 3);
    const col = base.narrow(1, 1, 2);
    col.fill_(5);
    base.T.slice(0, 0, 1).add_(1); // first column through a transposed view
    expect(base.toArray()).toEqual([[1, 5, 5], [1, 5, 5]]);
    expect(col.version).toBe(base.version);
    expect(base.version.value).toBe(2);
    const stepped = base.reshape(6).slice(0, 0, undefined, 2);
    stepped.mul_(tensor([2, 3, 4]));
    expect(base.toArray()).toEqual([[2, 5, 15], [1, 20, 5]]);
    expect(() => base.narrow(0, 0, 1).expand(3, 3).zero_()).toThrow(ShapeError);
  });

  it('in-place ops return the tensor itself; copy_ and clamp_ broadcast and cast', () => {
    const t = zeros(2, 2);
    expect(t.copy_(tensor([1.5, -2.5], { dtype: 'float64' }))).toBe(t);
    expect(t.toArray()).toEqual([[1.5, -2.5], [1.5, -2.5]]);
    expect(t.clamp_(-1, 1).toArray()).toEqual([[1, -1], [1, -1]]);
    expect(t.zero_().toArray()).toEqual([[0, 0], [0, 0]]);
  });
});

describe('grad()', () => {
  it('returns gradients without touching .grad', () => {
    const x = f64([1, 2]);
    const [g] = grad(x.mul(x).sum(), [x]);
    expect(values(g)).toEqual([2, 4]);
    expect(x.grad).toBeNull();
  });

  it('second order with createGraph: d²/dx² x³ = 6x and d²/dx² tanh x = −2 tanh x (1 − tanh² x)', () => {
    const x = f64([-1.5, 0.25, 2]);
    const [g1] = grad(Cube.apply(x).sum(), [x], { createGraph: true });
    expect(g1?.requiresGrad).toBe(true);
    const [g2] = grad((g1 as Tensor).sum(), [x]);
    expect(values(g2)).toEqual([-9, 1.5, 12].map((v) => expect.closeTo(v, 12)));

    const [t1] = grad(x.tanh().sum(), [x], { createGraph: true });
    const [t2] = grad((t1 as Tensor).sum(), [x]);
    const want = [-1.5, 0.25, 2].map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2));
    values(t2).forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  });

  it('a Hessian-vector product of a small MLP loss matches finite differences of its gradient', () => {
    // loss(W1, W2) = mean((tanh(X W1) W2 − T)²), built from raw tensors.
    const X = tensor([[0.5, -1, 0.3], [1.2, 0.1, -0.7], [-0.4, 0.8, 0.9], [0.2, -0.3, 0.6]], { dtype: 'float64' });
    const T = tensor([[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2], [0.0, 0.7]], { dtype: 'float64' });
    const w1 = [[0.3, -0.2, 0.5, 0.1], [-0.6, 0.4, 0.2, -0.3], [0.1, 0.7, -0.4, 0.2]];
    const w2 = [[0.5, -0.1], [0.2, 0.3], [-0.4, 0.6], [0.3, -0.2]];
    const v1 = tensor([[0.2, -0.1, 0.4, 0.3], [0.5, 0.1, -0.2, 0.2], [-0.3, 0.2, 0.1, -0.4]], { dtype: 'float64' });
    const v2 = tensor([[0.1, 0.4], [-0.3, 0.2], [0.2, -0.1], [0.5, 0.3]], { dtype: 'float64' });
    const loss = (W1: Tensor, W2: Tensor) => X.matmul(W1).tanh().matmul(W2).sub(T).pow(2).mean();
    const gradAt = (a: Tensor, b: Tensor) => {
      const [ga, gb] = grad(loss(a, b), [a, b]);
      return [...values(ga), ...values(gb)];
    };

    const W1 = f64(w1);
    const W2 = f64(w2);
    const [g1, g2] = grad(loss(W1, W2), [W1, W2], { createGraph: true }) as Tensor[];
    const gv = g1.mul(v1).sum().add(g2.mul(v2).sum());
    const [h1, h2] = grad(gv, [W1, W2]);
    const hvp = [...values(h1), ...values(h2)];

    const eps = 1e-5;
    const shifted = (sign: number) => gradAt(f64(w1).add(v1.mul(sign * eps)).detach().requiresGrad_(), f64(w2).add(v2.mul(sign * eps)).detach().requiresGrad_());
    const plus = shifted(1);
    const minus = shifted(-1);
    const numeric = plus.map((p, i) => (p - minus[i]) / (2 * eps));
    expect(hvp.some((h) => Math.abs(h) > 1e-3)).toBe(true);
    hvp.forEach((h, i) => expect(Math.abs(h - numeric[i])).toBeLessThan(1e-7));
  });

  it('allowUnused: null for an unused input, else an AutogradError naming it', () => {
    const x = f64([1, 2]);
    const unused = f64([3]);
    const y = x.mul(2).sum();
    expect(() => grad(y, [x, unused], { retainGraph: true })).toThrow(/input 1/);
    const [gx, gu] = grad(y, [x, unused], { allowUnused: true });
    expect(values(gx)).toEqual([2, 2]);
    expect(gu).toBeNull();
  });

  it('takes gradOutputs for non-scalar outputs', () => {
    const x = f64([1, 2, 3]);
    const [g] = grad(x.mul(x), [x], { gradOutputs: tensor([1, 0, -1], { dtype: 'float64' }) });
    expect(values(g)).toEqual([2, 0, -6]);
  });
});

describe('detectAnomaly', () => {
  it('throws on the first op whose output is NaN or Inf, naming it', () => {
    expect(() => detectAnomaly(() => f64([-1]).log())).toThrow(/Log/);
    expect(() => detectAnomaly(() => tensor([0]).div(tensor([0])))).toThrow(AutogradError);
    expect(() => detectAnomaly(() => tensor([0]).div(tensor([0])))).toThrow(/Div/);
    expect(values(f64([-1]).log())[0]).toBeNaN(); // outside, a NaN is just a value
  });

  it('names the op whose backward produced a NaN/Inf gradient', () => {
    const x = f64([0, 1]);
    expect(() => detectAnomaly(() => x.sqrt().sum().backward())).toThrow(/SqrtBackward produced Infinity.*created at/s);
    // A NaN the user's own forward made is reported at that op, even inside a backward's ops.
    const y = f64([1]);
    expect(() => detectAnomaly(() => y.sub(1).log().sum().backward())).toThrow(/detectAnomaly: Log produced -Infinity/);
  });
});
