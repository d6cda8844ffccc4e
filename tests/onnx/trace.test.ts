/**
 * The tracing hook the exporter stands on (observeApplies, reportUntrackedOp) and the two-pass
 * resolution of dynamic sizes.
 */
import { describe, expect, it } from 'vitest';
import { cat, randn, tensor } from 'tsgrad';
import { observeApplies, type AppliedOp } from '../../src/autograd/function';
import { DimResolver, grownInput } from '../../src/onnx/dynamic-axes';

describe('the tracing hook', () => {
  it('reports each outermost op with all its arguments, not the ops an op runs inside its forward', () => {
    const x = randn([2, 3]);
    const seen: AppliedOp[] = [];
    const y = observeApplies((call) => seen.push(call), () => x.mul(2).reshape([3, 2]).gt(0));
    expect(seen.map((c) => c.op.name)).toEqual(['Mul', 'Reshape', 'Gt']);
    expect(seen[1].args[1]).toEqual([3, 2]);
    expect(seen[2].output).toBe(y);
    // cat's forward runs Slice on its output to place each piece; only Cat is reported.
    const names: string[] = [];
    observeApplies((call) => names.push(call.op.name), () => cat([x, x.exp()], 0));
    expect(names).toEqual(['Exp', 'Cat']);
  });

  it('reports nothing once the trace ends, and refuses to nest', () => {
    const calls: string[] = [];
    observeApplies((c) => calls.push(c.op.name), () => randn([2]).exp());
    randn([2]).exp();
    expect(calls).toEqual(['Exp']);
    expect(() => observeApplies(() => {}, () => observeApplies(() => {}, () => null))).toThrow(/traces do not nest/);
  });
});

describe('dynamic sizes from two passes', () => {
  it('grows a dynamic axis by repeating the sample along it', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const grown = grownInput(x, new Map([[0, 'batch']]), new Map([['batch', 3]]));
    expect(grown.toArray()).toEqual([[1, 2], [3, 4], [1, 2], [3, 4], [1, 2]]);
  });

  it('tells fixed sizes from multiples of an input axis, and refuses the rest', () => {
    const resolver = new DimResolver([{ input: 'x', axis: 0, sizes: [2, 3] }]);
    expect(resolver.dim(5, 5, () => 'd')).toEqual({ fixed: 5 });
    expect(resolver.dim(2, 3, () => 'd')).toEqual({ input: 'x', axis: 0, factor: 1 });
    expect(resolver.dim(8, 12, () => 'd')).toEqual({ input: 'x', axis: 0, factor: 4 });
    expect(() => resolver.dim(4, 9, () => 'the target')).toThrow(/the target has size 4 at the traced batch size and 9 at another/);
  });
});
