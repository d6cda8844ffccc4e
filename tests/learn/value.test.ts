/**
 * The scalar engine against the tensor engine: random expressions over three inputs, evaluated
 * once with `Value` and once with 0-d float64 tensors, must give the same value and the same
 * gradient for every input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from 'tsgrad';
import { Value } from 'tsgrad/learn';

/** What both engines offer under the same names. */
interface Scalar<S> {
  add(o: S | number): S;
  sub(o: S | number): S;
  mul(o: S | number): S;
  div(o: S | number): S;
  pow(k: number): S;
  neg(): S;
  exp(): S;
  log(): S;
  tanh(): S;
  relu(): S;
  sigmoid(): S;
}

/** An expression tree; every op keeps its arguments in its domain (log of a positive, …). */
type Expr =
  | { kind: 'input'; i: number }
  | { kind: 'const'; c: number }
  | { kind: 'binary'; op: 'add' | 'sub' | 'mul' | 'safeDiv'; a: Expr; b: Expr }
  | { kind: 'unary'; op: 'neg' | 'tanh' | 'relu' | 'sigmoid' | 'expTanh' | 'logSquare' | 'square' | 'cube'; a: Expr };

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('input' as const), i: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('const' as const), c: fc.double({ min: -2, max: 2, noNaN: true }) }),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom('add', 'sub', 'mul', 'safeDiv' as const), a: tie('expr'), b: tie('expr') }),
    fc.record({
      kind: fc.constant('unary' as const),
      op: fc.constantFrom('neg', 'tanh', 'relu', 'sigmoid', 'expTanh', 'logSquare', 'square', 'cube' as const),
      a: tie('expr'),
    }),
  ),
}));

function evaluate<S extends Scalar<S>>(e: Expr, inputs: S[], lift: (c: number) => S): S {
  switch (e.kind) {
    case 'input':
      return inputs[e.i];
    case 'const':
      return lift(e.c);
    case 'binary': {
      const a = evaluate(e.a, inputs, lift);
      const b = evaluate(e.b, inputs, lift);
      return e.op === 'safeDiv' ? a.div(b.mul(b).add(1)) : a[e.op](b);
    }
    case 'unary': {
      const a = evaluate(e.a, inputs, lift);
      if (e.op === 'expTanh') return a.tanh().exp();
      if (e.op === 'logSquare') return a.mul(a).add(1).log();
      if (e.op === 'square') return a.pow(2);
      if (e.op === 'cube') return a.pow(3);
      return a[e.op]();
    }
  }
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('Value', () => {
  it('agrees with the tensor engine on values and gradients of random expressions', () => {
    fc.assert(
      fc.property(expr, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }), (e, xs) => {
        const values = xs.map((x) => new Value(x));
        const v = evaluate<Value>(e, values, (c) => new Value(c));
        const tensors = xs.map((x) => tensor(x, { dtype: 'float64', requiresGrad: true }));
        const t = evaluate<Tensor>(e, tensors, (c) => tensor(c, { dtype: 'float64' }));
        expect(close(v.data, t.item())).toBe(true);
        v.backward();
        if (t.requiresGrad) t.backward();
        values.forEach((value, i) => expect(close(value.grad, tensors[i].grad?.item() ?? 0)).toBe(true));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('accumulates the gradient of a Value used twice', () => {
    const x = new Value(3);
    const y = x.mul(x).add(x); // y = x² + x, dy/dx = 2x + 1
    y.backward();
    expect(y.data).toBe(12);
    expect(x.grad).toBe(7);
  });

  it('walks a long chain without recursion', () => {
    const x = new Value(0.5);
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.mul(1);
    y.backward();
    expect(x.grad).toBe(1);
  });

  it('keeps sigmoid finite far from 0', () => {
    expect(new Value(-1000).sigmoid().data).toBe(0);
    expect(new Value(1000).sigmoid().data).toBe(1);
    expect(String(new Value(2))).toBe('Value(data=2, grad=0)');
  });
});
