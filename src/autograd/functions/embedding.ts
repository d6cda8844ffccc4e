/**
 * Embedding lookup: out[i, :] = weight[index[i], :] for a flat int32 index. It is indexSelect
 * along dim 0 except in backward, where the rows of `paddingIdx` get no gradient (PyTorch's
 * `padding_idx`: that row stays a fixed "no token" vector while training).
 */
import { ShapeError } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Function } from '../function.js';
import type { ContextWith } from '../../tensor/graph-node.js';
import { indexSelect, indexAdd } from './indexing.js';
import { newTensor } from './util.js';

type EmbeddingCtx = ContextWith<{ weightShape: readonly number[]; paddingIdx: number | null }>;

export class EmbeddingLookup extends Function {
  static override forward(ctx: EmbeddingCtx, weight: Tensor, index: Tensor, paddingIdx: number | null): Tensor {
    const indices = index.data();
    const rows = weight.shape[0];
    for (let i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= rows) {
        throw new ShapeError(`embedding: index ${indices[i]} is out of range for an embedding of ${rows} rows`);
      }
    }
    ctx.weightShape = weight.shape;
    ctx.paddingIdx = paddingIdx;
    ctx.saveForBackward(index);
    return indexSelect(weight, 0, index);
  }
  // ∂out[i, :]/∂weight[index[i], :] = I, so gradWeight[r] = Σ_{i: index[i] = r} g[i]; the
  // padding row's contributions are masked to zero first.
  static override backward(ctx: EmbeddingCtx, g: Tensor): (Tensor | null)[] {
    const [index] = ctx.savedTensors;
    const kept = ctx.paddingIdx === null ? g : g.mul(index.ne(ctx.paddingIdx).unsqueeze(1).to(g.dtype));
    return [indexAdd(newTensor(ctx.weightShape, g.dtype), 0, index, kept), null, null];
  }
}
