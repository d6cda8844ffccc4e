/**
 * backwardSteps: backward() one step at a time, on the engine's own step function. On random
 * graphs (add, mul, tanh, exp, sum over earlier results, so subexpressions are shared) stepping
 * to the end leaves exactly the `.grad` backward() leaves, every step's gradient is exactly the
 * sum of what earlier steps sent it, and the shared/accumulated/pending flags match the graph.
 * Also: hooks, retainGrad, in-place history, errors, and freeing the graph after the last step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AutogradError, ShapeError, backwardSteps, detectAnomaly, isGradEnabled, tensor, type BackwardStep, type Tensor } from 'tsgrad';

/** One instruction: an op over earlier slots (the leaves are slots 0–2). */
type Instr = { op: 'add' | 'mul'; a: number; b: number } | { op: 'tanh' | 'exp' | 'sum'; a: number };

const program = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.tuple(
    ...Array.from({ length: n }, (_, k) =>
      fc.oneof(
        fc.record({ op: fc.constantFrom('add' as const, 'mul' as const), a: fc.nat(k + 2), b: fc.nat(k + 2) }),
        fc.record({ op: fc.constantFrom('tanh' as const, 'exp' as const, 'sum' as const), a: fc.nat(k + 2) }),
      ),
    ),
  ),
);

const leafValues = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 });

/** Fresh leaves a [2, 3], b [3] (broadcast), c [1, 3], and the program's root (the sum of its last slot, plus the leaf a once more). */
function build(prog: readonly Instr[], v: readonly number[]): { leaves: Tensor[]; root: Tensor } {
  const leaves = [
    tensor([v.slice(0, 3), v.slice(3, 6)], { dtype: 'float64', requiresGrad: true }),
    tensor(v.slice(6, 9), { dtype: 'float64', requiresGrad: true }),
    tensor([v.slice(3, 6)], { dtype: 'float64', requiresGrad: true }),
  ];
  const slots: Tensor[] = [...leaves];
  for (const ins of prog) {
    const x = slots[ins.a]!;
    if (ins.op === 'add') slots.push(x.add(slots[ins.b]!));
    else if (ins.op === 'mul') slots.push(x.mul(slots[ins.b]!));
    else if (ins.op === 'tanh') slots.push(x.tanh());
    else if (ins.op === 'exp') slots.push(x.tanh().exp());
    else slots.push(x.sum());
  }
  return { leaves, root: slots[slots.length - 1]!.sum().add(leaves[0]!.sum()) };
}

const arrayOf = (t: Tensor | null) => (t === null ? null : Array.from(t.toTypedArray()));

