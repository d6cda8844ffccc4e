/**
 * A naive float64 convolution straight from the definition, for checking the conv layers:
 *   out[n, o, i, j] = b[o] + Σ_{c, p, q} x[n, g·Cg + c, i·sH − padT + p·dH, j·sW − padL + q·dW] · w[o, c, p, q]
 */
import { Tensor } from '../../src/index.js';

/** Geometry of one naive 2-d convolution (bottom/right padding implied by outH/outW). */
export interface NaiveGeometry {
  stride: [number, number];
  padTop: number;
  padLeft: number;
  dilation: [number, number];
  groups: number;
  outH: number;
  outW: number;
}

/** conv2d(x [N,C,H,W], w [O,C/g,kH,kW]) + bias, in float64, by the definition. */
export function naiveConv2d(x: Tensor, w: Tensor, bias: Tensor | null, g: NaiveGeometry): Tensor {
  const [N, C, H, W] = x.shape;
  const [O, Cg, kH, kW] = w.shape;
  const xs = x.data(), ws = w.data(), bs = bias?.data();
  const out = new Float64Array(N * O * g.outH * g.outW);
  const Og = O / g.groups;
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) {
    const grp = Math.floor(o / Og);
    for (let i = 0; i < g.outH; i++) for (let j = 0; j < g.outW; j++) {
      let s = bs ? bs[o] : 0;
      for (let c = 0; c < Cg; c++) for (let p = 0; p < kH; p++) for (let q = 0; q < kW; q++) {
        const y = i * g.stride[0] - g.padTop + p * g.dilation[0];
        const xx = j * g.stride[1] - g.padLeft + q * g.dilation[1];
        if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
        s += xs[((n * C + grp * Cg + c) * H + y) * W + xx] * ws[((o * Cg + c) * kH + p) * kW + q];
      }
      out[((n * O + o) * g.outH + i) * g.outW + j] = s;
    }
  }
  return new Tensor(out, [N, O, g.outH, g.outW], { dtype: 'float64' });
}

/** ⟨a, b⟩ = Σ a_i·b_i. */
export function inner(a: Tensor, b: Tensor): number {
  const x = a.data(), y = b.data();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}
