import { describe, expect, it } from 'vitest';
import { Tensor, gradcheck, io, manualSeed, nn, optim, randn, tensor } from '../../src/index.js';

const { prune } = nn.utils;

/** Python's round (half to even), written independently of the library's. */
function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Naive reference of unstructured L1 pruning: among the kept entries, the rank of entry i is the
 * number of kept entries smaller than it (by |w|, then by index); the `count` lowest ranks go.
 */
function referenceL1(w: number[], mask: number[], amount: number): number[] {
  const kept = mask.map((m, i) => (m !== 0 ? i : -1)).filter((i) => i >= 0);
  const count = Number.isInteger(amount) ? amount : pyRound(amount * kept.length);
  return mask.map((m, i) => {
    if (m === 0) return 0;
    const rank = kept.filter((j) => Math.abs(w[j]) < Math.abs(w[i]) || (Math.abs(w[j]) === Math.abs(w[i]) && j < i)).length;
    return rank < count ? 0 : 1;
  });
}

/** Naive reference of structured pruning over dim `dim` of `shape` (pruned entries count as 0 in norms). */
function referenceLn(w: number[], mask: number[], shape: number[], dim: number, n: number, amount: number): number[] {
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const indexAlong = (flat: number) => Math.floor(flat / strides[dim]) % shape[dim];
  const slices = Array.from({ length: shape[dim] }, (_, c) => w.map((_, i) => i).filter((i) => indexAlong(i) === c));
  const live = slices.map((_, c) => c).filter((c) => slices[c].some((i) => mask[i] !== 0));
  const norm = (c: number) => {
    const mags = slices[c].map((i) => Math.abs(w[i] * mask[i]));
    return n === Infinity ? Math.max(...mags) : mags.reduce((s, v) => s + v ** n, 0) ** (1 / n);
  };
  const count = Number.isInteger(amount) ? amount : pyRound(amount * live.length);
  const pruned = new Set(live.filter((c) => live.filter((d) => norm(d) < norm(c) || (norm(d) === norm(c) && d < c)).length < count));
  return mask.map((m, i) => (pruned.has(indexAlong(i)) ? 0 : m));
}

/** Elements as numbers, with −0 read as 0 (a masked gradient is ±0). */
const flat = (t: Tensor) => Array.from(t.data(), (v) => Number(v) + 0);
const maskOf = (m: nn.Module, name = 'weight') => flat(m.getBuffer(`${name}_mask`) as Tensor);
const origOf = (m: nn.Module, name = 'weight') => Reflect.get(m, `${name}_orig`) as nn.Parameter;

