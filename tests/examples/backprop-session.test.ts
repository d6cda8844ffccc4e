/**
 * The backprop page's parts in Node: the expression language (precedence, bindings, errors with
 * columns) against plain arithmetic, and the session — which picture node is which tensor, and
 * that its steps end with the gradients backward() gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, parseProgram } from '../../examples/web/backprop/expression.js';
import { BackpropSession, formatNumbers } from '../../examples/web/backprop/session.js';
import { tinyMlp } from '../../examples/web/backprop/mlp.js';

const valueOf = (source: string, values: Record<string, number>) => evaluate(parseProgram(source), values).root.item();

describe('the expression language', () => {
  it('follows the usual precedence: ^ over unary minus over * / over + −, ^ right-associative', () => {
    const v = { a: 2, b: 3, c: 5 };
    expect(valueOf('a + b*c', v)).toBe(17);
    expect(valueOf('(a + b)*c', v)).toBe(25);
    expect(valueOf('a - b - c', v)).toBe(-6);
    expect(valueOf('a / b * c', v)).toBeCloseTo((2 / 3) * 5, 14);
    expect(valueOf('-a^2', v)).toBe(-4);
    expect(valueOf('a^b^2', v)).toBe(2 ** 9);
    expect(valueOf('a^-1', v)).toBe(0.5);
    expect(valueOf('2*a + 1.5e1', v)).toBe(19);
    expect(valueOf('tanh(a*b) + exp(0*c)', v)).toBeCloseTo(Math.tanh(6) + 1, 14);
  });

  it('agrees with plain arithmetic on random sums and products', () => {
    const term = fc.tuple(fc.constantFrom('a', 'b', 'c', '2', '0.5'), fc.constantFrom('+', '-', '*'));
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 6 }), fc.constantFrom('a', 'b'), (terms, last) => {
        const source = `${terms.map(([x, op]) => `${x} ${op} `).join('')}${last}`;
        const js = source.replace(/\b([abc])\b/g, (_, n: string) => ({ a: '1.25', b: '-2', c: '3' })[n] as string);
        expect(valueOf(source, { a: 1.25, b: -2, c: 3 })).toBeCloseTo(Number(new Function(`return ${js}`)()), 10);
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('names the inputs in order of first use, and binds names with =', () => {
    const program = parseProgram('h = tanh(b*a); h*h + c');
    expect(program.inputs).toEqual(['b', 'a', 'c']);
    const { root, names } = evaluate(program, { a: 1, b: 0.5, c: 2 });
    expect(root.item()).toBeCloseTo(Math.tanh(0.5) ** 2 + 2, 14);
    expect(names.map(([n]) => n)).toEqual(['b', 'a', 'c', 'b*a', 'h', 'h*h', 'h*h + c']);
  });

  it('reports mistakes with their column', () => {
    const failure = (source: string) => {
      try {
        parseProgram(source);
      } catch (e) {
        expect(e).toBeInstanceOf(ExpressionError);
        return (e as Error).message;
      }
      throw new Error(`no error for ${source}`);
    };
    expect(failure('a*')).toBe('the expression ends too early (column 3)');
    expect(failure('foo(a)')).toMatch(/^unknown function 'foo' \(known: tanh, exp/);
    expect(failure('a b')).toBe("unexpected 'b' after the expression (column 3)");
    expect(failure('(a + b')).toBe("expected ')', found 'the end' (column 7)");
    expect(failure('a $ b')).toBe("unexpected character '$' (column 3)");
    expect(failure('h = a;')).toMatch(/^the expression is empty/);
    expect(() => evaluate(parseProgram('2*3'), {})).toThrow(/no inputs/);
    expect(() => evaluate(parseProgram('a*b'), { a: 1 })).toThrow("no value for the input 'b'");
  });
});

describe('BackpropSession', () => {
  it('matches picture nodes to tensors, steps a*b + c and ends with b, a, 1', () => {
    const { root, inputs, names } = evaluate(parseProgram('a*b + c'), { a: 2, b: -3, c: 10 });
    const session = new BackpropSession(root, names);
    expect(session.graph.nodes.map((n) => `${n.id} ${n.op ?? n.kind} ${n.name}`)).toEqual([
      't0 AddBackward a*b + c', 't1 MulBackward a*b', 't2 leaf a', 't3 leaf b', 't4 leaf c',
    ]);
    for (const [name, t] of inputs) expect(session.graph.nodes.find((n) => n.id === session.idOf(t))?.name).toBe(name);
    expect(session.svg).toContain('grad —');
    const views = [];
    for (let s = session.step(); s !== null; s = session.step()) views.push(s);
    expect(session.done).toBe(true);
    expect(views.map((v) => [v.id, v.op, v.grad])).toEqual([
      ['t0', 'AddBackward', [1]], ['t4', null, [1]], ['t1', 'MulBackward', [1]], ['t3', null, [2]], ['t2', null, [-3]],
    ]);
    expect(views[2].changes.map((c) => [c.id, c.sent])).toEqual([['t2', [-3]], ['t3', [2]]]);
    expect([...inputs.values()].map((t) => t.grad?.item())).toEqual([-3, 2, 1]);
    expect(() => root.backward()).toThrow(/second time/);
  });

  it('ends the tiny MLP with the parameters’ gradients of backward()', () => {
    const stepped = tinyMlp();
    const session = new BackpropSession(stepped.root, stepped.names);
    while (session.step() !== null);
    const reference = tinyMlp();
    reference.root.backward();
    stepped.names.forEach(([name, t], i) => {
      expect(name).toBe(reference.names[i][0]);
      expect(t.grad?.toArray() ?? null).toEqual(reference.names[i][1].grad?.toArray() ?? null);
    });
  });

  it('formats numbers shortly', () => {
    expect(formatNumbers([1 / 3])).toBe('0.3333');
    expect(formatNumbers([1, 2], [1, 2])).toBe('[1, 2]');
    expect(formatNumbers([1, 2, 3, 4, 5, 6], [2, 3])).toBe('[1, 2, 3, … (6)]');
  });
});
