import { describe, expect, it } from 'vitest';
import { DTypeError, io, manualSeed, nn, quant, randn, tensor } from '../../src/index.js';
import { markInt8 } from '../../src/io/int8-marks.js';

/** The header of a safetensors file as JSON. */
function header(bytes: Uint8Array): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
}

const model = () => new nn.Sequential(new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(3 * 5 * 5, 4));

describe('quantized models in safetensors', () => {
  it('saves int8 weights as I8 and scales and biases as F32, under the documented names', () => {
    manualSeed(7);
    const q = quant.quantize(model(), { mode: 'static', calibration: [randn([2, 1, 5, 5])] });
    const bytes = io.saveSafetensors(q.stateDict());
    const h = header(bytes);
    expect(Object.keys(h).sort()).toEqual([
      '0.bias', '0.input_scale', '0.input_zero_point', '0.weight', '0.weight_scale',
      '3.bias', '3.input_scale', '3.input_zero_point', '3.weight', '3.weight_scale',
    ]);
    expect(h['0.weight']).toMatchObject({ dtype: 'I8', shape: [3, 1, 3, 3] });
    expect(h['3.weight']).toMatchObject({ dtype: 'I8', shape: [4, 75] });
    expect(h['3.weight'].data_offsets[1] - h['3.weight'].data_offsets[0]).toBe(300);
    expect(h['3.weight_scale']).toMatchObject({ dtype: 'F32', shape: [4] });
    expect(h['3.bias']).toMatchObject({ dtype: 'F32', shape: [4] });
    expect(h['3.input_scale']).toMatchObject({ dtype: 'F32', shape: [] });
    expect(h['3.input_zero_point']).toMatchObject({ dtype: 'I8', shape: [] });
    // The I8 bytes are the two's complement of the weight values.
    const at = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true)) + h['3.weight'].data_offsets[0];
    expect(Array.from(new Int8Array(bytes.buffer, at, 300))).toEqual(Array.from(q.stateDict()['3.weight'].data()));
  });

  it('round-trips: a fresh model quantized and loaded from the file gives the same outputs', () => {
    manualSeed(8);
    const trained = quant.quantize(model());
    const x = randn([2, 1, 5, 5]);
    const before = trained.forward(x);
    const bytes = io.saveSafetensors(trained.stateDict());
    manualSeed(9);
    const fresh = quant.quantize(model());
    expect(Array.from(fresh.forward(x).data())).not.toEqual(Array.from(before.data()));
    fresh.loadStateDict(io.loadSafetensors(bytes));
    expect(Array.from(fresh.forward(x).data())).toEqual(Array.from(before.data()));
    // Loaded tensors stay I8 when saved again: the same bytes.
    expect(io.saveSafetensors(fresh.stateDict())).toEqual(bytes);
    const assigned = quant.quantize(model());
    assigned.loadStateDict(io.loadSafetensors(bytes), { assign: true });
    expect(io.saveSafetensors(assigned.stateDict())).toEqual(bytes);
  });

  it('is about a quarter of the float file for weight-dominated models', () => {
    manualSeed(10);
    const mlp = new nn.Sequential(new nn.Linear(256, 256), new nn.ReLU(), new nn.Linear(256, 10));
    const float = io.saveSafetensors(mlp.stateDict()).length;
    const int8 = io.saveSafetensors(quant.quantize(mlp).stateDict()).length;
    expect(float / int8).toBeGreaterThan(3.8);
  });

  it('an I8 entry loads as int32 and saves back as I8; a marked tensor outside int8 is refused', () => {
    const bytes = io.saveSafetensors({ w: markInt8(tensor([-128, 0, 127], { dtype: 'int32' })) });
    expect(header(bytes).w.dtype).toBe('I8');
    const loaded = io.loadSafetensors(bytes);
    expect(loaded.w.dtype).toBe('int32');
    expect(Array.from(loaded.w.data())).toEqual([-128, 0, 127]);
    expect(io.saveSafetensors(loaded)).toEqual(bytes);
    expect(header(io.saveSafetensors({ w: tensor([1, 2], { dtype: 'int32' }) })).w.dtype).toBe('I32');
    expect(() => io.saveSafetensors({ w: markInt8(tensor([1, 200], { dtype: 'int32' })) })).toThrow(DTypeError);
    expect(() => io.saveSafetensors({ w: markInt8(tensor([1, 200], { dtype: 'int32' })) })).toThrow(/tensor "w" is written as I8, but element 1 is 200, outside \[-128, 127\]/);
  });
});
