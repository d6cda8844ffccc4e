import { describe, expect, it } from 'vitest';
import { Module, Tensor, manualSeed, nn, randn } from '../../src/index.js';
import { maxAbsDiff, stateDictShapes } from './helpers.js';

describe('Sequential', () => {
  it('names children 0, 1, … and chains forwards', () => {
    manualSeed(3);
    const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
    expect(stateDictShapes(net)).toEqual([['0.weight', [8, 4]], ['0.bias', [8]], ['2.weight', [2, 8]], ['2.bias', [2]]]);
    const x = randn([5, 4]);
    const l1 = net.at(0) as nn.Linear;
    const l2 = net.at(2) as nn.Linear;
    expect(maxAbsDiff(net.forward(x), l2.forward(l1.forward(x).relu()))).toBe(0);
    expect(net.length).toBe(3);
    expect(net.toString()).toBe(
      'Sequential(\n  (0): Linear(inFeatures=4, outFeatures=8, bias=true)\n  (1): ReLU()\n  (2): Linear(inFeatures=8, outFeatures=2, bias=true)\n)',
    );
  });

  it('nests with dotted names and switches train/eval everywhere', () => {
    const inner = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5));
    const net = new nn.Sequential(inner, new nn.Linear(2, 1));
    expect(Object.keys(net.stateDict())).toEqual(['0.0.weight', '0.0.bias', '1.weight', '1.bias']);
    net.eval();
    expect(inner.at(1)!.training).toBe(false);
    net.train();
    expect(inner.at(1)!.training).toBe(true);
  });

  it('rejects a module that does not return a tensor', () => {
    class Pair extends Module {
      override forward(x: Tensor): Tensor[] {
        return [x, x];
      }
    }
    expect(() => new nn.Sequential(new Pair()).forward(randn([1]))).toThrow(/module 0 \(Pair\) returned a non-Tensor/);
  });
});

describe('ModuleList', () => {
  it('registers its modules as children 0, 1, … of its owner', () => {
    class Stack extends Module {
      layers = new nn.ModuleList([new nn.Linear(3, 3), new nn.Linear(3, 3, { bias: false })]);
      override forward(x: Tensor): Tensor {
        for (const l of this.layers) x = (l as nn.Linear).forward(x);
        return x;
      }
    }
    const s = new Stack();
    expect(stateDictShapes(s)).toEqual([['layers.0.weight', [3, 3]], ['layers.0.bias', [3]], ['layers.1.weight', [3, 3]]]);
    s.layers.append(new nn.Linear(3, 1));
    expect(s.layers.length).toBe(3);
    expect(s.parameters().length).toBe(5);
    expect(s.forward(randn([2, 3])).shape).toEqual([2, 1]);
  });
});
