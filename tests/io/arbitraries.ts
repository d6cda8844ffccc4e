/** fast-check generators of tensor records and state dicts for the io property tests. */

import fc from 'fast-check';
import type { DType } from '../../src/kernels/dtype.js';
import type { WriteRecord } from '../../src/io/safetensors-write.js';

/** Tensor names: any well-formed Unicode (astral planes included), dotted PyTorch-style names, the empty name. */
export const tensorName: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.array(fc.oneof(fc.constantFrom('weight', 'bias', 'features', 'running_mean'), fc.nat(20).map(String)), {
      minLength: 1,
      maxLength: 4,
    }).map((parts) => parts.join('.')),
  )
  .filter((name) => name !== '__metadata__' && name !== '__proto__');

/** Shapes of rank 0–4, zero-size dims included, at most 4^4 elements. */
export const shape: fc.Arbitrary<number[]> = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });

function dataOf(dtype: DType, length: number): fc.Arbitrary<WriteRecord['data']> {
  const sized = { minLength: length, maxLength: length };
  switch (dtype) {
    case 'float32':
      return fc.float32Array(sized);
    case 'float64':
      return fc.float64Array(sized);
    case 'int32':
      return fc.int32Array(sized);
    case 'bool':
      return fc.array(fc.boolean(), sized).map((bits) => Uint8Array.from(bits, Number));
  }
}

/** A tensor record of any dtype with data matching its shape. */
export const tensorRecord: fc.Arbitrary<WriteRecord> = fc
  .tuple(fc.constantFrom<DType>('float32', 'float64', 'int32', 'bool'), shape)
  .chain(([dtype, dims]) =>
    dataOf(dtype, dims.reduce((a, b) => a * b, 1)).map((data) => ({ dtype, shape: dims, data })),
  );

/** A state dict of 0–6 uniquely named tensors. */
export const stateDict: fc.Arbitrary<Map<string, WriteRecord>> = fc
  .uniqueArray(fc.tuple(tensorName, tensorRecord), { maxLength: 6, selector: ([name]) => name })
  .map((entries) => new Map(entries));

/** Metadata maps, or none. */
export const metadata: fc.Arbitrary<Map<string, string> | undefined> = fc.option(
  fc
    .uniqueArray(fc.tuple(tensorName, fc.string({ unit: 'binary', maxLength: 8 })), {
      maxLength: 3,
      selector: ([key]) => key,
    })
    .map((entries) => new Map(entries)),
  { nil: undefined },
);
