import { beforeEach, describe, expect, it } from 'vitest';
import { gradcheck, manualSeed, nn, noGrad, randn, type Tensor } from '../../src/index.js';
import { maxAbsDiff, moments, stateDictShapes, toFloat64 } from './helpers.js';

beforeEach(() => manualSeed(7));

/** A LoRA layer whose B is random (a fresh one has B = 0, which would hide the update). */
function trainedLoRA(inF: number, outF: number, rank: number, alpha: number): nn.LoRALinear {
  const lora = new nn.LoRALinear(new nn.Linear(inF, outF), { rank, alpha });
  noGrad(() => lora.lora_B.copy_(randn([outF, rank])));
  return lora;
}

describe('LoRALinear', () => {
  it('keeps the base layer, adds A [r, in] and B [out, r], and prints its sizes', () => {
    const lora = new nn.LoRALinear(new nn.Linear(6, 4), { rank: 2, alpha: 8 });
    expect(stateDictShapes(lora)).toEqual([['lora_A', [2, 6]], ['lora_B', [4, 2]], ['base_layer.weight', [4, 6]], ['base_layer.bias', [4]]]);
    expect(lora.scaling).toBe(4);
    expect(lora.toString().split('\n')).toEqual(['LoRALinear(inFeatures=6, outFeatures=4, rank=2, alpha=8, dropout=0', '  (base_layer): Linear(inFeatures=6, outFeatures=4, bias=true)', ')']);
    expect(lora.forward(randn([3, 5, 6])).shape).toEqual([3, 5, 4]);
  });

  it('starts as the base layer: A Kaiming-uniform (bound 1/√in), B zero', () => {
    const base = new nn.Linear(64, 16);
    const lora = new nn.LoRALinear(base, { rank: 8, alpha: 16 });
    const a = moments(lora.lora_A);
    expect(a.max).toBeLessThanOrEqual(1 / 8);
    expect(a.min).toBeGreaterThanOrEqual(-1 / 8);
    expect(a.max).toBeGreaterThan(0.9 / 8);
    expect(a.std).toBeCloseTo(1 / 8 / Math.sqrt(3), 2);
    expect(moments(lora.lora_B)).toMatchObject({ min: 0, max: 0 });
    const x = randn([5, 64]);
    expect(maxAbsDiff(lora.forward(x), base.forward(x))).toBe(0);
  });

  it('computes base(x) + (α/r)·x·Aᵀ·Bᵀ', () => {
    const lora = trainedLoRA(5, 3, 2, 6);
    const x = randn([4, 5]);
    const expected = lora.base_layer.forward(x).add(x.matmul(lora.lora_A.transpose(0, 1)).matmul(lora.lora_B.transpose(0, 1)).mul(3));
    expect(maxAbsDiff(lora.forward(x), expected)).toBeLessThan(1e-5);
  });

  it('passes gradcheck in float64 (input, A and B)', () => {
    const lora = toFloat64(trainedLoRA(3, 2, 2, 3));
    const x = randn([4, 3], { dtype: 'float64' }).requiresGrad_();
    const inputs: Tensor[] = [x, lora.lora_A, lora.lora_B];
    expect(gradcheck((xi: Tensor) => lora.forward(xi), inputs)).toBe(true);
  });

  it('trains A and B only: the base is frozen and gets no gradient', () => {
    const base = new nn.Linear(4, 3);
    const before = base.weight.clone();
    const lora = new nn.LoRALinear(base, { rank: 2, alpha: 2 });
    expect(lora.parameters().filter((p) => p.requiresGrad)).toEqual([lora.lora_A, lora.lora_B]);
    lora.forward(randn([6, 4])).pow(2).sum().backward();
    expect(base.weight.grad).toBeNull();
    expect(base.bias!.grad).toBeNull();
    expect(lora.lora_B.grad).not.toBeNull();
    expect(maxAbsDiff(base.weight, before)).toBe(0);
  });

  it('merge() returns a plain Linear equal to the forward, with or without bias, leaving the layer as it is', () => {
    for (const bias of [true, false]) {
      const lora = new nn.LoRALinear(new nn.Linear(6, 5, { bias }), { rank: 3, alpha: 1.5, dropout: 0.5 });
      noGrad(() => lora.lora_B.copy_(randn([5, 3])));
      lora.eval();
      const x = randn([7, 6]);
      const merged = lora.merge();
      expect(merged).toBeInstanceOf(nn.Linear);
      expect(merged.bias === null).toBe(!bias);
      expect(merged.weight.requiresGrad).toBe(true);
      expect(maxAbsDiff(merged.forward(x), lora.forward(x))).toBeLessThan(1e-5);
      expect(lora.base_layer.weight.requiresGrad).toBe(false);
      expect(merged.weight).not.toBe(lora.base_layer.weight);
    }
  });

  it('applies dropout to the low-rank path in training only', () => {
    const lora = trainedLoRA(8, 4, 2, 2);
    const dropped = new nn.LoRALinear(lora.base_layer, { rank: 2, alpha: 2, dropout: 0.9 });
    noGrad(() => {
      dropped.lora_A.copy_(lora.lora_A);
      dropped.lora_B.copy_(lora.lora_B);
    });
    const x = randn([16, 8]);
    expect(maxAbsDiff(dropped.forward(x), lora.forward(x))).toBeGreaterThan(1e-3);
    dropped.eval();
    expect(maxAbsDiff(dropped.forward(x), lora.forward(x))).toBeLessThan(1e-6);
  });

  it('rejects a base that is no Linear, a bad rank or alpha, and unknown options', () => {
    const base = new nn.Linear(3, 2);
    expect(() => new nn.LoRALinear(new nn.ReLU() as unknown as nn.Linear, { rank: 1, alpha: 1 })).toThrow('LoRALinear: base must be an nn.Linear, got ReLU');
    expect(() => new nn.LoRALinear(base, { rank: 0, alpha: 1 })).toThrow('LoRALinear: rank must be a positive integer, got 0');
    expect(() => new nn.LoRALinear(base, { rank: 1.5, alpha: 1 })).toThrow(/rank must be a positive integer/);
    expect(() => new nn.LoRALinear(base, { rank: 2 } as nn.LoRALinearOptions)).toThrow('LoRALinear: alpha must be a finite number, got undefined');
    expect(() => new nn.LoRALinear(base, { rank: 2, alpha: 2, dropout: 1.5 })).toThrow('LoRALinear: dropout probability has to be between 0 and 1, got 1.5');
    expect(() => new nn.LoRALinear(base, { rank: 2, alpha: 2, lora_dropout: 0.1 } as nn.LoRALinearOptions)).toThrow("LoRALinear: unknown option 'lora_dropout'");
    expect(base.weight.requiresGrad).toBe(true); // nothing was frozen by the failed calls
  });
});
