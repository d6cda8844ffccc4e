/**
 * gpu.js kernel sources for matmul and the three convolution products, as source text (gpu.js
 * parses it; text is immune to what a transpiler or minifier does to function bodies).
 *
 * Every kernel has a 1-d output: thread `t` computes one flat output element, and decomposes `t`
 * into its coordinates. Shapes arrive as `this.constants` (compiled in, one kernel per shape).
 *
 * Index arithmetic runs in float on GL backends. Float division is not always correctly rounded
 * there (t / 3 may land just below an integer), so every quotient is corrected by its remainder:
 *   q = ⌊t / d⌋,  r = t − q·d,  then r < 0 ⇒ q−1, r+d  and  r ≥ d ⇒ q+1, r−d.
 * The products q·d and the remainders are exact while every index is below 2^24 (the caller
 * guarantees it), so the corrected q and r are exact.
 */

/** Statements that declare `q` = ⌊num / den⌋ and `r` = num − q·den, exactly (see above). */
function divmod(q: string, r: string, num: string, den: string): string {
  return `let ${q} = Math.floor(${num} / ${den});
  let ${r} = ${num} - ${q} * ${den};
  if (${r} < 0) { ${q} = ${q} - 1; ${r} = ${r} + ${den}; }
  if (${r} >= ${den}) { ${q} = ${q} + 1; ${r} = ${r} - ${den}; }`;
}

/**
 * out[b, i, j] = Σ_p A[b, i, p] · B[b, p, j], one thread per (b, i, j).
 * Constants: M, N, K, MN = M·N, A_STRIDE, B_STRIDE (batch strides, 0 = broadcast).
 * A[b, i, p] is at i·K + p, or p·M + i when A is stored transposed; B[b, p, j] at p·N + j or j·K + p.
 */
export function matmulSource(transA: boolean, transB: boolean): string {
  const aIndex = transA ? 'aBase + p * this.constants.M + i' : 'aBase + i * this.constants.K + p';
  const bIndex = transB ? 'bBase + j * this.constants.K + p' : 'bBase + p * this.constants.N + j';
  return `function (a, b) {
  const t = this.thread.x;
  ${divmod('bi', 'ij', 't', 'this.constants.MN')}
  ${divmod('i', 'j', 'ij', 'this.constants.N')}
  const aBase = bi * this.constants.A_STRIDE;
  const bBase = bi * this.constants.B_STRIDE;
  let sum = 0;
  for (let p = 0; p < this.constants.K; p++) {
    sum += a[${aIndex}] * b[${bIndex}];
  }
  return sum;
}`;
}

/**
 * The constants every convolution kernel reads, from a `Conv2dSpec` (one group's channel counts
 * are CING = inChannels/groups and COUTG = outChannels/groups).
 */
export const CONV_CONSTANTS = [
  'N', 'INC', 'INH', 'INW', 'OUTC', 'OUTH', 'OUTW', 'KH', 'KW', 'SH', 'SW', 'PT', 'PL', 'DH', 'DW', 'CING', 'COUTG',
] as const;

/**
 * out[n, o, i, j] = Σ_{c, p, q} x[n, g·CING + c, y, x′] · w[o, c, p, q] with g = ⌊o / COUTG⌋,
 * y = i·SH − PT + p·DH, x′ = j·SW − PL + q·DW; terms that read outside x are zero (skipped).
 */
