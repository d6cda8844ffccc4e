import { describe, expect, it } from 'vitest';
import { Module, Tensor, io, manualSeed, nn, randn, tensor, zeros } from '../../src/index.js';

/** The header's dtype of every tensor of a safetensors file. */
function fileDTypes(bytes: Uint8Array): Record<string, string> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string }>;
  return Object.fromEntries(Object.entries(header).filter(([k]) => k !== '__metadata__').map(([k, v]) => [k, v.dtype]));
}

/** A tiny language model whose output layer shares the embedding's weight (tied weights). */
class Tied extends Module {
  embed = new nn.Embedding(5, 3);
  head = new nn.Linear(3, 5, { bias: false });
  constructor() {
    super();
    this.head.weight = this.embed.weight;
  }
}

describe('loadStateDict: tied weights', () => {
  it('stateDict lists both names; a file with one of them loads strict into both', () => {
    manualSeed(4);
    const src = new Tied();
    expect(Object.keys(src.stateDict())).toEqual(['embed.weight', 'head.weight']);
    expect(src.parameters()).toHaveLength(1);
    for (const kept of ['embed.weight', 'head.weight']) {
      const saved = io.loadSafetensors(io.saveSafetensors({ [kept]: src.stateDict()[kept] }));
      const dst = new Tied();
      expect(dst.loadStateDict(saved)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      expect(dst.embed.weight.toArray()).toEqual(src.embed.weight.toArray());
      expect(dst.head.weight).toBe(dst.embed.weight);
    }
  });

  it('with neither name, both are missing; with both, the later one wins as in PyTorch', () => {
    const dst = new Tied();
    expect(() => dst.loadStateDict({})).toThrow(/Missing key\(s\) in state_dict: "embed.weight", "head.weight"\./);
    expect(dst.loadStateDict({}, { strict: false }).missingKeys).toEqual(['embed.weight', 'head.weight']);
    const a = zeros([5, 3]);
    const b = zeros([5, 3]).add(1);
    dst.loadStateDict({ 'embed.weight': a, 'head.weight': b });
    expect(dst.embed.weight.sum().item()).toBe(15);
  });

  it('assign keeps the tie: both paths get the one new parameter', () => {
    const dst = new Tied();
    const w = randn([5, 3]);
    dst.loadStateDict({ 'head.weight': w }, { assign: true });
    expect(dst.head.weight).toBe(dst.embed.weight);
    expect(dst.embed.weight.toArray()).toEqual(w.toArray());
    expect(dst.embed.weight.requiresGrad).toBe(true);
    expect(dst.parameters()).toHaveLength(1);
  });
});

describe('loadStateDict: BatchNorm files without num_batches_tracked', () => {
  it('load strict, and the buffer keeps its value', () => {
    const bn = new nn.BatchNorm1d(3);
    bn.forward(randn([4, 3]));
    const sd = { weight: randn([3]), bias: randn([3]), running_mean: randn([3]), running_var: randn([3]).abs() };
    expect(bn.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(bn.getBuffer('num_batches_tracked')!.item()).toBe(1);
    expect(bn.getBuffer('running_mean')!.toArray()).toEqual(sd.running_mean.toArray());
    // the other buffers are still required
    expect(() => bn.loadStateDict({ weight: sd.weight, bias: sd.bias, running_mean: sd.running_mean })).toThrow(/Missing key\(s\) in state_dict: "running_var"\./);
  });

  it('inside a model, under its dotted name', () => {
    const net = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2));
    const sd = net.stateDict();
    delete sd['1.num_batches_tracked'];
    expect(net.loadStateDict(sd).missingKeys).toEqual([]);
  });
});

