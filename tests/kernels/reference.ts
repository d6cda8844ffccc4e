/**
 * Naive references the fast kernels are tested against: the definitions, written as plainly as
 * possible, in float64.
 */
import type { FloatArray } from '../../src/kernels/dtype.js';
import type { Conv2dSpec, MatmulSpec } from '../../src/kernels/backend.js';

/** out[b, i, j] = Σ_p op(A[b])[i, p] · op(B[b])[p, j], by the triple loop. */
export function naiveMatmul(a: FloatArray, b: FloatArray, spec: MatmulSpec): Float64Array {
  const { batch, m, n, k } = spec;
  const out = new Float64Array(batch * m * n);
  for (let bi = 0; bi < batch; bi++) {
    const ao = bi * spec.aBatchStride;
    const bo = bi * spec.bBatchStride;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const av = spec.transA ? a[ao + p * m + i] : a[ao + i * k + p];
          const bv = spec.transB ? b[bo + j * k + p] : b[bo + p * n + j];
          sum += av * bv;
        }
        out[(bi * m + i) * n + j] = sum;
      }
    }
  }
  return out;
}

/** Visits every (x index, w index, out index) term of the convolution sum in `Conv2dSpec`. */
function forEachConvTerm(s: Conv2dSpec, visit: (xi: number, wi: number, oi: number) => void): void {
  const cinG = s.inChannels / s.groups;
  const coutG = s.outChannels / s.groups;
  for (let n = 0; n < s.batch; n++) {
    for (let o = 0; o < s.outChannels; o++) {
      const g = Math.floor(o / coutG);
      for (let i = 0; i < s.outH; i++) {
        for (let j = 0; j < s.outW; j++) {
          const oi = ((n * s.outChannels + o) * s.outH + i) * s.outW + j;
          for (let c = 0; c < cinG; c++) {
            for (let p = 0; p < s.kH; p++) {
              const y = i * s.strideH - s.padTop + p * s.dilationH;
              if (y < 0 || y >= s.inH) continue;
              for (let q = 0; q < s.kW; q++) {
                const x = j * s.strideW - s.padLeft + q * s.dilationW;
                if (x < 0 || x >= s.inW) continue;
                visit(((n * s.inChannels + g * cinG + c) * s.inH + y) * s.inW + x, ((o * cinG + c) * s.kH + p) * s.kW + q, oi);
              }
            }
          }
        }
      }
    }
  }
}

/** conv2d forward, input gradient and weight gradient straight from the definition. */
export function naiveConv2d(x: FloatArray, w: FloatArray, s: Conv2dSpec): Float64Array {
  const out = new Float64Array(s.batch * s.outChannels * s.outH * s.outW);
  forEachConvTerm(s, (xi, wi, oi) => (out[oi] += x[xi] * w[wi]));
  return out;
}

export function naiveConv2dInputGrad(gradOut: FloatArray, w: FloatArray, s: Conv2dSpec): Float64Array {
  const gx = new Float64Array(s.batch * s.inChannels * s.inH * s.inW);
  forEachConvTerm(s, (xi, wi, oi) => (gx[xi] += gradOut[oi] * w[wi]));
  return gx;
}

export function naiveConv2dWeightGrad(x: FloatArray, gradOut: FloatArray, s: Conv2dSpec): Float64Array {
  const gw = new Float64Array((s.outChannels * s.inChannels * s.kH * s.kW) / s.groups);
  forEachConvTerm(s, (xi, wi, oi) => (gw[wi] += gradOut[oi] * x[xi]));
  return gw;
}

/** A seeded uniform [-1, 1) filler (mulberry32), so failures reproduce. */
export function seededArray(ctor: Float32ArrayConstructor | Float64ArrayConstructor, length: number, seed: number): FloatArray {
  const out = new ctor(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** The largest |actual − expected| relative to max(1, |expected|), for tolerance checks. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  return worst;
}
