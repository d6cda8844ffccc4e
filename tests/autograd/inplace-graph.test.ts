/**
 * In-place ops on tensors in the graph, with PyTorch's semantics: each op is recorded (gradcheck
 * in float64 against finite differences, and the same values and gradients as its out-of-place
 * form), through views (the base's history rewritten, views made earlier regenerated), the
 * version check for tensors saved before a change, the refusals (leaves that require grad, views
 * of them, views made in noGrad, int tensors), noGrad still allowing everything, hooks and
 * retainGrad across a change, double backward, and copies of the old value kept only when needed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AutogradError, DTypeError, ShapeError, Tensor, grad, gradcheck, manualSeed, noGrad, rand, tensor, viz, zeros,
} from '../../src/index.js';

/** A float64 leaf of `shape` with values uniform in [lo, hi), requiring grad. */
function leaf(shape: number[], lo = -1, hi = 1): Tensor {
  return rand(shape, { dtype: 'float64' }).mul(hi - lo).add(lo).requiresGrad_();
}
const values = (t: Tensor | null) => {
  if (t === null) throw new Error('expected a tensor, got null');
  return Array.from(t.toTypedArray());
};
const close = (a: Tensor | null, b: Tensor | null) => {
  const [x, y] = [values(a), values(b)];
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(v).toBeCloseTo(y[i], 10));
};

/** One in-place op, its out-of-place form, and how to make its operand (null: none). */
interface OpCase {
  name: string;
  inPlace: (y: Tensor, o: Tensor) => Tensor;
  outOfPlace: (y: Tensor, o: Tensor) => Tensor;
  operand: (() => Tensor) | null;
}

const mask = () => tensor([[true, false, true], [false, false, true]]);
const cases: OpCase[] = [
  { name: 'add_', inPlace: (y, o) => y.add_(o), outOfPlace: (y, o) => y.add(o), operand: () => leaf([3]) },
  { name: 'sub_', inPlace: (y, o) => y.sub_(o), outOfPlace: (y, o) => y.sub(o), operand: () => leaf([2, 3]) },
  { name: 'mul_', inPlace: (y, o) => y.mul_(o), outOfPlace: (y, o) => y.mul(o), operand: () => leaf([2, 1]) },
  { name: 'div_', inPlace: (y, o) => y.div_(o), outOfPlace: (y, o) => y.div(o), operand: () => leaf([3], 0.5, 1.5) },
  { name: 'add_ (number)', inPlace: (y) => y.add_(2), outOfPlace: (y) => y.add(2), operand: null },
  { name: 'mul_ (number)', inPlace: (y) => y.mul_(-3), outOfPlace: (y) => y.mul(-3), operand: null },
  { name: 'div_ (number)', inPlace: (y) => y.div_(4), outOfPlace: (y) => y.div(4), operand: null },
  { name: 'clamp_', inPlace: (y) => y.clamp_(-0.3, 0.4), outOfPlace: (y) => y.clamp(-0.3, 0.4), operand: null },
  { name: 'relu_', inPlace: (y) => y.relu_(), outOfPlace: (y) => y.relu(), operand: null },
  { name: 'maskedFill_', inPlace: (y) => y.maskedFill_(mask(), 0.7), outOfPlace: (y) => y.maskedFill(mask(), 0.7), operand: null },
  { name: 'fill_', inPlace: (y) => y.fill_(2), outOfPlace: (y) => y.mul(0).add(2), operand: null },
  { name: 'zero_', inPlace: (y) => y.zero_(), outOfPlace: (y) => y.mul(0), operand: null },
  { name: 'copy_', inPlace: (y, o) => y.copy_(o), outOfPlace: (y, o) => o.expand(2, 3).add(y.mul(0)), operand: () => leaf([3]) },
];

/** y = f(x) in the graph, changed by `op`, then used nonlinearly. */
function pipeline(op: (y: Tensor, o: Tensor) => Tensor) {
  return (x: Tensor, o?: Tensor) => {
    const y = x.mul(1.5).sub(0.2);
    const before = y.add(0.3).sin(); // reads y (saving nothing of it) before the change
    const z = op(y, o ?? tensor(0, { dtype: 'float64' })); // y itself for an in-place op
    return z.mul(z.add(1)).add(before);
  };
}