describe('int64 buffers round-trip with PyTorch dtypes', () => {
  it('num_batches_tracked is saved as I64 by default; int64Keys: [] opts out', () => {
    const bn = new nn.BatchNorm2d(2);
    const bytes = io.saveSafetensors(bn.stateDict());
    expect(fileDTypes(bytes)).toEqual({ weight: 'F32', bias: 'F32', running_mean: 'F32', running_var: 'F32', num_batches_tracked: 'I64' });
    expect(fileDTypes(io.saveSafetensors(bn.stateDict(), undefined, { int64Keys: [] })).num_batches_tracked).toBe('I32');
    // by name, for a plain record too (PyTorch's int64 buffer name)
    expect(fileDTypes(io.saveSafetensors({ 'bn.num_batches_tracked': tensor(3, { dtype: 'int32' }) }))).toEqual({ 'bn.num_batches_tracked': 'I64' });
    // other int32 tensors stay I32
    expect(fileDTypes(io.saveSafetensors({ idx: tensor([1, 2], { dtype: 'int32' }) }))).toEqual({ idx: 'I32' });
  });

  it('an I64 entry loads as int32 and is written back as I64, also through a module buffer', () => {
    class Positions extends Module {
      constructor() {
        super();
        this.registerBuffer('position_ids', zeros([4], { dtype: 'int32' }));
      }
    }
    const pytorchFile = io.saveSafetensors({ position_ids: tensor([0, 1, 2, 3], { dtype: 'int32' }), w: randn([2]) }, undefined, { int64Keys: ['position_ids'] });
    const loaded = io.loadSafetensors(pytorchFile);
    expect(loaded.position_ids.dtype).toBe('int32');
    expect(fileDTypes(io.saveSafetensors(loaded))).toEqual({ position_ids: 'I64', w: 'F32' });
    const m = new Positions();
    expect(fileDTypes(io.saveSafetensors(m.stateDict()))).toEqual({ position_ids: 'I32' });
    m.loadStateDict({ position_ids: loaded.position_ids });
    expect(m.getBuffer('position_ids')!.toArray()).toEqual([0, 1, 2, 3]);
    expect(fileDTypes(io.saveSafetensors(m.stateDict()))).toEqual({ position_ids: 'I64' });
  });
});

describe('loadStateDict: checks before any change', () => {
  it('a value that is not a tensor throws naming the key, nothing written', () => {
    const lin = new nn.Linear(2, 2);
    const before = lin.weight.toArray();
    const sd = { weight: zeros([2, 2]), bias: undefined as unknown as Tensor };
    expect(() => lin.loadStateDict(sd)).toThrow(/the value of "bias" is undefined, not a Tensor/);
    expect(lin.weight.toArray()).toEqual(before);
  });

  it('unknown options throw, with the camelCase hint', () => {
    const lin = new nn.Linear(2, 2);
    expect(() => lin.loadStateDict(lin.stateDict(), { strict: true, asign: true } as never)).toThrow(/unknown option 'asign'; valid options: strict, assign/);
    expect(() => lin.loadStateDict(lin.stateDict(), false as never)).toThrow(/expected an options object/);
  });

  it('assign takes the given tensors (and their dtype) and keeps requiresGrad', () => {
    const lin = new nn.Linear(2, 2);
    lin.bias!.requiresGrad_(false);
    const w = randn([2, 2]).double();
    lin.loadStateDict({ weight: w, bias: zeros([2]) }, { assign: true });
    expect(lin.weight.dtype).toBe('float64');
    expect(lin.weight.requiresGrad).toBe(true);
    expect(lin.bias!.requiresGrad).toBe(false);
    expect(lin.weight).toBeInstanceOf(nn.Parameter);
    w.add_(1); // shares w's elements, as PyTorch's assign
    expect(lin.weight.toArray()).toEqual(w.toArray());
    expect(() => lin.loadStateDict({ weight: zeros([3, 2]), bias: zeros([2]) }, { assign: true })).toThrow(/size mismatch for weight/);
  });

  it('assign puts the given tensors in as buffers; a missing num_batches_tracked stays', () => {
    const bn = new nn.BatchNorm1d(2);
    const mean = tensor([1, 2]);
    bn.loadStateDict({ weight: randn([2]), bias: randn([2]), running_mean: mean, running_var: tensor([3, 4]) }, { assign: true });
    expect(bn.getBuffer('running_mean')).toBe(mean);
    expect(bn.getBuffer('num_batches_tracked')!.item()).toBe(0);
    expect(bn.loadStateDict(bn.stateDict(), null as never)).toEqual({ missingKeys: [], unexpectedKeys: [] });
  });
});
