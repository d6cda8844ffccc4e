/**
 * CPU 2-d convolution and its two gradients as matrix products over im2col columns (see
 * `im2col.ts`). Per sample n and group g, with K = (inChannels/groups)·kH·kW and P = outH·outW:
 *
 * Forward:      out[n, g] (Cout_g × P) = W_g (Cout_g × K) · cols(x[n, g]) (K × P)
 * Input grad:   ∂L/∂cols = W_gᵀ · gradOut[n, g], then col2im adds it back onto the pixels
 *               the columns were read from:  gradX[n, g] = col2im(W_gᵀ · gradOut[n, g])
 * Weight grad:  ∂L/∂W_g = Σ_n gradOut[n, g] · cols(x[n, g])ᵀ
 *
 * These are the derivatives of the forward product Y = W·C: ∂L/∂C = Wᵀ·∂L/∂Y, ∂L/∂W = ∂L/∂Y·Cᵀ.
 * The transposes cost nothing: the blocked gemm reads either layout through strides.
 * A pointwise convolution (1×1, stride 1, no padding) has cols = x itself and skips im2col.
 * `convKernels(products, spanAdd)` builds the three over a backend's strided product and span
 * add (the WebAssembly backend's SIMD ones); the CPU's are `convKernels(cpuMatmul.matmul2d)`.
 */
import type { FloatArray } from './dtype.js';
import type { Conv2dSpec } from './backend.js';
import { addSpan, col2imAdd, im2col, type AddSpan } from './im2col.js';
import { cpuMatmul, type Matmul2d } from './matmul.js';

/**
 * One column matrix per dtype, reused by every call (grown on demand) so a training loop
 * allocates nothing. The columns take the input's dtype, so a float32 convolution stays a
 * float32 product (and runs on the WebAssembly SIMD kernel where there is one).
 */
let columns32 = new Float32Array(0);
let columns64 = new Float64Array(0);

function columns(length: number, like: FloatArray): FloatArray {
  if (like instanceof Float32Array) {
    if (columns32.length < length) columns32 = new Float32Array(length);
    return columns32;
  }
  if (columns64.length < length) columns64 = new Float64Array(length);
  return columns64;
}

/** The sizes every kernel below needs, derived once from the spec. */
function geometry(s: Conv2dSpec) {
  const cinG = s.inChannels / s.groups;
  const coutG = s.outChannels / s.groups;
  return {
    cinG,
    coutG,
    K: cinG * s.kH * s.kW,
    P: s.outH * s.outW,
    inPlane: s.inH * s.inW,
    pointwise: s.kH === 1 && s.kW === 1 && s.strideH === 1 && s.strideW === 1 && s.padTop === 0 && s.padLeft === 0
      && s.outH === s.inH && s.outW === s.inW,
  };
}

/**
 * Calls `visit` for every sample n and group g, with the offsets of x[n, g] (Cin_g planes),
 * out[n, g] (Cout_g × P) and W_g (Cout_g × K) in their arrays.
 */
function eachSampleAndGroup(
  s: Conv2dSpec,
  geo: ReturnType<typeof geometry>,
  visit: (n: number, g: number, xOff: number, outOff: number, wOff: number) => void,
): void {
  for (let n = 0; n < s.batch; n++) {
    for (let g = 0; g < s.groups; g++) {
      visit(n, g, (n * s.inChannels + g * geo.cinG) * geo.inPlane, (n * s.outChannels + g * geo.coutG) * geo.P, g * geo.coutG * geo.K);
    }
  }
}

/** The convolution products of a backend. */
export interface ConvKernels {
  /** out = conv2d(x, w), no bias (see `Conv2dSpec`). */
  conv2d(x: FloatArray, w: FloatArray, out: FloatArray, spec: Conv2dSpec): void;
  /** gradX = ∂L/∂x given gradOut. */
  conv2dInputGrad(gradOut: FloatArray, w: FloatArray, gradX: FloatArray, spec: Conv2dSpec): void;
  /** gradW = ∂L/∂w given x and gradOut. */
  conv2dWeightGrad(x: FloatArray, gradOut: FloatArray, gradW: FloatArray, spec: Conv2dSpec): void;
}

