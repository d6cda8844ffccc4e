/**
 * Reductions over the innermost block of a contiguous array. The caller arranges the reduced
 * dims last (permute + contiguous), so the data is `outer` consecutive blocks of `inner`
 * elements and each kernel reduces every block to one value (or, for softmax, maps it).
 */
import type { TypedArray, FloatArray } from './dtype.js';

/** The eight running sums of one block, filled by `eightSums` (or a backend's faster loop). */
const partialSums = new Float64Array(8);

/** sums[k] = Σ_j src[start + 8j + k] over n elements (n a multiple of 8): the loop `sumBlocks` is built on. */
export type EightSums = (src: TypedArray, start: number, n: number, sums: Float64Array) => void;

/**
 * A sum of each block, out[o] = Σ_i src[o·inner + i], over eight running sums in float64 (s_k over the elements i ≡ k mod 8)
 * instead of one: each add waits for the previous one into the same sum, so one chain runs at the
 * add's latency, and independent chains keep the adder busy (four sums measured 1.8× faster than
 * one on 1M floats). The elements past the last multiple of 8 join s0, and the sums are added
 * pairwise. `sumBlocksUsing(eight)` builds it over another `EightSums` loop (the WebAssembly
 * backend's keeps the same eight sums in the same order, so its results are the same).
 */
export function sumBlocksUsing(eight: EightSums): (src: TypedArray, out: TypedArray, outer: number, inner: number) => void {
  return (src, out, outer, inner) => {
    const body = inner - (inner % 8);
    const s = partialSums;
    for (let o = 0, base = 0; o < outer; o++, base += inner) {
      eight(src, base, body, s);
      let s0 = s[0];
      for (let i = base + body; i < base + inner; i++) s0 += src[i];
      out[o] = ((s0 + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }
  };
}

/** sums[k] = Σ_j src[start + 8j + k] over n elements (n a multiple of 8). */
export function eightSums(src: TypedArray, start: number, n: number, sums: Float64Array): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  for (let i = start, end = start + n; i < end; i += 8) {
    s0 += src[i];
    s1 += src[i + 1];
    s2 += src[i + 2];
    s3 += src[i + 3];
    s4 += src[i + 4];
    s5 += src[i + 5];
    s6 += src[i + 6];
    s7 += src[i + 7];
  }
  sums[0] = s0; sums[1] = s1; sums[2] = s2; sums[3] = s3;
  sums[4] = s4; sums[5] = s5; sums[6] = s6; sums[7] = s7;
}

/** out[o] = Σ_i src[o·inner + i] on the plain `eightSums` loop. */
export const sumBlocks = sumBlocksUsing(eightSums);

/** out[o] = max (or min) of block o; indices[o] = its first position in the block. NaN wins, as in PyTorch. */
export function extremumBlocks(
  src: TypedArray, out: TypedArray, indices: Int32Array | null, outer: number, inner: number, wantMax: boolean,
): void {
  for (let o = 0, base = 0; o < outer; o++, base += inner) {
    let best = src[base];
    let bestAt = 0;
    for (let i = 1; i < inner && best === best; i++) {
      const v = src[base + i];
      if (v !== v || (wantMax ? v > best : v < best)) {
        best = v;
        bestAt = i;
      }
    }
    out[o] = best;
    if (indices) indices[o] = bestAt;
  }
}

/**
 * out[o] = Σ_i (x_i − mean)² / (inner − correction), two passes (mean first) for accuracy.
 * With inner − correction ≤ 0 the result is NaN, as in PyTorch.
 */
export function varianceBlocks(src: TypedArray, out: FloatArray, outer: number, inner: number, correction: number): void {
  for (let o = 0, base = 0; o < outer; o++, base += inner) {
    let mean = 0;
    for (let i = 0; i < inner; i++) mean += src[base + i];
    mean /= inner;
    let ss = 0;
    for (let i = 0; i < inner; i++) {
      const d = src[base + i] - mean;
      ss += d * d;
    }
    const denom = inner - correction;
    out[o] = denom > 0 ? ss / denom : NaN;
  }
}

/**
 * out[o] = m + log Σ_i exp(x_i − m) with m the block's max, so no exp overflows. A NaN becomes
 * the max, so it propagates (rather than an all-NaN block giving −∞, or NaN beside ∞ giving ∞).
 */
export function logsumexpBlocks(src: FloatArray, out: FloatArray, outer: number, inner: number): void {
  for (let o = 0, base = 0; o < outer; o++, base += inner) {
    let m = -Infinity;
    for (let i = 0; i < inner; i++) {
      const v = src[base + i];
      if (v > m || v !== v) m = v;
      if (m !== m) break;
    }
    if (m === -Infinity || m === Infinity) {
      out[o] = m;
      continue;
    }
    let s = 0;
    for (let i = 0; i < inner; i++) s += Math.exp(src[base + i] - m);
    out[o] = m + Math.log(s);
  }
}

/**
 * Softmax of each block: y_i = exp(x_i − m) / Σ_j exp(x_j − m), m the max (subtracting it changes
 * nothing mathematically and keeps exp ≤ 1). With `log`, y_i = x_i − m − log Σ_j exp(x_j − m).
 */
export function softmaxBlocks(src: FloatArray, out: FloatArray, outer: number, inner: number, log: boolean): void {
  for (let o = 0, base = 0; o < outer; o++, base += inner) {
    let m = -Infinity;
    for (let i = 0; i < inner; i++) if (src[base + i] > m) m = src[base + i];
    if (m === -Infinity) m = 0;
    let s = 0;
    for (let i = 0; i < inner; i++) {
      const e = Math.exp(src[base + i] - m);
      if (!log) out[base + i] = e;
      s += e;
    }
    if (log) {
      const shift = m + Math.log(s);
      for (let i = 0; i < inner; i++) out[base + i] = src[base + i] - shift;
    } else {
      const inv = 1 / s;
      for (let i = 0; i < inner; i++) out[base + i] *= inv;
    }
  }
}