describe('nn.utils.prune.l1Unstructured', () => {
  it('masks the entries the naive reference picks, for fractions and counts', () => {
    manualSeed(1);
    for (const amount of [0, 0.1, 0.25, 0.5, 0.8, 3, 12, 0.999]) {
      const layer = new nn.Linear(4, 3);
      const w = flat(layer.weight);
      prune.l1Unstructured(layer, 'weight', { amount });
      const expected = referenceL1(w, w.map(() => 1), amount);
      expect(maskOf(layer)).toEqual(expected);
      expect(maskOf(layer).filter((m) => m === 0).length).toBe(Number.isInteger(amount) ? amount : pyRound(amount * 12));
      // The effective weight is orig · mask, and orig keeps every original value.
      expect(flat(layer.weight as Tensor)).toEqual(w.map((v, i) => v * expected[i]! + 0));
      expect(flat(origOf(layer))).toEqual(w);
    }
  });

  it('rounds the count half to even and breaks ties by the lower flat index', () => {
    // 0.5 · 5 = 2.5 → 2 entries; equal magnitudes: the first ones go.
    const layer = new nn.Linear(5, 1, { bias: false });
    layer.weight = new nn.Parameter(tensor([[3, -1, 1, 2, -1]]));
    prune.l1Unstructured(layer, 'weight', { amount: 0.5 });
    expect(maskOf(layer)).toEqual([1, 0, 0, 1, 1]);
    // 0.3 · 5 = 1.5 → 2.
    const other = new nn.Linear(5, 1, { bias: false });
    other.weight = new nn.Parameter(tensor([[2, 2, 2, 2, 2]]));
    prune.l1Unstructured(other, 'weight', { amount: 0.3 });
    expect(maskOf(other)).toEqual([0, 0, 1, 1, 1]);
  });

  it('gives PyTorch state-dict keys and a working parameter list', () => {
    manualSeed(2);
    const layer = new nn.Linear(3, 2);
    const weight = layer.weight;
    prune.l1Unstructured(layer, 'weight', { amount: 0.5 });
    expect(Object.keys(layer.stateDict())).toEqual(['bias', 'weight_orig', 'weight_mask']);
    expect(layer.namedParameters().map(([k]) => k)).toEqual(['bias', 'weight_orig']);
    expect(origOf(layer)).toBe(weight); // the same Parameter: an optimizer made before pruning still updates it
    expect(layer.weight).not.toBeInstanceOf(nn.Parameter);
    expect(layer.getBuffer('weight_mask')?.dtype).toBe('float32');
    expect(prune.isPruned(new nn.Sequential(layer))).toBe(true);
    expect(prune.isPruned(new nn.Linear(2, 2))).toBe(false);
    // Nested modules: keys carry the path.
    const net = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    prune.l1Unstructured(net.at(2) as nn.Linear, 'weight', { amount: 2 });
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '2.bias', '2.weight_orig', '2.weight_mask']);
  });

  it('keeps pruned entries at zero through training: their gradient through weight_orig is zero', () => {
    manualSeed(3);
    const layer = new nn.Linear(4, 3);
    prune.l1Unstructured(layer, 'weight', { amount: 0.5 });
    const mask = maskOf(layer);
    const before = flat(origOf(layer));
    const opt = new optim.SGD(layer.parameters(), { lr: 0.1 });
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      layer.forward(randn([5, 4])).pow(2).sum().backward();
      const g = flat(origOf(layer).grad!);
      mask.forEach((m, i) => { if (m === 0) expect(g[i]).toBe(0); });
      opt.step();
    }
    const after = flat(origOf(layer));
    mask.forEach((m, i) => (m === 0 ? expect(after[i]).toBe(before[i]) : expect(after[i]).not.toBe(before[i])));
    layer.forward(randn([1, 4])); // the pre-hook recomputes the effective weight
    flat(layer.weight as Tensor).forEach((v, i) => (mask[i] === 0 ? expect(v).toBe(0) : expect(v).toBe(after[i])));
  });

  it('passes gradcheck through weight_orig on a tiny float64 Linear, with zero gradient where pruned', () => {
    manualSeed(4);
    const layer = new nn.Linear(3, 2);
    layer.weight = new nn.Parameter(randn([2, 3], { dtype: 'float64' }));
    layer.bias = new nn.Parameter(randn([2], { dtype: 'float64' }));
    prune.l1Unstructured(layer, 'weight', { amount: 0.5 });
    const x = randn([4, 3], { dtype: 'float64' }).requiresGrad_(true);
    const orig = origOf(layer);
    // gradcheck perturbs orig in place; the hook rebuilds the weight from it on every forward.
    expect(gradcheck((xs, w) => { expect(w).toBe(orig); return layer.forward(xs) as Tensor; }, [x, orig])).toBe(true);
    orig.grad = null;
    (layer.forward(x) as Tensor).sum().backward();
    const mask = maskOf(layer);
    const g = flat(orig.grad!);
    mask.forEach((m, i) => (m === 0 ? expect(g[i]).toBe(0) : expect(g[i]).not.toBe(0)));
  });

  it('combines masks when pruning again: the new amount applies to the still-unpruned entries', () => {
    manualSeed(5);
    const layer = new nn.Linear(5, 4);
    const w = flat(layer.weight);
    prune.l1Unstructured(layer, 'weight', { amount: 0.3 });
    const first = maskOf(layer);
    prune.l1Unstructured(layer, 'weight', { amount: 0.5 });
    const second = maskOf(layer);
    expect(second).toEqual(referenceL1(w, first, 0.5));
    expect(second.filter((m) => m === 0).length).toBe(6 + pyRound(0.5 * 14));
    first.forEach((m, i) => { if (m === 0) expect(second[i]).toBe(0); });
    prune.l1Unstructured(layer, 'weight', { amount: 7 }); // a count of the 7 left
    expect(maskOf(layer).every((m) => m === 0)).toBe(true);
    expect(Object.keys(layer.stateDict())).toEqual(['bias', 'weight_orig', 'weight_mask']);
  });

  it('saves and loads a pruned model through safetensors into a model pruned with amount 0', () => {
    manualSeed(6);
    const a = new nn.Sequential(new nn.Linear(4, 6), new nn.ReLU(), new nn.Linear(6, 2));
    prune.l1Unstructured(a.at(0) as nn.Linear, 'weight', { amount: 0.6 });
    const bytes = io.saveSafetensors(a.stateDict());
    const b = new nn.Sequential(new nn.Linear(4, 6), new nn.ReLU(), new nn.Linear(6, 2));
    prune.l1Unstructured(b.at(0) as nn.Linear, 'weight', { amount: 0 });
    expect(b.loadStateDict(io.loadSafetensors(bytes))).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(maskOf(b.at(0)!)).toEqual(maskOf(a.at(0)!));
    const x = randn([3, 4]);
    expect((b.forward(x) as Tensor).toArray()).toEqual((a.forward(x) as Tensor).toArray());
    // An unpruned model sees PyTorch's pruned keys as unexpected, as PyTorch does.
    expect(() => new nn.Sequential(new nn.Linear(4, 6), new nn.ReLU(), new nn.Linear(6, 2)).loadStateDict(io.loadSafetensors(bytes)))
      .toThrow(/Missing key\(s\) in state_dict: "0\.weight"\. Unexpected key\(s\) in state_dict: "0\.weight_mask", "0\.weight_orig"/);
  });
});