/** The three convolution kernels over the strided product `matmul2d` and the span add `spanAdd`. */
export function convKernels(matmul2d: Matmul2d, spanAdd: AddSpan = addSpan): ConvKernels {
  /** out = conv2d(x, w): x [N, Cin, H, W], w [Cout, Cin/groups, kH, kW], out [N, Cout, outH, outW]. */
  function conv2d(x: FloatArray, w: FloatArray, out: FloatArray, spec: Conv2dSpec): void {
    // BEGIN SOLUTION m4 — conv2d: out[n, co, oy, ox] = Σ_{ci, ky, kx} w[co, ci, ky, kx]·x[n, g·Cin_g + ci, oy·stride − pad + ky·dilation, …] per group g (zero outside the input) — e.g. im2col then a matrix product per sample and group
    const geo = geometry(spec);
    const { cinG, coutG, K, P, inPlane, pointwise } = geo;
    const cols = columns(pointwise ? 0 : K * P, x);
    eachSampleAndGroup(spec, geo, (n, g, xOff, outOff, wOff) => {
      if (pointwise) {
        matmul2d(w, wOff, K, 1, x, xOff, inPlane, 1, out, outOff, coutG, P, K);
      } else {
        im2col(x, n, g * cinG, cinG, spec, cols);
        matmul2d(w, wOff, K, 1, cols, 0, P, 1, out, outOff, coutG, P, K);
      }
    });
    // END SOLUTION
  }

  /** gradX = ∂L/∂x given gradOut = ∂L/∂out; shapes as in `conv2d`. */
  function conv2dInputGrad(gradOut: FloatArray, w: FloatArray, gradX: FloatArray, spec: Conv2dSpec): void {
    const geo = geometry(spec);
    const { cinG, coutG, K, P, pointwise } = geo;
    const cols = columns(pointwise ? 0 : K * P, gradX);
    if (!pointwise) gradX.fill(0);
    // W_gᵀ(i, p) = w[wOff + p·K + i]: row stride 1, column stride K.
    eachSampleAndGroup(spec, geo, (n, g, xOff, gOff, wOff) => {
      if (pointwise) {
        matmul2d(w, wOff, 1, K, gradOut, gOff, P, 1, gradX, xOff, K, P, coutG);
      } else {
        matmul2d(w, wOff, 1, K, gradOut, gOff, P, 1, cols, 0, K, P, coutG);
        col2imAdd(cols, n, g * cinG, cinG, spec, gradX, spanAdd);
      }
    });
  }

  /** gradW = ∂L/∂w given x and gradOut; shapes as in `conv2d`. */
  function conv2dWeightGrad(x: FloatArray, gradOut: FloatArray, gradW: FloatArray, spec: Conv2dSpec): void {
    const geo = geometry(spec);
    const { cinG, coutG, K, P, inPlane, pointwise } = geo;
    const cols = columns(pointwise ? 0 : K * P, x);
    gradW.fill(0);
    // colsᵀ(p, j) = cols[j·P + p]: row stride 1, column stride P; summed over n in place.
    eachSampleAndGroup(spec, geo, (n, g, xOff, gOff, wOff) => {
      if (pointwise) {
        matmul2d(gradOut, gOff, P, 1, x, xOff, 1, inPlane, gradW, wOff, coutG, K, P, true);
      } else {
        im2col(x, n, g * cinG, cinG, spec, cols);
        matmul2d(gradOut, gOff, P, 1, cols, 0, 1, P, gradW, wOff, coutG, K, P, true);
      }
    });
  }

  return { conv2d, conv2dInputGrad, conv2dWeightGrad };
}

/** The CPU's convolution kernels. */
export const { conv2d: conv2dCpu, conv2dInputGrad: conv2dInputGradCpu, conv2dWeightGrad: conv2dWeightGradCpu }: ConvKernels = convKernels(cpuMatmul.matmul2d);