describe('each in-place op is recorded in the graph', () => {
  for (const c of cases) {
    it(`${c.name}: same values and gradients as the out-of-place op, and gradcheck`, () => {
      manualSeed(19);
      const x = leaf([2, 3]);
      const xT = leaf([3, 2]).T; // a non-contiguous input
      const o = c.operand?.() ?? null;
      const inputs = (first: Tensor) => (o === null ? [first] : [first, o]);
      const recorded = pipeline(c.inPlace);
      const reference = pipeline(c.outOfPlace);
      close(recorded(x, o ?? undefined), reference(x, o ?? undefined));
      const upstream = rand([2, 3], { dtype: 'float64' });
      const got = grad(recorded(x, o ?? undefined), inputs(x), { gradOutputs: upstream });
      const want = grad(reference(x, o ?? undefined), inputs(x), { gradOutputs: upstream });
      got.forEach((g, i) => close(g, want[i]));
      expect(gradcheck(recorded, inputs(x))).toBe(true);
      expect(gradcheck(recorded, inputs(xT))).toBe(true);
    });
  }

  it('the op becomes the tensor’s gradFn; the tensor stays the same object', () => {
    const x = leaf([3]);
    const y = x.mul(2);
    expect(y.add_(1)).toBe(y);
    expect(y.gradFn?.name).toBe('AddBackward');
    expect(y.copy_(x).gradFn?.name).toBe('CopyBackward');
    expect(y.fill_(1).gradFn?.name).toBe('FillBackward');
    expect(y.isLeaf).toBe(false);
  });

  it('a tensor outside the graph joins it when an operand needs a gradient', () => {
    const w = leaf([3]);
    const buffer = zeros([2, 3], { dtype: 'float64' });
    buffer.add_(w).mul_(w);
    expect(buffer.requiresGrad).toBe(true);
    buffer.sum().backward();
    close(w.grad, w.mul(4).detach()); // d/dw Σ_rows (0 + w)·w = 2 rows · 2w
    expect(gradcheck((v) => zeros([2, 3], { dtype: 'float64' }).add_(v).mul_(v).sin(), [leaf([3])])).toBe(true);
  });

  it('a chain of in-place ops, the tensor read between them', () => {
    manualSeed(3);
    const f = (x: Tensor, w: Tensor) => {
      const y = x.mul(1.2).add(0.1);
      const a = y.mul(2);
      y.mul_(w);
      const b = y.add(0);
      y.sub_(x).div_(w.add(2));
      return a.add(b).add(y.sin());
    };
    expect(gradcheck(f, [leaf([4]), leaf([4])])).toBe(true);
  });

  it('the tensor as its own operand, and an overlapping view of it as the operand', () => {
    const x = tensor([0.5, -1, 2], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(2);
    y.add_(y).mul_(y); // (4x)² = 16x²
    y.sum().backward();
    expect(values(x.grad)).toEqual([16, -32, 64]);
    const shift = (a: Tensor) => {
      const b = a.mul(1.5);
      b.narrow(0, 1, 3).mul_(b.narrow(0, 0, 3)); // reads the old values of the elements it writes
      return b.sin();
    };
    expect(gradcheck(shift, [leaf([4])])).toBe(true);
  });

  it('a result wider than the tensor is refused with nothing changed', () => {
    const y = leaf([3]).mul(2);
    const before = values(y);
    expect(() => y.add_(leaf([2, 3]))).toThrow(/add_: the result of shape \[2, ?3\]/);
    expect(() => y.copy_(leaf([2, 3]))).toThrow(ShapeError);
    expect(values(y)).toEqual(before);
    expect(y.version.value).toBe(0);
    expect(y.gradFn?.name).toBe('MulBackward');
  });

  it('an int tensor cannot take a result that needs a gradient', () => {
    const i = tensor([1, 2, 3], { dtype: 'int32' });
    expect(() => i.add_(leaf([3]))).toThrow(DTypeError);
    expect(values(i)).toEqual([1, 2, 3]);
    expect(i.version.value).toBe(0);
  });
});

describe('in-place ops through views of tensors in the graph', () => {
  const views: [string, (y: Tensor) => Tensor][] = [
    ['narrow', (y) => y.narrow(1, 1, 2)],
    ['slice with a step', (y) => y.slice(1, 0, undefined, 2)],
    ['a row (narrow + squeeze)', (y) => y.narrow(0, 1, 1).squeeze(0)],
    ['transpose', (y) => y.transpose(0, 1)],
    ['T then narrow', (y) => y.T.narrow(0, 1, 2)],
    ['view', (y) => y.view(3, 2)],
    ['unsqueeze', (y) => y.unsqueeze(0)],
    ['a split part', (y) => y.split(2, 1)[0]],
  ];
  for (const [name, makeView] of views) {
    it(`${name}: the base and the view both carry the change (gradcheck)`, () => {
      manualSeed(7);
      const f = (x: Tensor, w: Tensor) => {
        const y = x.mul(1.5);
        const v = makeView(y);
        v.mul_(w.sum()).add_(w.mean());
        return y.mul(y).add(v.sum());
      };
      expect(gradcheck(f, [leaf([2, 3]), leaf([2])])).toBe(true);
    });
  }

  it('matches the out-of-place equivalent: y[:, 1:3] *= w', () => {
    const x = leaf([2, 3]);
    const w = leaf([2]);
    const y = x.mul(1);
    y.narrow(1, 1, 2).mul_(w);
    expect(y.gradFn?.name).toBe('CopySlicesBackward');
    const upstream = rand([2, 3], { dtype: 'float64' });
    const [gx, gw] = grad(y, [x, w], { gradOutputs: upstream });
    const wide = zeros([2, 3], { dtype: 'float64' });
    noGrad(() => {
      wide.narrow(1, 0, 1).fill_(1);
      wide.narrow(1, 1, 2).copy_(w.detach());
    });
    close(y, x.mul(wide));
    close(gx, upstream.mul(wide));
    close(gw, upstream.narrow(1, 1, 2).mul(x.detach().narrow(1, 1, 2)).sum(0));
  });

  it('the view gets AsStrided of the base; a view made before a change to its base follows it', () => {
    const x = leaf([2, 3]);
    const y = x.mul(2);
    const v = y.narrow(1, 0, 2);
    y.mul_(3);
    v.sum().backward(); // v's values are 6x: the gradient must pass through mul_
    expect(values(x.grad)).toEqual([6, 6, 0, 6, 6, 0]);
    expect(v.gradFn?.name).toBe('AsStridedBackward');
    manualSeed(5);
    const stale = (a: Tensor, w: Tensor) => {
      const b = a.mul(1.5);
      const before = b.narrow(1, 0, 2);
      const sibling = b.narrow(1, 1, 2);
      b.narrow(1, 0, 2).mul_(w); // changes `before` and half of `sibling`
      return before.exp().add(sibling.sin());
    };
    expect(gradcheck(stale, [leaf([2, 3]), leaf([2, 1])])).toBe(true);
  });

  it('changes through views, a view of a view and the base, interleaved', () => {
    manualSeed(2);
    const f = (x: Tensor, w: Tensor) => {
      const y = x.mul(1);
      const v = y.narrow(0, 0, 2);
      v.mul_(w);
      y.add_(1); // v is now out of date: regenerated from y when used
      const vt = v.T;
      vt.narrow(0, 0, 1).mul_(w.narrow(0, 0, 1).T);
      v.div_(w.add(1));
      return v.sin().add(y.sum()).add(vt.sum());
    };
    expect(gradcheck(f, [leaf([3, 2], 0.5, 1.5), leaf([2, 1], 0.5, 1.5)])).toBe(true);
    const overlapping = (x: Tensor) => {
      const y = x.mul(2);
      const a = y.narrow(0, 0, 2);
      const b = y.narrow(0, 1, 2);
      a.add_(b);
      b.mul_(a);
      return y.exp();
    };
    expect(gradcheck(overlapping, [leaf([3, 2])])).toBe(true);
  });

  it('a buffer outside the graph filled through views, row by row', () => {
    const f = (x: Tensor) => {
      const out = zeros([3, 2], { dtype: 'float64' });
      for (let i = 0; i < 3; i++) out.narrow(0, i, 1).copy_(x.narrow(0, i, 1).mul(i + 1).exp());
      return out.sin();
    };
    expect(gradcheck(f, [leaf([3, 2])])).toBe(true);
  });

  it('a base whose own strides are not row-major', () => {
    const f = (w: Tensor) => {
      const base = new Tensor(new Float64Array(6), [2, 3], { strides: [1, 2] });
      base.narrow(1, 1, 2).copy_(w);
      return base.mul(base.add(1));
    };
    expect(gradcheck(f, [leaf([2, 2])])).toBe(true);
  });

  it('a view of a base that repeats elements in memory is refused before anything changes', () => {
    const storage = new Float64Array(3);
    const base = new Tensor(storage, [2, 3], { strides: [0, 1] }); // both rows are the same memory
    const row = base.narrow(0, 0, 1);
    expect(() => row.copy_(leaf([1, 3]))).toThrow(/repeats elements in memory/);
    expect(Array.from(storage)).toEqual([0, 0, 0]);
    expect(base.version.value).toBe(0);
  });

  it('an expanded view is still refused', () => {
    const y = leaf([1, 3]).mul(1);
    expect(() => y.expand(3, 3).add_(1)).toThrow(ShapeError);
  });
});

describe('random shapes and view regions', () => {
  it('every op through a random narrow of a random (possibly transposed) base: gradcheck', () => {
    const shapeAndRegion = fc
      .record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 4 }), transposed: fc.boolean(), op: fc.integer({ min: 0, max: cases.length - 1 }), seed: fc.integer({ min: 0, max: 1000 }) })
      .chain((c) => fc.record({ start: fc.integer({ min: 0, max: c.cols - 1 }) }).chain(({ start }) => fc.record({ c: fc.constant(c), start: fc.constant(start), length: fc.integer({ min: 1, max: c.cols - start }) })));
    fc.assert(
      fc.property(shapeAndRegion, ({ c, start, length }) => {
        manualSeed(c.seed);
        const op = cases[c.op];
        const x = c.transposed ? leaf([c.cols, c.rows]).T : leaf([c.rows, c.cols]);
        // Operands in the view's shape [rows, length] (mask-based and scalar ops need none).
        const operand = op.operand === null ? null : leaf([1, length], 0.5, 1.5);
        const f = (a: Tensor, o?: Tensor) => {
          const y = a.mul(1.5).add(0.1);
          const region = y.narrow(1, start, length);
          if (op.name === 'maskedFill_') region.maskedFill_(region.gt(0.5), 0.7);
          else op.inPlace(region, o ?? tensor(0, { dtype: 'float64' }));
          return y.mul(y).add(region.sum());
        };
        return gradcheck(f, operand === null ? [x] : [x, operand]);
      }),
      { seed: 1919, numRuns: 25 },
    );
  });
});