describe('nn.utils.prune.lnStructured', () => {
  it('prunes whole slices by their Ln norm as the naive reference does (n = 1, 2, Infinity; every dim)', () => {
    manualSeed(7);
    for (const n of [1, 2, Infinity, 3]) {
      for (const dim of [0, 1, 2, -1]) {
        for (const amount of [0.5, 1, 0.34]) {
          const conv = new nn.Conv2d(3, 4, 3);
          conv.weight = new nn.Parameter(randn([4, 3, 3, 3]));
          const w = flat(conv.weight);
          prune.lnStructured(conv, 'weight', { amount, n, dim });
          const shape = [4, 3, 3, 3];
          const expected = referenceLn(w, w.map(() => 1), shape, dim < 0 ? dim + 4 : dim, n, amount);
          expect(maskOf(conv)).toEqual(expected);
          const size = shape[dim < 0 ? dim + 4 : dim];
          const count = Number.isInteger(amount) ? amount : pyRound(amount * size);
          expect(expected.filter((m) => m === 0).length).toBe((count * w.length) / size);
        }
      }
    }
  });

  it('breaks norm ties by the lower index and combines with earlier masks', () => {
    const layer = new nn.Linear(2, 4, { bias: false });
    layer.weight = new nn.Parameter(tensor([[1, 1], [0, 0], [1, -1], [0.5, 0]]));
    // Row norms (L1): 2, 0, 2, 0.5; prune 3 rows: 1, 3, then row 0 (ties with row 2, lower index).
    prune.lnStructured(layer, 'weight', { amount: 3, n: 1, dim: 0 });
    expect(maskOf(layer)).toEqual([0, 0, 0, 0, 1, 1, 0, 0]);

    manualSeed(8);
    const lin = new nn.Linear(6, 5);
    const w = flat(lin.weight);
    prune.l1Unstructured(lin, 'weight', { amount: 0.5 });
    const first = maskOf(lin);
    prune.lnStructured(lin, 'weight', { amount: 0.4, n: 2, dim: 0 });
    expect(maskOf(lin)).toEqual(referenceLn(w, first, [5, 6], 0, 2, 0.4));
    prune.lnStructured(lin, 'weight', { amount: 0.5, n: 2, dim: 0 }); // half of the 3 rows left: 2 (1.5 → 2)
    const rowsLeft = [0, 1, 2, 3, 4].filter((r) => maskOf(lin).slice(r * 6, r * 6 + 6).some((m) => m !== 0));
    expect(rowsLeft.length).toBe(1);
  });
});

describe('nn.utils.prune.remove', () => {
  it('bakes the mask into the same Parameter and restores the plain layout', () => {
    manualSeed(9);
    const layer = new nn.Linear(4, 3);
    const param = layer.weight;
    prune.l1Unstructured(layer, 'weight', { amount: 0.5 });
    const effective = flat(layer.weight as Tensor);
    prune.remove(layer, 'weight');
    expect(layer.weight).toBe(param);
    expect(flat(layer.weight)).toEqual(effective);
    expect(Object.keys(layer.stateDict())).toEqual(['bias', 'weight']);
    expect(() => layer.getBuffer('weight_mask')).toThrow(/no buffer named 'weight_mask'/);
    expect(Object.hasOwn(layer, 'weight_orig')).toBe(false);
    expect(prune.isPruned(layer)).toBe(false);
    // No hook any more: a change to the weight is used as is.
    layer.weight.data().fill(1);
    expect(flat(layer.forward(tensor([[1, 1, 1, 1]])).sub(layer.bias!))).toEqual([4, 4, 4]);
    expect(Object.hasOwn(layer, 'forward')).toBe(false);
    expect(() => prune.remove(layer, 'weight')).toThrow(/nn\.utils\.prune\.remove: parameter 'weight' of Linear has to be pruned before/);
    // Pruning works again afterwards.
    prune.l1Unstructured(layer, 'weight', { amount: 2 });
    expect(maskOf(layer).filter((m) => m === 0).length).toBe(2);
  });
});

