/**
 * Splitting a batch so that every buffer a kernel reads or writes stays below the float-index
 * limit. GL backends compute indices in float32, which holds every integer only up to 2^24, so a
 * buffer of more elements would be read at the wrong places without any error.
 */
import { ShapeError } from '../../errors.js';

/** Float32 represents every integer in [0, 2^24]; buffers may hold at most this many elements. */
export const FLOAT_INDEX_LIMIT = 2 ** 24;

/** One buffer's size as a function of the items (batch entries) in a shard: shared + items·perItem. */
export interface BufferSize {
  /** The buffer's name in error messages. */
  name: string;
  /** Elements added by each item of the batch (0 for a buffer shared by all, e.g. conv weights). */
  perItem: number;
  /** Elements present whatever the number of items. */
  shared: number;
}

/**
 * The largest number of items per shard for which every buffer has at most `limit` elements.
 * Throws a ShapeError naming the op when even one item is too large: then sharding the batch
 * cannot help and the op must run on the CPU backend.
 */
export function itemsPerShard(op: string, items: number, buffers: readonly BufferSize[], limit: number): number {
  let fit = items;
  for (const b of buffers) {
    const one = b.shared + b.perItem;
    if (one > limit) {
      throw new ShapeError(
        `${op}: ${b.name} needs ${one} elements for a single batch entry, more than ${limit}; ` +
          `GPU kernels index through float32, exact only up to 2^24 = ${FLOAT_INDEX_LIMIT} elements, and shard only ` +
          `along the batch. Run this op on the CPU backend (useBackend('cpu')).`,
      );
    }
    if (b.perItem > 0) fit = Math.min(fit, Math.floor((limit - b.shared) / b.perItem));
  }
  return Math.max(1, fit);
}