describe('what is refused, and what noGrad allows', () => {
  it('a leaf that requires grad is refused with grad mode on, and left unchanged', () => {
    const w = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    expect(() => w.add_(1)).toThrow(/add_: a leaf tensor that requires grad .* in-place operation/);
    expect(() => w.copy_(tensor([5, 5]))).toThrow(AutogradError);
    expect(values(w)).toEqual([1, 2]);
    expect(w.version.value).toBe(0);
  });

  it('a view of such a leaf is refused too', () => {
    const w = tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    expect(() => w.narrow(0, 0, 1).mul_(2)).toThrow(/mul_: a view .* of a leaf tensor that requires grad/);
    expect(() => w.T.zero_()).toThrow(AutogradError);
    expect(values(w)).toEqual([1, 2, 3, 4]);
  });

  it('noGrad allows both, bumps the version and records nothing', () => {
    const w = tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    noGrad(() => {
      w.mul_(2);
      w.narrow(0, 0, 1).add_(1);
      w.T.narrow(0, 1, 1).clamp_(null, 5);
    });
    expect(values(w)).toEqual([3, 5, 6, 5]);
    expect(w.isLeaf).toBe(true);
    expect(w.gradFn).toBeNull();
    expect(w.version.value).toBe(3);
    const y = w.mul(2);
    noGrad(() => y.add_(1)); // a non-leaf too: not recorded
    expect(y.gradFn?.name).toBe('MulBackward');
  });

  it('a view made inside noGrad cannot be changed with grad mode on', () => {
    const y = leaf([2, 2]).mul(2);
    const v = noGrad(() => y.narrow(0, 0, 1));
    expect(() => v.mul_(2)).toThrow(/made inside noGrad/);
    expect(y.gradFn?.name).toBe('MulBackward');
  });
});

