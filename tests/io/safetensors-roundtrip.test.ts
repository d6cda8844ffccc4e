/** Property tests: random state dicts survive a write and a read bit for bit. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/io/safetensors-read.js';
import { encodeSafetensors, type WriteRecord } from '../../src/io/safetensors-write.js';
import { metadata, stateDict } from './arbitraries.js';

const bytesOf = (data: WriteRecord['data']) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

describe('safetensors round trip', () => {
  it('decode(encode(x)) has the same names, dtypes, shapes, bits and metadata', () => {
    fc.assert(
      fc.property(stateDict, metadata, (tensors, meta) => {
        const file = encodeSafetensors(tensors, { metadata: meta });
        const decoded = decodeSafetensors(file);
        expect(new Set(decoded.tensors.keys())).toEqual(new Set(tensors.keys()));
        for (const [name, record] of tensors) {
          const back = decoded.tensors.get(name);
          expect(back?.dtype).toBe(record.dtype);
          expect(back?.shape).toEqual(record.shape);
          expect(back && bytesOf(back.data)).toEqual(bytesOf(record.data));
        }
        expect(decoded.metadata).toEqual(meta ?? new Map());
      }),
      { seed: 7, numRuns: 400 },
    );
  });

  it('the writer pads the header to 8 bytes and aligns every tensor to its element size', () => {
    fc.assert(
      fc.property(stateDict, metadata, (tensors, meta) => {
        const file = encodeSafetensors(tensors, { metadata: meta });
        const headerLength = Number(new DataView(file.buffer).getBigUint64(0, true));
        expect(headerLength % 8).toBe(0);
        const header: unknown = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLength)));
        for (const [name, record] of tensors) {
          const entry = (header as Record<string, { data_offsets: [number, number] }>)[name];
          expect((entry?.data_offsets[0] ?? -1) % record.data.BYTES_PER_ELEMENT).toBe(0);
        }
      }),
      { seed: 8, numRuns: 200 },
    );
  });

  it('encoding is canonical: encode(decode(encode(x))) == encode(x)', () => {
    fc.assert(
      fc.property(stateDict, metadata, (tensors, meta) => {
        const file = encodeSafetensors(tensors, { metadata: meta });
        const decoded = decodeSafetensors(file);
        // the reader does not tell an absent __metadata__ from an empty one, so pass absence on
        const again = encodeSafetensors(decoded.tensors, { metadata: meta && decoded.metadata });
        expect(again).toEqual(file);
      }),
      { seed: 9, numRuns: 200 },
    );
  });

  it('int32 tensors written as I64 read back unchanged', () => {
    fc.assert(
      fc.property(stateDict, (tensors) => {
        const ints = [...tensors].filter(([, r]) => r.dtype === 'int32').map(([name]) => name);
        const file = encodeSafetensors(tensors, { int64Keys: ints });
        const decoded = decodeSafetensors(file);
        for (const name of ints) expect(decoded.tensors.get(name)?.data).toEqual(tensors.get(name)?.data);
      }),
      { seed: 10, numRuns: 200 },
    );
  });
});
