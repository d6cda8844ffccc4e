import { describe, expect, it } from 'vitest';
import { Module, Parameter, Tensor, manualSeed, nn, ones, randn, tensor, zeros } from '../../src/index.js';
import { maxAbsDiff, stateDictShapes } from './helpers.js';

describe('ModuleDict', () => {
  it('registers its modules under their keys, in insertion order', () => {
    manualSeed(1);
    const d = new nn.ModuleDict({ enc: new nn.Linear(4, 3), act: new nn.ReLU(), dec: new nn.Linear(3, 2, { bias: false }) });
    expect(stateDictShapes(d)).toEqual([['enc.weight', [3, 4]], ['enc.bias', [3]], ['dec.weight', [2, 3]]]);
    expect(d.keys()).toEqual(['enc', 'act', 'dec']);
    expect([...d]).toEqual(['enc', 'act', 'dec']);
    expect(d.size).toBe(3);
    expect(d.get('act')).toBeInstanceOf(nn.ReLU);
    expect(d.has('nope')).toBe(false);
    d.set('enc', new nn.Linear(4, 5)); // replacing keeps the position
    expect(d.keys()).toEqual(['enc', 'act', 'dec']);
    expect(d.pop('act')).toBeInstanceOf(nn.ReLU);
    expect(d.keys()).toEqual(['enc', 'dec']);
    expect(() => d.pop('act')).toThrow(/no module under key 'act'/);
  });

  it('as a field gives PyTorch keys, trains, evals and loads', () => {
    class Heads extends Module {
      trunk = new nn.Linear(3, 4);
      heads = new nn.ModuleDict({ cls: new nn.Linear(4, 2), reg: new nn.Sequential(new nn.Dropout(0.1), new nn.Linear(4, 1)) });
      override forward(x: Tensor): Tensor {
        const h = this.trunk.forward(x);
        return (this.heads.get('cls') as nn.Linear).forward(h);
      }
    }
    manualSeed(2);
    const a = new Heads();
    expect(Object.keys(a.stateDict())).toEqual([
      'trunk.weight', 'trunk.bias', 'heads.cls.weight', 'heads.cls.bias', 'heads.reg.1.weight', 'heads.reg.1.bias',
    ]);
    a.eval();
    expect(a.heads.get('reg')!.training).toBe(false);
    const b = new Heads();
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const x = randn([2, 3]);
    expect(maxAbsDiff(a.forward(x), b.forward(x))).toBe(0);
    expect(a.parameters()).toHaveLength(6);
  });

  it('rejects bad keys and values, changing nothing', () => {
    const d = new nn.ModuleDict();
    expect(() => d.set('a.b', new nn.ReLU())).toThrow(/can not contain '\.'/);
    expect(() => d.set('', new nn.ReLU())).toThrow(/empty string/);
    expect(() => d.update({ ok: new nn.ReLU(), bad: 3 as unknown as Module })).toThrow(/value for key 'bad' must be a Module, got number/);
    expect(d.size).toBe(0);
    expect(() => d.forward()).toThrow(/must define forward/);
  });

  it('takes [key, module] pairs', () => {
    const d = new nn.ModuleDict([['b', new nn.Tanh()], ['a', new nn.ReLU()]]);
    expect(d.keys()).toEqual(['b', 'a']);
  });
});