describe('the version check: tensors saved before a change', () => {
  it('a backward that reads a saved tensor changed in place fails, naming the op', () => {
    const x = leaf([3]);
    const e = x.exp(); // ExpBackward saves its output
    e.add_(1);
    expect(() => e.sum().backward()).toThrow(/ExpBackward.*in-place/s);
    const s = x.sigmoid();
    s.mul_(2);
    expect(() => s.sum().backward()).toThrow(/SigmoidBackward.*in-place/s);
    const r = x.relu();
    r.mul_(2);
    expect(() => r.sum().backward()).toThrow(/ReluBackward.*in-place/s);
    const w = leaf([3]);
    const a = x.mul(2);
    const b = a.mul(w); // MulBackward saves a, for w's gradient
    a.add_(1);
    expect(() => b.sum().backward()).toThrow(/MulBackward.*in-place/s);
  });

  it('an operand saved by the in-place op, changed later, is caught too', () => {
    const x = leaf([3]);
    const w = leaf([3]);
    const y = x.mul(2);
    y.mul_(w);
    noGrad(() => w.add_(1)); // an optimizer step
    expect(() => y.sum().backward()).toThrow(/MulBackward.*in-place/s);
  });

  it('a tensor not saved may change: mul by a constant keeps nothing of it', () => {
    const x = leaf([3]);
    const a = x.mul(2);
    const b = a.mul(3);
    a.add_(1);
    b.sum().backward();
    expect(values(x.grad)).toEqual([6, 6, 6]);
  });

  it('grad() with respect to a tensor changed after use: its new version is not in the graph', () => {
    const x = leaf([3]);
    const y = x.mul(2);
    const z = y.mul(3);
    y.add_(1);
    expect(() => grad(z.sum(), [y], { retainGraph: true })).toThrow(/not used/);
    const [g] = grad(y.sum(), [y]);
    expect(values(g)).toEqual([1, 1, 1]);
  });
});