describe('nn.utils.prune errors', () => {
  it('names the op and the problem, and changes nothing', () => {
    const layer = new nn.Linear(3, 2);
    const keys = () => Object.keys(layer.stateDict());
    expect(() => prune.l1Unstructured(layer, 'wieght', { amount: 0.5 })).toThrow("nn.utils.prune.l1Unstructured: Linear has no parameter 'wieght' (its parameters: weight, bias)");
    expect(() => prune.l1Unstructured(layer, 'inFeatures', { amount: 0.5 })).toThrow(/has no parameter 'inFeatures'/);
    expect(() => prune.l1Unstructured(layer, 'weight', { amount: -0.1 })).toThrow(RangeError);
    expect(() => prune.l1Unstructured(layer, 'weight', { amount: 1.5 })).toThrow(/amount must be a fraction in \(0, 1\) or an integer count >= 0, got 1.5/);
    expect(() => prune.l1Unstructured(layer, 'weight', { amount: NaN })).toThrow(RangeError);
    expect(() => prune.l1Unstructured(layer, 'weight', { amount: '0.5' } as never)).toThrow(/amount must be a number/);
    expect(() => prune.l1Unstructured(layer, 'weight', {} as never)).toThrow(/amount must be a number .* got none/);
    expect(() => prune.l1Unstructured(layer, 'weight', { amount: 7 })).toThrow(/amount=7 should be at most the number of units left to prune \(6\)/);
    expect(() => prune.l1Unstructured(layer, 'weight', { amount: 0.5, n: 2 } as never)).toThrow(/unknown option 'n'; valid options: amount/);
    expect(() => prune.l1Unstructured(layer, 'weight', 0.5 as never)).toThrow(/expected an options object/);
    expect(() => prune.l1Unstructured({} as nn.Module, 'weight', { amount: 0.5 })).toThrow(/expected a Module/);
    expect(() => prune.lnStructured(layer, 'weight', { amount: 0.5, n: 0, dim: 0 })).toThrow(/n must be a number > 0 or Infinity, got 0/);
    expect(() => prune.lnStructured(layer, 'weight', { amount: 0.5, n: 2, dim: 2 })).toThrow(/dim must be an integer in \[-2, 1\].*got 2/);
    expect(() => prune.lnStructured(layer, 'bias', { amount: 1, n: 2, dim: 0 })).toThrow(/needs a parameter with 2 or more dims; 'bias' has shape \[2\]/);
    expect(() => prune.lnStructured(layer, 'weight', { amount: 3, n: 2, dim: 0 })).toThrow(/amount=3 should be at most the number of units left to prune \(2\)/);
    expect(() => prune.lnStructured(layer, 'weight', { amount: 1, n: 2, dim: 0, norm: 2 } as never)).toThrow(/unknown option 'norm'/);
    expect(keys()).toEqual(['weight', 'bias']);
    expect(prune.isPruned(layer)).toBe(false);
    // A failing second pruning leaves the first in place.
    prune.l1Unstructured(layer, 'weight', { amount: 2 });
    const mask = maskOf(layer);
    expect(() => prune.l1Unstructured(layer, 'weight', { amount: 5 })).toThrow(/left to prune \(4\)/);
    expect(maskOf(layer)).toEqual(mask);
    expect(() => prune.remove(layer, 'bias')).toThrow(/has to be pruned/);
  });
});

describe('Module.registerForwardPreHook', () => {
  it('runs hooks before forward in order, with the arguments, until removed', () => {
    const layer = new nn.Linear(2, 2);
    const seen: string[] = [];
    const first = layer.registerForwardPreHook((m, args) => seen.push(`a:${m === layer}:${(args[0] as Tensor).shape.join('x')}`));
    const second = layer.registerForwardPreHook(() => seen.push('b'));
    layer.forward(tensor([[1, 2]]));
    expect(seen).toEqual(['a:true:1x2', 'b']);
    expect(Object.keys(layer)).not.toContain('forward');
    first.remove();
    first.remove();
    new nn.Sequential(layer).forward(tensor([[1, 2]]));
    expect(seen).toEqual(['a:true:1x2', 'b', 'b']);
    second.remove();
    expect(Object.hasOwn(layer, 'forward')).toBe(false);
    layer.forward(tensor([[1, 2]]));
    expect(seen.length).toBe(3);
    expect(() => layer.registerForwardPreHook(null as never)).toThrow(/Linear\.registerForwardPreHook: expected a function, got object/);
  });
});
