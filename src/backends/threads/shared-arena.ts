/**
 * One SharedArrayBuffer reused by every pooled call for the copies workers read and write
 * (ordinary typed arrays cannot be shared between threads). It grows, never shrinks, so a
 * training loop stops allocating after its first step.
 */
import type { FloatArray } from '../../kernels/dtype.js';

export class SharedArena {
  private buffer = new SharedArrayBuffer(0);
  private used = 0;

  /** Starts a new call that needs `bytes` in all (sum of `take` sizes, each rounded up to 8). */
  begin(bytes: number): void {
    if (this.buffer.byteLength < bytes) this.buffer = new SharedArrayBuffer(Math.max(bytes, 2 * this.buffer.byteLength));
    this.used = 0;
  }

  /** Bytes `take` will reserve for `length` elements of `like`'s type. */
  static bytesFor(like: FloatArray, length: number): number {
    return Math.ceil((length * like.BYTES_PER_ELEMENT) / 8) * 8;
  }

  /** A shared array of `length` elements of `like`'s type (contents unspecified). */
  take(like: FloatArray, length: number): FloatArray {
    const at = this.used;
    this.used += SharedArena.bytesFor(like, length);
    if (this.used > this.buffer.byteLength) throw new Error('SharedArena.take: more than begin() reserved');
    return like instanceof Float64Array ? new Float64Array(this.buffer, at, length) : new Float32Array(this.buffer, at, length);
  }

  /** A shared copy of `src` (or `src` itself when it already lives in shared memory). */
  share(src: FloatArray): FloatArray {
    if (src.buffer instanceof SharedArrayBuffer) return src;
    const copy = this.take(src, src.length);
    copy.set(src);
    return copy;
  }
}
