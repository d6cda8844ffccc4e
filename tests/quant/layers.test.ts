import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, manualSeed, nn, noGrad, quant, randn, tensor, type Tensor } from '../../src/index.js';

/**
 * The error bound of one quantized dot product: with x = x̂ + δx, w = ŵ + δw (|δx| ≤ s_x/2,
 * |δw| ≤ s_w/2), |Σ x·w − Σ x̂·ŵ| ≤ Σ (|x|·s_w/2 + |w|·s_x/2 + s_x·s_w/4).
 */
function dotBound(x: ArrayLike<number>, w: ArrayLike<number>, sx: number, sw: number): number {
  let b = 0;
  for (let p = 0; p < x.length; p++) b += (Math.abs(x[p]) * sw) / 2 + (Math.abs(w[p]) * sx) / 2 + (sx * sw) / 4;
  return b;
}

function maxAbs(a: Tensor): number {
  return Math.max(...Array.from(a.data(), Math.abs));
}

describe('QuantizedLinear', () => {
  it('keeps the shape and stays within the quantization error bound of the float layer, per output', () => {
    manualSeed(1);
    const lin = new nn.Linear(37, 11);
    const x = randn([2, 3, 37]);
    const y = noGrad(() => lin.forward(x));
    const q = quant.QuantizedLinear.fromFloat(lin);
    const yq = q.forward(x);
    expect(yq.shape).toEqual([2, 3, 11]);
    expect(yq.dtype).toBe('float32');
    const sx = quant.activationParams(Math.min(...x.data()), Math.max(...x.data())).scale;
    const scales = q.getBuffer('weight_scale')!.data();
    const w = lin.weight.data();
    const xs = x.data();
    for (let r = 0; r < 6; r++) {
      for (let o = 0; o < 11; o++) {
        const bound = dotBound(xs.subarray(r * 37, r * 37 + 37), w.subarray(o * 37, o * 37 + 37), sx, scales[o]);
        expect(Math.abs(yq.data()[r * 11 + o] - y.data()[r * 11 + o])).toBeLessThanOrEqual(bound * 1.0001 + 1e-5);
      }
    }
    // And the error is small against the output's size: a real approximation, not noise.
    expect(maxAbs(yq.sub(y))).toBeLessThan(0.02 * maxAbs(y));
  });

  it('computes exactly the int8 formula: s_x·s_o·(Σ q_x·q_w − z_x·Σ q_w) + b', () => {
    const lin = new nn.Linear(3, 2);
    noGrad(() => {
      lin.weight.copy_(tensor([[1, -2, 0.5], [0.25, 0, -1]]));
      lin.bias!.copy_(tensor([0.5, -1]));
    });
    const q = quant.QuantizedLinear.fromFloat(lin);
    const x = tensor([[2, -1, 0.5]]);
    const p = quant.activationParams(-1, 2);
    const qx = Array.from(quant.quantizeActivations(x.data(), p));
    const qw = Array.from(q.getBuffer('weight')!.data());
    const sw = q.getBuffer('weight_scale')!.data();
    const expected = [0, 1].map((o) => {
      let acc = 0;
      let sum = 0;
      for (let j = 0; j < 3; j++) {
        acc += qx[j] * qw[o * 3 + j];
        sum += qw[o * 3 + j];
      }
      return Math.fround(p.scale * sw[o] * (acc - p.zeroPoint * sum) + [0.5, -1][o]);
    });
    expect(Array.from(q.forward(x).data())).toEqual(expected);
  });

  it('static mode uses the calibrated range (saturating outside it); float64 in gives float64 out', () => {
    manualSeed(2);
    const lin = new nn.Linear(5, 4);
    const q = quant.QuantizedLinear.fromFloat(lin, 'static', { min: -1, max: 1 });
    expect(q.getBuffer('input_scale')!.item()).toBe(Math.fround(2 / 255));
    const inside = randn([3, 5]).clamp(-1, 1);
    expect(maxAbs(q.forward(inside).sub(noGrad(() => lin.forward(inside))))).toBeLessThan(0.03);
    // Inputs beyond the range saturate at its ends.
    const big = tensor([[5, -5, 5, -5, 5]]);
    const edge = tensor([[1.5, -1.5, 1.5, -1.5, 1.5]]);
    expect(Array.from(q.forward(big).data())).toEqual(Array.from(q.forward(edge).data()));
    const y64 = q.forward(inside.to('float64'));
    expect(y64.dtype).toBe('float64');
    expect(() => quant.QuantizedLinear.fromFloat(lin, 'static')).toThrow(/QuantizedLinear: static mode needs the input range/);
  });

  it('refuses bad inputs with errors naming the layer and the shapes or dtypes', () => {
    const q = quant.QuantizedLinear.fromFloat(new nn.Linear(4, 2));
    expect(() => q.forward(randn([3, 5]))).toThrow(ShapeError);
    expect(() => q.forward(randn([3, 5]))).toThrow(/^QuantizedLinear: expected input \(\*, 4\), got \[3,5\]/);
    expect(() => q.forward(tensor([[1, 2, 3, 4]], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => q.forwardChannels(randn([1, 4]), 1, 2)).toThrow(/outputs 1 … 2 are outside the 2 outputs/);
    expect(() => new quant.QuantizedLinear(randn([4]), null)).toThrow(/expected a 2-d weight \[out, in\], got \[4\]/);
    expect(() => new quant.QuantizedLinear(randn([2, 4]), randn([3]))).toThrow(/bias \[3\] does not match weight \[2,4\]/);
  });
});

describe('QuantizedConv2d', () => {
  for (const geometry of [
    { name: 'padded', opts: { padding: 1 }, inC: 3, outC: 4, k: 3, hw: [7, 6] },
    { name: 'strided, dilated, grouped', opts: { stride: 2, dilation: 2, groups: 2, padding: 2 }, inC: 4, outC: 6, k: 3, hw: [9, 8] },
    { name: "'same'", opts: { padding: 'same' as const, bias: false }, inC: 2, outC: 3, k: [3, 2] as [number, number], hw: [5, 5] },
  ]) {
    it(`(${geometry.name}) matches the float convolution within the quantization error`, () => {
      manualSeed(3);
      const conv = new nn.Conv2d(geometry.inC, geometry.outC, geometry.k, geometry.opts);
      const x = randn([2, geometry.inC, ...geometry.hw]);
      const y = noGrad(() => conv.forward(x));
      const q = quant.QuantizedConv2d.fromFloat(conv);
      const yq = q.forward(x);
      expect(yq.shape).toEqual(y.shape);
      // Each output is a dot product over at most C/groups·kH·kW taps of |x| ≤ max|x|.
      const sx = quant.activationParams(Math.min(...x.data()), Math.max(...x.data())).scale;
      const taps = (geometry.inC / (geometry.opts.groups ?? 1)) * (typeof geometry.k === 'number' ? geometry.k ** 2 : geometry.k[0] * geometry.k[1]);
      const xMax = maxAbs(x);
      const wMax = maxAbs(conv.weight);
      const swMax = Math.max(...q.getBuffer('weight_scale')!.data());
      const bound = taps * ((xMax * swMax) / 2 + (wMax * sx) / 2 + (sx * swMax) / 4);
      expect(maxAbs(yq.sub(y))).toBeLessThanOrEqual(bound);
      expect(maxAbs(yq.sub(y))).toBeLessThan(0.03 * maxAbs(y));
      // An unbatched image gives what a batch of that one image gives.
      const one = x.narrow(0, 0, 1);
      expect(Array.from(q.forward(one.squeeze(0)).data())).toEqual(Array.from(q.forward(one).data()));
    });
  }

  it('refuses bad inputs and unsupported padding modes', () => {
    const q = quant.QuantizedConv2d.fromFloat(new nn.Conv2d(2, 3, 3));
    expect(() => q.forward(randn([1, 3, 5, 5]))).toThrow(/^QuantizedConv2d: expected input \(N, 2, H, W\) or \(2, H, W\), got \[1,3,5,5\]/);
    expect(() => q.forward(randn([1, 2, 2, 2]))).toThrow(/smaller than the kernel/);
    expect(() => quant.QuantizedConv2d.fromFloat(new nn.Conv2d(2, 3, 3, { paddingMode: 'reflect', padding: 1 }))).toThrow(/only paddingMode 'zeros' is supported, got 'reflect'/);
    expect(() => new quant.QuantizedConv2d(randn([3, 2, 3, 3]), null, { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 2 })).toThrow(/groups=2 must be a positive divisor of the 3 output channels/);
  });
});

describe('quant.quantize', () => {
  const mlp = () => new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Linear(8, 3));

  it('replaces Linear and Conv2d layers (inside Sequential, fields and ModuleDict) and keeps the forward', () => {
    manualSeed(4);
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 3, { padding: 1 }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(2 * 4 * 4, 3));
    const x = randn([5, 1, 4, 4]);
    const y = noGrad(() => model.forward(x));
    const out = quant.quantize(model);
    expect(out).toBe(model);
    expect(model.training).toBe(false);
    const kinds = model.children().map((m) => m.constructor.name);
    expect(kinds).toEqual(['QuantizedConv2d', 'ReLU', 'Flatten', 'QuantizedLinear']);
    expect(maxAbs(model.forward(x).sub(y))).toBeLessThan(0.03 * maxAbs(y));
    const dict = new nn.ModuleDict({ a: new nn.Linear(2, 2), b: new nn.ReLU() });
    quant.quantize(dict);
    expect(dict.get('a')).toBeInstanceOf(quant.QuantizedLinear);
  });

  it("layers picks the kinds; a Conv2d with another padding mode stays float", () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 3, { padding: 1, paddingMode: 'circular' }), new nn.Conv2d(2, 2, 1), new nn.Flatten(), new nn.Linear(2 * 16, 3));
    quant.quantize(model, { layers: ['Linear'] });
    expect(model.children().map((m) => m.constructor.name)).toEqual(['Conv2d', 'Conv2d', 'Flatten', 'QuantizedLinear']);
    quant.quantize(model);
    expect(model.children().map((m) => m.constructor.name)).toEqual(['Conv2d', 'QuantizedConv2d', 'Flatten', 'QuantizedLinear']);
  });

  it('static mode calibrates each layer on the batches: the ranges are those the layers saw', () => {
    manualSeed(5);
    const model = mlp();
    const batches = [randn([4, 6]), randn([4, 6]).mul(3)];
    const hidden = noGrad(() => batches.map((b) => (model.at(1) as nn.ReLU).forward((model.at(0) as nn.Linear).forward(b))));
    quant.quantize(model, { mode: 'static', calibration: batches });
    const first = model.at(0) as quant.QuantizedLinear;
    const second = model.at(2) as quant.QuantizedLinear;
    const all = batches.flatMap((b) => Array.from(b.data()));
    expect(first.getBuffer('input_scale')!.item()).toBe(quant.activationParams(Math.min(...all), Math.max(...all)).scale);
    const hiddenMax = Math.max(...hidden.flatMap((h) => Array.from(h.data())));
    expect(second.getBuffer('input_scale')!.item()).toBe(quant.activationParams(0, hiddenMax).scale);
    expect(second.getBuffer('input_zero_point')!.item()).toBe(-128);
  });

  it('quantizes MultiheadAttention (packed in_proj and out_proj) inside a Transformer encoder, close to float', () => {
    manualSeed(6);
    const layer = new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, dropout: 0, batchFirst: true });
    const encoder = new nn.TransformerEncoder(layer, 2);
    encoder.eval();
    const x = randn([2, 5, 16]);
    const y = noGrad(() => encoder.forward(x));
    quant.quantize(encoder, { mode: 'static', calibration: [x] });
    const attn = encoder.layers[0].self_attn;
    expect(attn).toBeInstanceOf(quant.QuantizedMultiheadAttention);
    expect(attn.out_proj).toBeInstanceOf(quant.QuantizedLinear);
    expect(Object.keys(encoder.stateDict())).toContain('layers.0.self_attn.in_proj.weight');
    expect(Object.keys(encoder.stateDict())).not.toContain('layers.0.self_attn.in_proj_weight');
    expect(maxAbs(encoder.forward(x).sub(y))).toBeLessThan(0.05 * maxAbs(y));
    // Cross-attention projects q, k and v with their own rows of the packed weight.
    const mha = new nn.MultiheadAttention(8, 2, { batchFirst: true });
    mha.eval();
    const [q, kv] = [randn([1, 3, 8]), randn([1, 4, 8])];
    const [ref] = noGrad(() => mha.forward(q, kv, kv));
    const [got] = new quant.QuantizedMultiheadAttention(mha).forward(q, kv, kv);
    expect(maxAbs(got.sub(ref))).toBeLessThan(0.05 * maxAbs(ref));
  });

  it('refuses bad options before changing the model, naming them', () => {
    const model = mlp();
    expect(() => quant.quantize(model, { mode: 'fast' as never })).toThrow(/^quant\.quantize: mode must be 'dynamic' or 'static', got "fast"/);
    expect(() => quant.quantize(model, { mode: 'static' })).toThrow(/static mode needs calibration: a non-empty array of input Tensors/);
    expect(() => quant.quantize(model, { mode: 'static', calibration: [] })).toThrow(/static mode needs calibration/);
    expect(() => quant.quantize(model, { calibration: [randn([1, 6])] })).toThrow(/calibration is only used in static mode/);
    expect(() => quant.quantize(model, { layers: ['LSTM' as never] })).toThrow(/unknown layer kind "LSTM"; the kinds are 'Linear', 'Conv2d', 'MultiheadAttention'/);
    expect(() => quant.quantize(model, { mode: 'static', calibration: [randn([1, 7])] })).toThrow(ShapeError);
    expect(() => quant.quantize({} as never)).toThrow(/^quant\.quantize: expected a Module/);
    expect(model.children().map((m) => m.constructor.name)).toEqual(['Linear', 'ReLU', 'Linear']);
  });

  it('static mode refuses layers the calibration never reached', () => {
    class TwoHeads extends nn.Module {
      used = new nn.Linear(2, 2);
      unused = new nn.Linear(2, 2);
      override forward(x: Tensor): Tensor {
        return this.used.forward(x);
      }
    }
    expect(() => quant.quantize(new TwoHeads(), { mode: 'static', calibration: [randn([1, 2])] })).toThrow(/the calibration batches never reached unused/);
  });
});