describe('backwardSteps on random graphs', () => {
  it('stepping to the end leaves exactly the .grad values backward() leaves', () => {
    fc.assert(
      fc.property(program, leafValues, (prog, v) => {
        const once = build(prog, v);
        once.root.backward();
        const stepped = build(prog, v);
        const steps = [...backwardSteps(stepped.root)];
        stepped.leaves.forEach((leaf, i) => expect(arrayOf(leaf.grad)).toEqual(arrayOf(once.leaves[i]!.grad)));
        // The leaves' own steps carry those gradients, and the last total sent to a leaf is it.
        for (const leaf of stepped.leaves) {
          const own = steps.find((s) => s.tensor === leaf);
          const lastTotal = steps.flatMap((s) => s.inputs).filter((e) => e.tensor === leaf).at(-1)?.total ?? null;
          expect(arrayOf(own?.grad ?? null)).toEqual(arrayOf(leaf.grad));
          expect(arrayOf(lastTotal)).toEqual(arrayOf(leaf.grad));
        }
      }),
      { seed: 18, numRuns: 150 },
    );
  });

  it('each step’s gradient is the sum, in order, of what earlier steps sent its tensor; flags match the graph', () => {
    fc.assert(
      fc.property(program, leafValues, (prog, v) => {
        const { root } = build(prog, v);
        const steps: BackwardStep[] = [...backwardSteps(root)];
        expect(steps[0]!.tensor).toBe(root);
        expect(steps[0]!.index).toBe(0);
        const sentTo = new Map<Tensor, Tensor[]>();
        const edges = new Map<Tensor, number>();
        for (const s of steps) for (const e of s.inputs) if (e.tensor) edges.set(e.tensor, (edges.get(e.tensor) ?? 0) + 1);
        const seen = new Map<Tensor, number>();
        steps.forEach((s, k) => {
          expect(s.index).toBe(k);
          if (k > 0) {
            // Complete: every edge into it has been walked, and the parts add up to its gradient.
            const parts = sentTo.get(s.tensor) ?? [];
            expect(parts.length).toBe(edges.get(s.tensor));
            const sum = parts.slice(1).reduce((acc, g) => acc.add(g), parts[0]!);
            expect(arrayOf(s.grad)).toEqual(arrayOf(sum.reshape(s.tensor.shape)));
          }
          expect(s.node).toBe(s.tensor.gradFn);
          expect(s.inputs.length).toBe(s.node?.inputs.length ?? 0);
          s.inputs.forEach((e) => {
            if (e.tensor === null || e.grad === null) return;
            const before = sentTo.get(e.tensor) ?? [];
            expect(e.accumulated).toBe(before.length > 0);
            before.push(e.grad);
            sentTo.set(e.tensor, before);
            seen.set(e.tensor, (seen.get(e.tensor) ?? 0) + 1);
            expect(e.grad.shape).toEqual(e.tensor.shape);
            expect(e.shared).toBe((edges.get(e.tensor) ?? 0) > 1);
          });
          // `total` and `pending` are read after the whole step (an op reading x twice sends x both shares).
          s.inputs.forEach((e) => {
            if (e.tensor === null) return;
            expect(e.pending).toBeGreaterThanOrEqual(0);
            const parts = sentTo.get(e.tensor)!;
            const sum = parts.slice(1).reduce((acc, g) => acc.add(g), parts[0]!);
            expect(arrayOf(e.total)).toEqual(arrayOf(sum));
          });
          expect(s.inputs.filter((e) => e.tensor !== null).every((e) => e.pending === (edges.get(e.tensor!) ?? 0) - (seen.get(e.tensor!) ?? 0))).toBe(true);
        });
      }),
      { seed: 1818, numRuns: 100 },
    );
  });
});

