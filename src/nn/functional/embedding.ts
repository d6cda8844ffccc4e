/**
 * `embedding(input, weight, {paddingIdx})`: looks up rows of `weight` [num, dim] for int32
 * indices of any shape (*), giving (*, dim).
 */
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { EmbeddingLookup } from '../../autograd/functions/embedding.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions, optionKeys } from '../../options.js';

/** Options of `embedding`. */
export interface EmbeddingOptions {
  /** A row that receives no gradient (negative counts from the end). */
  paddingIdx?: number | null;
}

/** Normalises a padding index against `rows` (negative counts from the end), checking its range. */
export function normalizePaddingIdx(op: string, paddingIdx: number | null | undefined, rows: number): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (!Number.isInteger(paddingIdx) || paddingIdx >= rows || paddingIdx < -rows) {
    throw new ShapeError(`${op}: paddingIdx ${paddingIdx} must be within [${-rows}, ${rows})`);
  }
  return paddingIdx < 0 ? rows + paddingIdx : paddingIdx;
}

/** The rows of `weight` named by `input`: shape [...input.shape, weight.shape[1]]. `F.embedding(ids, table)` */
export function embedding(input: Tensor, weight: Tensor, opts: EmbeddingOptions = {}): Tensor {
  checkOptions('embedding', opts, optionKeys<EmbeddingOptions>({ paddingIdx: true }));
  if (input.dtype !== 'int32') throw new DTypeError(`embedding: indices must be int32, got ${input.dtype}`);
  if (weight.ndim !== 2) throw new ShapeError(`embedding: weight must be 2-d [num, dim], got shape ${fmtShape(weight.shape)}`);
  const paddingIdx = normalizePaddingIdx('embedding', opts.paddingIdx, weight.shape[0]);
  const flat = EmbeddingLookup.apply(weight, input.reshape([input.size]).contiguous(), paddingIdx);
  return flat.reshape([...input.shape, weight.shape[1]]);
}
