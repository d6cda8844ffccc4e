import { describe, expect, it } from 'vitest';
import { ShapeError, manualSeed, nn, noGrad, tensor } from '../../src/index.js';

describe('nn.utils', () => {
  it('clipGradNorm_ returns the total norm and scales gradients to maxNorm', () => {
    const a = nn.init.zeros_(new nn.Parameter(tensor([0, 0])));
    const b = new nn.Parameter(tensor([0]));
    const c = new nn.Parameter(tensor([5]));
    a.grad = tensor([3, 4]);
    b.grad = tensor([12]);
    const total = nn.utils.clipGradNorm_([a, b, c], 6.5);
    expect(total).toBeCloseTo(13, 5);
    expect((a.grad.toArray() as number[])[0]).toBeCloseTo(1.5, 5);
    expect((b.grad.toArray() as number[])[0]).toBeCloseTo(6, 5);
    expect(c.grad).toBeNull();
    // Already within the bound: unchanged.
    expect(nn.utils.clipGradNorm_([a, b], 100)).toBeCloseTo(6.5, 5);
    expect((b.grad.toArray() as number[])[0]).toBeCloseTo(6, 5);
    a.grad = tensor([-3, 1]);
    b.grad = tensor([2]);
    expect(nn.utils.clipGradNorm_([a, b], 1, Infinity)).toBe(3);
    expect((a.grad.toArray() as number[])[0]).toBeCloseTo(-1, 5);
    a.grad = tensor([-3, 1]);
    expect(nn.utils.clipGradNorm_([a], 100, 1)).toBe(4);
  });

  it('clipGradValue_ clamps every gradient element', () => {
    const p = new nn.Parameter(tensor([0, 0, 0]));
    p.grad = tensor([-3, 0.5, 2]);
    nn.utils.clipGradValue_([p], 1);
    expect(p.grad.toArray()).toEqual([-1, 0.5, 1]);
  });

  it('parametersToVector and vectorToParameters are inverses in parameter order', () => {
    manualSeed(2);
    const net = new nn.Sequential(new nn.Linear(3, 2), new nn.Linear(2, 1));
    const v = nn.utils.parametersToVector(net.parameters());
    expect(v.shape).toEqual([net.numParameters()]);
    expect((v.toArray() as number[]).slice(0, 6)).toEqual((net.at(0) as nn.Linear).weight.reshape([6]).toArray());
    const doubled = noGrad(() => v.mul(2));
    nn.utils.vectorToParameters(doubled, net.parameters());
    expect(nn.utils.parametersToVector(net.parameters()).toArray()).toEqual(doubled.toArray());
    expect(() => nn.utils.vectorToParameters(tensor([1, 2]), net.parameters())).toThrow(ShapeError);
  });
});
