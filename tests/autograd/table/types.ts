/**
 * The shape of an op-table entry. An entry names an exported op and gives a fast-check
 * generator of cases; each case says which float inputs the op takes (shape and value domain),
 * how to call the op on tensors, and how to compute the same result naively in float64.
 * Non-tensor arguments (dims, index tensors, masks, scalars) are drawn by the generator and
 * captured in `call` and `reference`, so the runners only ever deal with float inputs.
 */
import type { Arbitrary } from 'fast-check';
import type { Tensor } from '../../../src/index.js';
import type { NdArray } from '../reference.js';

/**
 * Where an input's values are drawn from: uniform in [lo, hi], pushed at least `margin` away from
 * each point of `avoid` (kinks and poles, where finite differences are meaningless).
 */
export interface Domain {
  lo: number;
  hi: number;
  avoid?: readonly number[];
  margin?: number;
}

/** One float input of a case. */
export interface InputSpec {
  shape: number[];
  domain: Domain;
}

/** One concrete call of an op: its float inputs, the call, and the reference. */
export interface OpCase {
  /** The non-tensor arguments, for failure messages (e.g. `dim=1 keepdim=true`). */
  label: string;
  inputs: InputSpec[];
  call(xs: Tensor[]): Tensor;
  reference(xs: NdArray[]): NdArray;
}

/** How a tensor's elements are laid out in its storage (see layouts.ts). */
export type Layout = 'contiguous' | 'transposed' | 'stepped' | 'permuted';

/** The dtype of an op's result, relative to its float inputs. */
export type ResultDtype = 'same' | 'bool' | 'int32' | 'float32' | 'float64';

/** An op of the table. */
export interface OpEntry {
  /** The op's exported name (or, for method-only forms such as `T` and `double`, the method's). */
  name: string;
  /** Differentiable ops are gradchecked; the others (comparisons, argmax…) are checked forward only. */
  differentiable: boolean;
  cases: Arbitrary<OpCase>;
  /** The result's dtype (default 'same': the inputs' float dtype). */
  result?: ResultDtype;
  /** Input layouts the op accepts (default all; `view` needs a viewable layout). */
  layouts?: readonly Layout[];
  /** float32 forward tolerance, absolute and relative (default 1e-5). */
  float32Tol?: number;
  /** gradcheck options other than the defaults (casts through float32 need a larger eps). */
  gradcheck?: { eps?: number; atol?: number; rtol?: number };
}