export const conv2dSource = `function (x, w) {
  const t = this.thread.x;
  ${divmod('rest', 'j', 't', 'this.constants.OUTW')}
  ${divmod('rest2', 'i', 'rest', 'this.constants.OUTH')}
  ${divmod('n', 'o', 'rest2', 'this.constants.OUTC')}
  ${divmod('g', 'og', 'o', 'this.constants.COUTG')}
  let sum = 0;
  for (let c = 0; c < this.constants.CING; c++) {
    const xPlane = (n * this.constants.INC + g * this.constants.CING + c) * this.constants.INH;
    const wPlane = (o * this.constants.CING + c) * this.constants.KH;
    for (let p = 0; p < this.constants.KH; p++) {
      const y = i * this.constants.SH - this.constants.PT + p * this.constants.DH;
      if (y >= 0 && y < this.constants.INH) {
        for (let q = 0; q < this.constants.KW; q++) {
          const xx = j * this.constants.SW - this.constants.PL + q * this.constants.DW;
          if (xx >= 0 && xx < this.constants.INW) {
            sum += x[(xPlane + y) * this.constants.INW + xx] * w[(wPlane + p) * this.constants.KW + q];
          }
        }
      }
    }
  }
  return sum;
}`;

/**
 * ∂L/∂x[n, g·CING + c, y, x′] = Σ gout[n, o, i, j] · w[o, c, p, q] over the o of group g and the
 * (p, q) with y = i·SH − PT + p·DH, x′ = j·SW − PL + q·DW for an in-range output (i, j):
 * i = (y + PT − p·DH) / SH must be a whole number in [0, OUTH), and likewise j.
 */
export const conv2dInputGradSource = `function (gout, w) {
  const t = this.thread.x;
  ${divmod('rest', 'xx', 't', 'this.constants.INW')}
  ${divmod('rest2', 'y', 'rest', 'this.constants.INH')}
  ${divmod('n', 'ci', 'rest2', 'this.constants.INC')}
  ${divmod('g', 'c', 'ci', 'this.constants.CING')}
  let sum = 0;
  for (let og = 0; og < this.constants.COUTG; og++) {
    const o = g * this.constants.COUTG + og;
    const gPlane = (n * this.constants.OUTC + o) * this.constants.OUTH;
    const wPlane = (o * this.constants.CING + c) * this.constants.KH;
    for (let p = 0; p < this.constants.KH; p++) {
      const ty = y + this.constants.PT - p * this.constants.DH;
      ${divmod('i', 'ri', 'ty', 'this.constants.SH')}
      if (ty >= 0 && ri === 0 && i < this.constants.OUTH) {
        for (let q = 0; q < this.constants.KW; q++) {
          const tx = xx + this.constants.PL - q * this.constants.DW;
          ${divmod('j', 'rj', 'tx', 'this.constants.SW')}
          if (tx >= 0 && rj === 0 && j < this.constants.OUTW) {
            sum += gout[(gPlane + i) * this.constants.OUTW + j] * w[(wPlane + p) * this.constants.KW + q];
          }
        }
      }
    }
  }
  return sum;
}`;

/**
 * ∂L/∂w[o, c, p, q] = Σ_{n, i, j} gout[n, o, i, j] · x[n, g·CING + c, y, x′] with the same y, x′
 * as the forward, skipping reads outside x.
 */
export const conv2dWeightGradSource = `function (x, gout) {
  const t = this.thread.x;
  ${divmod('rest', 'q', 't', 'this.constants.KW')}
  ${divmod('rest2', 'p', 'rest', 'this.constants.KH')}
  ${divmod('o', 'c', 'rest2', 'this.constants.CING')}
  ${divmod('g', 'og', 'o', 'this.constants.COUTG')}
  let sum = 0;
  for (let n = 0; n < this.constants.N; n++) {
    const xPlane = (n * this.constants.INC + g * this.constants.CING + c) * this.constants.INH;
    const gPlane = (n * this.constants.OUTC + o) * this.constants.OUTH;
    for (let i = 0; i < this.constants.OUTH; i++) {
      const y = i * this.constants.SH - this.constants.PT + p * this.constants.DH;
      if (y >= 0 && y < this.constants.INH) {
        for (let j = 0; j < this.constants.OUTW; j++) {
          const xx = j * this.constants.SW - this.constants.PL + q * this.constants.DW;
          if (xx >= 0 && xx < this.constants.INW) {
            sum += gout[(gPlane + i) * this.constants.OUTW + j] * x[(xPlane + y) * this.constants.INW + xx];
          }
        }
      }
    }
  }
  return sum;
}`;