describe('copies of the old value, hooks, retainGrad, double backward', () => {
  it('keeps a copy of the old value only where the backward reads it', () => {
    const x = leaf([3]);
    const savedOf = (t: Tensor) => (t.gradFn?.ctx.savedTensors ?? []) as Tensor[];
    const byNumber = x.mul(2);
    byNumber.mul_(3);
    expect(savedOf(byNumber).some((s) => s.storage === byNumber.storage)).toBe(false);
    expect(savedOf(byNumber).length).toBe(1); // the constant only
    const added = x.mul(2);
    added.add_(x);
    expect(savedOf(added).length).toBe(0);
    const byTensor = x.mul(2);
    byTensor.mul_(x);
    const kept = savedOf(byTensor).filter((s) => s.storage !== x.storage);
    expect(kept.length).toBe(1);
    expect(values(kept[0])).toEqual(values(x.mul(2))); // the value before the change
    const clamped = x.mul(2);
    clamped.clamp_(-0.5, 0.5);
    expect(savedOf(clamped).every((s) => s.storage !== clamped.storage)).toBe(true);
  });

  it('hooks registered before a change see the old version’s gradient; retainGrad keeps the latest', () => {
    const x = leaf([2]);
    const y = x.mul(2);
    y.retainGrad();
    const seen: number[][] = [];
    y.registerHook((g) => void seen.push(values(g)));
    y.mul_(3);
    y.registerHook((g) => void seen.push(values(g)));
    y.sum().backward();
    expect(seen).toEqual([[1, 1], [3, 3]]);
    expect(values(y.grad)).toEqual([1, 1]);
    expect(values(x.grad)).toEqual([6, 6]);
  });

  it('gradients of gradients pass through in-place ops and views', () => {
    const x = tensor([0.5, -1, 2], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(2);
    y.mul_(x); // y = 2x²
    const [g] = grad(y.sum(), [x], { createGraph: true });
    expect(values(g)).toEqual([2, -4, 8]);
    const [h] = grad((g as Tensor).sum(), [x]);
    expect(values(h)).toEqual([4, 4, 4]);
    const z = x.mul(1);
    z.narrow(0, 1, 2).mul_(x.narrow(0, 0, 2)); // z = [x0, x1·x0, x2·x1]
    const [gz] = grad(z.sum(), [x], { createGraph: true });
    expect(values(gz)).toEqual([0, 2.5, -1]); // [1 + x1, x0 + x2, x1]
    const [hz] = grad((gz as Tensor).mul(x).sum(), [x]); // ∇(x0 + 2·x0·x1 + 2·x1·x2)
    expect(values(hz)).toEqual([-1, 5, -2]);
  });

  it('a zero-size tensor can change in place', () => {
    expect(() => zeros([3, 0]).fill_(1)).not.toThrow();
    expect(() => zeros([0]).add_(1)).not.toThrow();
  });
});

describe('the graph as printed', () => {
  it('shows the in-place op above the version it changed; an op that read the old version shows that one', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(2);
    const before = y.mul(3);
    y.add_(1);
    const ops = (t: Tensor) => viz.formatGraph(t).split('\n').map((l) => l.replace(/[│├└─ ]+/g, ' ').trim().split(' ')[0]);
    expect(ops(y)).toEqual(['AddBackward', 'MulBackward', 'leaf']);
    expect(ops(before)).toEqual(['MulBackward', 'MulBackward', 'leaf']); // read y before the change
    expect(viz.graphToDot(before)).not.toContain('AddBackward');
  });
});
