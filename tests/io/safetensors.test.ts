/** saveSafetensors / loadSafetensors on Tensors. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { loadSafetensors, loadSafetensorsWithMetadata, pytorchInt64Keys, saveSafetensors } from '../../src/io/index.js';
import { tensor } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { stateDict } from './arbitraries.js';
import { expectFormatError } from './helpers.js';

const headerOf = (file: Uint8Array): string =>
  new TextDecoder().decode(file.subarray(8, 8 + Number(new DataView(file.buffer).getBigUint64(0, true))));

describe('saveSafetensors / loadSafetensors', () => {
  it('round-trips random state dicts of Tensors', () => {
    fc.assert(
      fc.property(stateDict, (records) => {
        const tensors = Object.fromEntries(
          [...records].map(([name, r]) => [name, tensor(r.data.slice(), { dtype: r.dtype, shape: r.shape })]),
        );
        const loaded = loadSafetensors(saveSafetensors(tensors));
        expect(Object.keys(loaded).sort()).toEqual(Object.keys(tensors).sort());
        for (const [name, t] of Object.entries(tensors)) {
          const back = loaded[name];
          expect(back).toBeInstanceOf(Tensor);
          expect(back?.dtype).toBe(t.dtype);
          expect(back?.shape).toEqual(t.shape);
          expect(back?.toTypedArray()).toEqual(t.toTypedArray());
        }
      }),
      { seed: 21, numRuns: 150 },
    );
  });

  it('writes a non-contiguous view in row-major order', () => {
    // storage [[0,1,2],[3,4,5]] seen transposed: shape [3,2], rows (0,3), (1,4), (2,5)
    const transposed = new Tensor(Float32Array.of(0, 1, 2, 3, 4, 5), [3, 2], { strides: [1, 3] });
    const loaded = loadSafetensors(saveSafetensors({ t: transposed }));
    expect(loaded['t']?.shape).toEqual([3, 2]);
    expect(loaded['t']?.toTypedArray()).toEqual(Float32Array.of(0, 3, 1, 4, 2, 5));
  });

  it('a PyTorch BatchNorm state dict: num_batches_tracked as a 0-d I64 with pytorchInt64Keys', () => {
    const sd = {
      'bn.weight': tensor(Float32Array.of(1, 1)),
      'bn.bias': tensor(Float32Array.of(0, 0)),
      'bn.running_mean': tensor(Float32Array.of(0.5, -0.5)),
      'bn.running_var': tensor(Float32Array.of(1, 2)),
      'bn.num_batches_tracked': tensor(Int32Array.of(12), { shape: [] }),
      'other.count': tensor(Int32Array.of(3), { shape: [] }),
    };
    const file = saveSafetensors(sd, { format: 'pt' }, { int64Keys: pytorchInt64Keys });
    const header = headerOf(file);
    expect(header.startsWith('{"__metadata__":{"format":"pt"},"bn.num_batches_tracked":{"dtype":"I64","shape":[]')).toBe(
      true,
    );
    expect(header).toContain('"other.count":{"dtype":"I32"');
    const { tensors, metadata } = loadSafetensorsWithMetadata(file);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors['bn.num_batches_tracked']?.dtype).toBe('int32');
    expect(tensors['bn.num_batches_tracked']?.shape).toEqual([]);
    expect(tensors['bn.num_batches_tracked']?.item()).toBe(12);
    expect(tensors['bn.running_var']?.toTypedArray()).toEqual(Float32Array.of(1, 2));
  });

  it('pytorchInt64Keys selects num_batches_tracked names only', () => {
    expect(pytorchInt64Keys('num_batches_tracked')).toBe(true);
    expect(pytorchInt64Keys('features.1.num_batches_tracked')).toBe(true);
    expect(pytorchInt64Keys('my_num_batches_tracked')).toBe(false);
    expect(pytorchInt64Keys('bn.running_mean')).toBe(false);
  });

  it('a predicate only applies to int32 tensors', () => {
    const file = saveSafetensors({ num_batches_tracked: tensor(Float32Array.of(1)) }, undefined, {
      int64Keys: pytorchInt64Keys,
    });
    expect(headerOf(file)).toContain('"dtype":"F32"');
  });

  it('loaded tensors own their memory', () => {
    const file = saveSafetensors({ w: tensor(Float32Array.of(1, 2, 3)) });
    const copy = file.slice();
    const w = loadSafetensors(file)['w'];
    expect(w?.storage.buffer).not.toBe(file.buffer);
    w?.storage.fill(9);
    expect(file).toEqual(copy);
  });

  it('refuses values that are not Tensors, and malformed files', () => {
    expect(() => saveSafetensors({ w: Float32Array.of(1) as unknown as Tensor })).toThrow(
      'saveSafetensors: the value of "w" is not a Tensor',
    );
    expectFormatError(() => loadSafetensors(new Uint8Array(3)), 'HeaderTooSmall');
    expect(() => loadSafetensors(Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 1))).toThrow(FormatError);
  });
});
