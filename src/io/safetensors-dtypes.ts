/**
 * The dtypes a safetensors file can declare, with their bit sizes, in the order of the reference
 * implementation's `Dtype` enum (increasing alignment). The writer sorts tensors by this order,
 * descending, so 8-byte types come first and every tensor start stays aligned to its element size.
 */

/** Every dtype string the format defines, in the reference enum order. Names are case-sensitive. */
export const SAFETENSORS_DTYPES = [
  'BOOL',
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'C64',
  'F64',
  'I64',
  'U64',
] as const;

/** A dtype string of the safetensors format. */
export type SafetensorsDType = (typeof SAFETENSORS_DTYPES)[number];

/** Bits per element (sub-byte dtypes pack several elements per byte). */
const BITS: Record<SafetensorsDType, number> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F8_E4M3FNUZ: 8,
  F8_E5M2FNUZ: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

const NAMES: ReadonlySet<string> = new Set(SAFETENSORS_DTYPES);

/** True when `name` is one of the format's dtype strings (exact, case-sensitive). */
export function isSafetensorsDType(name: string): name is SafetensorsDType {
  return NAMES.has(name);
}

/** Bits per element of `dtype`. */
export function bitSize(dtype: SafetensorsDType): number {
  return BITS[dtype];
}

/** Position of `dtype` in the reference enum order (the writer's sort key). */
export function dtypeRank(dtype: SafetensorsDType): number {
  return SAFETENSORS_DTYPES.indexOf(dtype);
}