describe('ParameterList and ParameterDict', () => {
  it('ParameterList names its parameters 0, 1, … and wraps plain tensors', () => {
    class Scales extends Module {
      scales = new nn.ParameterList([new Parameter(ones([2])), zeros([3])]);
    }
    const m = new Scales();
    expect(stateDictShapes(m)).toEqual([['scales.0', [2]], ['scales.1', [3]]]);
    expect(m.scales.at(1)).toBeInstanceOf(Parameter);
    expect(m.scales.at(1)!.requiresGrad).toBe(true);
    m.scales.append(randn([4]));
    expect(m.scales.length).toBe(3);
    expect(m.parameters()).toHaveLength(3);
    expect(() => m.scales.extend([ones([1]), 5 as unknown as Tensor])).toThrow(/item 1 must be a Tensor or Parameter, got number/);
    expect(m.scales.length).toBe(3);
    const other = new Scales();
    other.scales.append(zeros([4]));
    other.loadStateDict(m.stateDict());
    expect(other.scales.at(2)!.toArray()).toEqual(m.scales.at(2)!.toArray());
  });

  it('ParameterDict names parameters by key, loads strict and by assign', () => {
    const d = new nn.ParameterDict({ alpha: tensor([1, 2]), beta: new Parameter(zeros([2, 2])) });
    expect(stateDictShapes(d)).toEqual([['alpha', [2]], ['beta', [2, 2]]]);
    expect(d.keys()).toEqual(['alpha', 'beta']);
    expect(() => d.set('a.b', ones([1]))).toThrow(/can not contain '\.'/);
    expect(() => d.update({ x: ones([1]), y: 'no' as unknown as Tensor })).toThrow(/value for key 'y' must be a Tensor/);
    expect(d.has('x')).toBe(false);
    const src = { alpha: tensor([5, 6]), beta: ones([2, 2]) };
    d.loadStateDict(src, { assign: true });
    expect(d.get('alpha')!.toArray()).toEqual([5, 6]);
    expect(d.get('alpha')!.requiresGrad).toBe(true);
    expect(d.parameters()).toHaveLength(2);
    expect(() => d.loadStateDict({ alpha: tensor([1, 2]) })).toThrow(/Missing key\(s\) in state_dict: "beta"/);
  });
});

describe('unregistered containers of modules or parameters', () => {
  it('a plain object of modules throws naming the field and ModuleDict', () => {
    class Bad extends Module {
      heads: Record<string, Module> = { a: new nn.Linear(2, 2) };
    }
    expect(() => new Bad().parameters()).toThrow(/Bad: field 'heads' is a plain object holding a module \(at heads\.a\).*Use nn\.ModuleDict/);
    expect(() => new Bad().stateDict()).toThrow(/field 'heads'/);
  });

  it('a Map, an array of parameters, a nested array and a mixed array throw too', () => {
    class WithMap extends Module {
      m = new Map([['x', new nn.ReLU()]]);
    }
    class WithParams extends Module {
      ps = [new Parameter(ones([1]))];
    }
    class Nested extends Module {
      grid = [[new nn.Linear(1, 1)]];
    }
    class Mixed extends Module {
      layers = [new nn.Linear(1, 1), null];
    }
    class ObjParams extends Module {
      cfg = { scale: new Parameter(ones([1])) };
    }
    expect(() => new WithMap().parameters()).toThrow(/field 'm' is a Map holding a module.*Use nn\.ModuleDict/);
    expect(() => new WithParams().parameters()).toThrow(/field 'ps' is an array holding a parameter \(at ps\[0\]\).*Use nn\.ParameterList/);
    expect(() => new Nested().parameters()).toThrow(/field 'grid' is an array holding a module \(at grid\[0\]\[0\]\).*nn\.ModuleList/);
    expect(() => new Mixed().parameters()).toThrow(/field 'layers' is an array holding a module/);
    expect(() => new ObjParams().stateDict()).toThrow(/field 'cfg' is a plain object holding a parameter.*Use nn\.ParameterDict/);
  });

  it('arrays of modules still register, and containers of plain values are fine', () => {
    class Ok extends Module {
      blocks = [new nn.Linear(2, 2), new nn.Linear(2, 2)];
      sizes = [1, 2, 3];
      cfg = { act: 'relu', nested: { eps: 1e-5 }, t: ones([2]) };
    }
    expect(Object.keys(new Ok().stateDict())).toEqual(['blocks.0.weight', 'blocks.0.bias', 'blocks.1.weight', 'blocks.1.bias']);
  });
});