describe('backwardSteps', () => {
  const scalar = (x: number) => tensor(x, { dtype: 'float64', requiresGrad: true });

  it('walks a·b + c in the engine’s order (each tensor after everything computed from it), with the local gradients of each step', () => {
    const a = scalar(2);
    const b = scalar(-3);
    const c = scalar(10);
    const y = a.mul(b).add(c);
    const seen = [...backwardSteps(y)].map((s) => ({
      op: s.node?.name ?? (s.tensor === a ? 'a' : s.tensor === b ? 'b' : 'c'),
      grad: s.grad.item(),
      sent: s.inputs.map((e) => e.grad?.item()),
    }));
    expect(seen).toEqual([
      { op: 'AddBackward', grad: 1, sent: [1, 1] },
      { op: 'c', grad: 1, sent: [] },
      { op: 'MulBackward', grad: 1, sent: [-3, 2] },
      { op: 'b', grad: 2, sent: [] },
      { op: 'a', grad: -3, sent: [] },
    ]);
    expect([a.grad?.item(), b.grad?.item(), c.grad?.item()]).toEqual([-3, 2, 1]);
  });

  it('marks a shared input: (a + b)·a sends a its second share, accumulated, and completes it', () => {
    const a = scalar(3);
    const b = scalar(4);
    const steps = [...backwardSteps(a.add(b).mul(a))];
    const mul = steps[0]!;
    expect(mul.inputs.map((e) => [e.shared, e.accumulated, e.pending])).toEqual([[false, false, 0], [true, false, 1]]);
    const add = steps[1]!;
    expect(add.node?.name).toBe('AddBackward');
    expect(add.inputs[0]!.tensor).toBe(a);
    expect([add.inputs[0]!.shared, add.inputs[0]!.accumulated, add.inputs[0]!.pending]).toEqual([true, true, 0]);
    expect(add.inputs[0]!.total?.item()).toBe(7 + 3); // ∂/∂a of (a + b)·a = (a + b) + a
  });

  it('an op that reads its input twice (a·a) accumulates both shares in one step', () => {
    const a = scalar(5);
    const [step] = backwardSteps(a.mul(a));
    expect(step!.inputs.map((e) => [e.grad?.item(), e.total?.item(), e.accumulated, e.pending])).toEqual([[5, 10, false, 0], [5, 10, true, 0]]);
  });

  it('runs hooks and keeps retainGrad, as backward() does, and the step’s grad is the hooked one', () => {
    const a = scalar(2);
    const h = a.mul(3);
    h.retainGrad();
    h.registerHook((g) => g.mul(10));
    const steps = [...backwardSteps(h.tanh())];
    const expected = (1 - Math.tanh(6) ** 2) * 10;
    expect(steps[1]!.grad.item()).toBeCloseTo(expected, 12);
    expect(h.grad?.item()).toBeCloseTo(expected, 12);
    expect(a.grad?.item()).toBeCloseTo(expected * 3, 12);
  });

  it('sends the gradient of a tensor changed in place to the version the op read, as backward() does', () => {
    const run = (stepped: boolean) => {
      const a = scalar(2);
      const x = a.mul(1);
      const y = x.add(x).tanh();
      x.mul_(3); // y read the old x; x now has a history of its own
      const root = y.add(x);
      const steps = stepped ? [...backwardSteps(root)] : (root.backward(), []);
      return { grad: a.grad?.item(), x, steps };
    };
    const stepped = run(true);
    expect(stepped.grad).toBe(run(false).grad);
    expect(stepped.grad).toBeCloseTo(2 * (1 - Math.tanh(4) ** 2) + 3, 12);
    // The add read the old x: its gradient goes to a tensor standing for that version, not to x.
    const add = stepped.steps.find((s) => s.node?.name === 'AddBackward' && s.inputs[0]!.tensor === s.inputs[1]!.tensor)!;
    expect(add.inputs[0]!.tensor).not.toBe(stepped.x);
    expect(add.inputs[0]!.tensor?.gradFn?.name).toBe('MulBackward');
  });

  it('takes the upstream gradient of a non-scalar root, and checks it when called', () => {
    const a = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    expect(() => backwardSteps(a.mul(2))).toThrow(AutogradError);
    expect(() => backwardSteps(a.mul(2), tensor([1, 2, 3], { dtype: 'float64' }))).toThrow(ShapeError);
    expect(() => backwardSteps(tensor([1, 2]))).toThrow(/backwardSteps: the tensor .* does not require grad/);
    for (const s of backwardSteps(a.mul(2), tensor([1, -1], { dtype: 'float64' }))) void s;
    expect(arrayOf(a.grad)).toEqual([2, -2]);
  });

  it('leaves grad mode on between steps, and records no graph of the backward', () => {
    const a = scalar(2);
    for (const s of backwardSteps(a.mul(a))) {
      expect(isGradEnabled()).toBe(true);
      for (const e of s.inputs) expect(e.grad?.requiresGrad ?? false).toBe(false);
    }
  });

  it('runs under detectAnomaly as backward() does: the step whose backward makes Infinity throws, naming it', () => {
    const x = tensor([0, 1], { dtype: 'float64', requiresGrad: true });
    expect(() => detectAnomaly(() => [...backwardSteps(x.sqrt().sum())])).toThrow(/SqrtBackward produced Infinity.*created at/s);
  });

  it('frees the graph after the last step, or when the loop stops early, as backward() does', () => {
    const a = scalar(2);
    const y = a.mul(a).tanh();
    for (const s of backwardSteps(y)) if (s.index === 0) break;
    expect(() => y.backward()).toThrow(/second time/);
    const z = a.exp();
    [...backwardSteps(z)];
    expect(() => z.backward()).toThrow(/second time/);
  });
});
