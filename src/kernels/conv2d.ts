/**
 * CPU 2-d convolution and its two gradients, by direct loops over the definition in `Conv2dSpec`.
 *
 * Forward:      out[n,o,i,j]  = Σ_{c,p,q} x[n, g·Cg+c, i·sH−pT+p·dH, j·sW−pL+q·dW] · w[o,c,p,q]
 * Input grad:   gx[n, g·Cg+c, y, x] += gout[n,o,i,j] · w[o,c,p,q]   for every term above
 * Weight grad:  gw[o,c,p,q]   += gout[n,o,i,j] · x[n, g·Cg+c, y, x]
 * Each gradient visits exactly the (output, weight) pairs the forward visits, so the three agree.
 */
import type { FloatArray } from '../tensor/dtype.js';
import type { Conv2dSpec } from './backend.js';

type Visit = (xIndex: number, wIndex: number, outIndex: number) => void;

/** Calls `visit` for every (input element, weight element, output element) triple of the sum. */
function forEachTerm(s: Conv2dSpec, visit: Visit): void {
  const cinG = s.inChannels / s.groups;
  const coutG = s.outChannels / s.groups;
  for (let n = 0; n < s.batch; n++) {
    for (let o = 0; o < s.outChannels; o++) {
      const g = Math.floor(o / coutG);
      for (let i = 0; i < s.outH; i++) {
        for (let j = 0; j < s.outW; j++) {
          const outIndex = ((n * s.outChannels + o) * s.outH + i) * s.outW + j;
          for (let c = 0; c < cinG; c++) {
            const xc = g * cinG + c;
            for (let p = 0; p < s.kH; p++) {
              const y = i * s.strideH - s.padTop + p * s.dilationH;
              if (y < 0 || y >= s.inH) continue;
              for (let q = 0; q < s.kW; q++) {
                const x = j * s.strideW - s.padLeft + q * s.dilationW;
                if (x < 0 || x >= s.inW) continue;
                visit(((n * s.inChannels + xc) * s.inH + y) * s.inW + x, ((o * cinG + c) * s.kH + p) * s.kW + q, outIndex);
              }
            }
          }
        }
      }
    }
  }
}

export function conv2dCpu(x: FloatArray, w: FloatArray, out: FloatArray, spec: Conv2dSpec): void {
  out.fill(0);
  forEachTerm(spec, (xi, wi, oi) => {
    out[oi] += x[xi] * w[wi];
  });
}

export function conv2dInputGradCpu(gradOut: FloatArray, w: FloatArray, gradX: FloatArray, spec: Conv2dSpec): void {
  gradX.fill(0);
  forEachTerm(spec, (xi, wi, oi) => {
    gradX[xi] += gradOut[oi] * w[wi];
  });
}

export function conv2dWeightGradCpu(x: FloatArray, gradOut: FloatArray, gradW: FloatArray, spec: Conv2dSpec): void {
  gradW.fill(0);
  forEachTerm(spec, (xi, wi, oi) => {
    gradW[wi] += gradOut[oi] * x[xi];
  });
}
