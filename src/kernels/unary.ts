/**
 * Elementwise maps on contiguous arrays: out[i] = f(src[i]) for i < n. One plain loop per
 * function (no per-element closure call), so the JIT sees a tight loop. `p` and `q` carry the
 * function's parameters where it has some (slope, alpha, beta, bounds).
 */
import type { TypedArray } from './dtype.js';

export type UnaryKernel = (src: TypedArray, out: TypedArray, n: number, p: number, q: number) => void;

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * erf(x) to about 1e-15 relative: a Maclaurin series for |x| < 2.5 (alternating terms that shrink
 * fast there), else 1 − erfc(x) from the continued fraction of erfc, which converges well for
 * large |x|.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/√π Σ_n (−1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  if (ax > 6) return x < 0 ? -1 : 1;
  // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + 2/(x + …))))), evaluated bottom-up.
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

export const unaryKernels = {
  neg: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = -s[i];
  },
  abs: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.abs(s[i]);
  },
  sign: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sign(s[i]);
  },
  exp: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.exp(s[i]);
  },
  log: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.log(s[i]);
  },
  /** ln(1 + x), exact for small |x| (1 + x would round x away). */
  log1p: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.log1p(s[i]);
  },
  /** eˣ − 1, exact for small |x| (eˣ rounds to 1 there). */
  expm1: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.expm1(s[i]);
  },
  sqrt: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sqrt(s[i]);
  },
  rsqrt: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = 1 / Math.sqrt(s[i]);
  },
  sin: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sin(s[i]);
  },
  cos: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.cos(s[i]);
  },
  tanh: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.tanh(s[i]);
  },
  erf: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = erf(s[i]);
  },
  /** σ(x) = 1/(1+e^−x), computed as e^x/(1+e^x) for x < 0 so e^−x never overflows. */
  sigmoid: (s, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = s[i];
      if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        o[i] = e / (1 + e);
      }
    }
  },
  /** max(x, 0). (Not (x + |x|)/2: that gives NaN at −∞ and overflows to ∞ above 2^1023; NaN stays NaN.) */
  relu: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.max(s[i], 0);
  },
  /** x for x > 0, else slope·x. */
  leakyRelu: (s, o, n, slope) => {
    for (let i = 0; i < n; i++) {
      const v = s[i];
      o[i] = v > 0 ? v : slope * v;
    }
  },
  /** x for x > 0, else α(e^x − 1) (expm1 keeps precision near 0). */
  elu: (s, o, n, alpha) => {
    for (let i = 0; i < n; i++) {
      const v = s[i];
      o[i] = v > 0 ? v : alpha * Math.expm1(v);
    }
  },
  /** x·Φ(x) with Φ the standard normal CDF, Φ(x) = (1 + erf(x/√2))/2. */
  gelu: (s, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = s[i];
      o[i] = 0.5 * v * (1 + erf(v * SQRT1_2));
    }
  },
  /** x/2 · (1 + tanh(√(2/π)(x + 0.044715x³))). */
  geluTanh: (s, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = s[i];
      o[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
    }
  },
  /** x·σ(x). */
  silu: (s, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = s[i];
      o[i] = v >= 0 ? v / (1 + Math.exp(-v)) : (v * Math.exp(v)) / (1 + Math.exp(v));
    }
  },
  /**
   * softplus(x) = log(1 + e^(βx))/β, and x itself where βx > threshold (PyTorch's linear
   * regime). Stable form: max(z, 0) + log1p(e^−|z|) with z = βx.
   */
  softplus: (s, o, n, beta, threshold) => {
    for (let i = 0; i < n; i++) {
      const z = beta * s[i];
      o[i] = z > threshold ? s[i] : (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))) / beta;
    }
  },
  /** min(max(x, lo), hi). */
  clamp: (s, o, n, lo, hi) => {
    for (let i = 0; i < n; i++) {
      const v = s[i];
      o[i] = v < lo ? lo : v > hi ? hi : v;
    }
  },
  /** 1 where x is 0, else 0 (logical not). */
  logicalNot: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = s[i] === 0 ? 1 : 0;
  },
  /** Plain copy (casts when the arrays differ in type). */
  copy: (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = s[i];
  },
} satisfies Record<string, UnaryKernel>;

export type UnaryOpName = keyof typeof unaryKernels;

/** out[i] = op(src[i]; p, q) for i < n: the CPU backend's `unary`. */
export function unaryMap(op: UnaryOpName, src: TypedArray, out: TypedArray, n: number, p: number, q: number): void {
  unaryKernels[op](src, out, n, p, q);
}
