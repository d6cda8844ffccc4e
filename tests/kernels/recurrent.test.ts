/**
 * The fused recurrence kernels (kernels/recurrent-*.ts) against naive float64 references: each
 * forward step by step with explicit sums, and each backward against central finite differences
 * of L = Σ gy ⊙ y through that naive forward (so no derivative formula is shared with the kernel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../../src/kernels/registry.js';
import { useWasmKernels, wasmBackend } from '../../src/backends/wasm/wasm-backend.js';
import { wasmKernelsActive, wasmSimdAvailable } from '../../src/backends/wasm/simd.js';
import { stepOrder } from '../../src/kernels/recurrent.js';
import { maxRelativeError, seededArray } from './reference.js';

const sig = (v: number) => 1 / (1 + Math.exp(-v));
type Arr = Float64Array;
const L = 3, N = 2, H = 3, P = 2;

/** Σ_k h[n, k]·w[q, k]: row n of h·wᵀ at column q. */
const dotRow = (h: ArrayLike<number>, w: ArrayLike<number>, n: number, q: number, K: number) => {
  let s = 0;
  for (let k = 0; k < K; k++) s += h[n * K + k] * w[q * K + k];
  return s;
};

function naiveRnn([xp, whh, h0]: Arr[], reverse: boolean, relu: boolean): Arr {
  const y = new Float64Array(L * N * H);
  let h: ArrayLike<number> = h0;
  for (const t of stepOrder(L, reverse)) {
    for (let n = 0; n < N; n++) for (let j = 0; j < H; j++) {
      const a = xp[(t * N + n) * H + j] + dotRow(h, whh, n, j, H);
      y[(t * N + n) * H + j] = relu ? Math.max(a, 0) : Math.tanh(a);
    }
    h = y.subarray(t * N * H, (t + 1) * N * H);
  }
  return y;
}

/** One LSTM step from h (K columns) and c; returns [m, c_t]. */
function lstmStep(xp: Arr, t: number, whh: Arr, h: ArrayLike<number>, c: ArrayLike<number>, K: number): [Arr, Arr] {
  const m = new Float64Array(N * H), cn = new Float64Array(N * H);
  for (let n = 0; n < N; n++) for (let j = 0; j < H; j++) {
    const a = (q: number) => xp[(t * N + n) * 4 * H + q * H + j] + dotRow(h, whh, n, q * H + j, K);
    const ct = sig(a(1)) * c[n * H + j] + sig(a(0)) * Math.tanh(a(2));
    cn[n * H + j] = ct;
    m[n * H + j] = sig(a(3)) * Math.tanh(ct);
  }
  return [m, cn];
}

function naiveLstm([xp, whh, h0, c0]: Arr[], reverse: boolean): Arr {
  const y = new Float64Array(L * 2 * N * H);
  let h: ArrayLike<number> = h0, c: ArrayLike<number> = c0;
  for (const t of stepOrder(L, reverse)) {
    [h, c] = lstmStep(xp, t, whh, h, c, H);
    y.set(h, t * 2 * N * H);
    y.set(c, (t * 2 + 1) * N * H);
  }
  return y;
}

function naiveProjected([xp, whh, whr, h0, c0]: Arr[], reverse: boolean): Arr {
  const y = new Float64Array(L * N * (P + H));
  let h: ArrayLike<number> = h0, c: ArrayLike<number> = c0;
  for (const t of stepOrder(L, reverse)) {
    const [m, cn] = lstmStep(xp, t, whh, h, c, P);
    const hn = new Float64Array(N * P);
    for (let n = 0; n < N; n++) for (let p = 0; p < P; p++) hn[n * P + p] = dotRow(m, whr, n, p, H);
    for (let n = 0; n < N; n++) {
      y.set(hn.subarray(n * P, (n + 1) * P), (t * N + n) * (P + H));
      y.set(cn.subarray(n * H, (n + 1) * H), (t * N + n) * (P + H) + P);
    }
    h = hn;
    c = cn;
  }
  return y;
}

function naiveGru([xp, whh, bhh, h0]: Arr[], reverse: boolean): Arr {
  const y = new Float64Array(L * N * H);
  let h: ArrayLike<number> = h0;
  for (const t of stepOrder(L, reverse)) {
    for (let n = 0; n < N; n++) for (let j = 0; j < H; j++) {
      const x = (q: number) => xp[(t * N + n) * 3 * H + q * H + j];
      const gh = (q: number) => dotRow(h, whh, n, q * H + j, H) + bhh[q * H + j];
      const r = sig(x(0) + gh(0)), z = sig(x(1) + gh(1));
      const nt = Math.tanh(x(2) + r * gh(2));
      y[(t * N + n) * H + j] = (1 - z) * nt + z * h[n * H + j];
    }
    h = y.subarray(t * N * H, (t + 1) * N * H);
  }
  return y;
}

/** ∂(Σ gy ⊙ f(inputs))/∂inputs[k] for every input, by central differences. */
function finiteDifferences(f: (ins: Arr[]) => Arr, inputs: Arr[], gy: Arr): Arr[] {
  const loss = (ins: Arr[]) => f(ins).reduce((s, v, i) => s + v * gy[i], 0);
  return inputs.map((x) => {
    const grad = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const keep = x[i];
      x[i] = keep + 1e-6;
      const up = loss(inputs);
      x[i] = keep - 1e-6;
      const down = loss(inputs);
      x[i] = keep;
      grad[i] = (up - down) / 2e-6;
    }
    return grad;
  });
}

const inputs = (sizes: number[], seed: number) => sizes.map((n, i) => seededArray(Float64Array, n, seed + i) as Arr);
const in32 = (xs: Arr[]) => xs.map((x) => Float32Array.from(x));
const out32 = (n: number) => new Float32Array(n).fill(NaN);
const out64 = (n: number) => new Float64Array(n).fill(NaN);

describe.each([false, true])('recurrence kernels (reverse %s)', (reverse) => {
  const spec = { length: L, batch: N, hidden: H, reverse };

  it.each([false, true])('RNN (relu %s): forward (float32, float64) and backward match the naive recurrence', (relu) => {
    const s = { ...spec, relu };
    const ins = inputs([L * N * H, H * H, N * H], 10);
    const ref = naiveRnn(ins, reverse, relu);
    const [x, w, h0] = ins;
    const y32 = out32(ref.length);
    cpuBackend.rnnSequenceForward(...(in32(ins) as [Float32Array, Float32Array, Float32Array]), y32, s);
    expect(maxRelativeError(y32, ref)).toBeLessThan(1e-5);
    const y = out64(ref.length);
    cpuBackend.rnnSequenceForward(x, w, h0, y, s);
    expect(maxRelativeError(y, ref)).toBeLessThan(1e-12);
    const gy = seededArray(Float64Array, y.length, 99) as Arr;
    const [dx, dw, dh0] = [out64(x.length), out64(w.length), out64(h0.length)];
    cpuBackend.rnnSequenceBackward(gy, y, w, h0, dx, dw, dh0, s);
    const fd = finiteDifferences((i) => naiveRnn(i, reverse, relu), ins, gy);
    [dx, dw, dh0].forEach((got, k) => expect(maxRelativeError(got, fd[k])).toBeLessThan(1e-6));
  });

  it('LSTM: forward (float32, float64) and backward match the naive recurrence', () => {
    const ins = inputs([L * N * 4 * H, 4 * H * H, N * H, N * H], 20);
    const ref = naiveLstm(ins, reverse);
    const [x, w, h0, c0] = ins;
    const y32 = out32(ref.length);
    const [x32, w32, h32, c32] = in32(ins);
    cpuBackend.lstmSequenceForward(x32, w32, h32, c32, y32, out32(x.length), spec);
    expect(maxRelativeError(y32, ref)).toBeLessThan(1e-5);
    const y = out64(ref.length), gates = out64(x.length);
    cpuBackend.lstmSequenceForward(x, w, h0, c0, y, gates, spec);
    expect(maxRelativeError(y, ref)).toBeLessThan(1e-12);
    const gy = seededArray(Float64Array, y.length, 98) as Arr;
    const grads = [out64(x.length), out64(w.length), out64(h0.length), out64(c0.length)];
    cpuBackend.lstmSequenceBackward(gy, y, gates, w, h0, c0, grads[0], grads[1], grads[2], grads[3], spec);
    const fd = finiteDifferences((i) => naiveLstm(i, reverse), ins, gy);
    grads.forEach((got, k) => expect(maxRelativeError(got, fd[k])).toBeLessThan(1e-6));
  });

  it('projected LSTM: forward (float32, float64) and backward match the naive recurrence', () => {
    const s = { ...spec, proj: P };
    const ins = inputs([L * N * 4 * H, 4 * H * P, P * H, N * P, N * H], 30);
    const ref = naiveProjected(ins, reverse);
    const [x, whh, whr, h0, c0] = ins;
    const y32 = out32(ref.length);
    const [x32, whh32, whr32, h32, c32] = in32(ins);
    cpuBackend.lstmProjectedForward(x32, whh32, whr32, h32, c32, y32, out32(x.length), out32(L * N * H), s);
    expect(maxRelativeError(y32, ref)).toBeLessThan(1e-5);
    const y = out64(ref.length), gates = out64(x.length), ms = out64(L * N * H);
    cpuBackend.lstmProjectedForward(x, whh, whr, h0, c0, y, gates, ms, s);
    expect(maxRelativeError(y, ref)).toBeLessThan(1e-12);
    const gy = seededArray(Float64Array, y.length, 97) as Arr;
    const g = ins.map((a) => out64(a.length));
    cpuBackend.lstmProjectedBackward(gy, y, gates, ms, whh, whr, h0, c0, g[0], g[1], g[2], g[3], g[4], s);
    const fd = finiteDifferences((i) => naiveProjected(i, reverse), ins, gy);
    g.forEach((got, k) => expect(maxRelativeError(got, fd[k])).toBeLessThan(1e-6));
  });

  it('GRU: forward (float32, float64) and backward match the naive recurrence', () => {
    const ins = inputs([L * N * 3 * H, 3 * H * H, 3 * H, N * H], 40);
    const ref = naiveGru(ins, reverse);
    const [x, w, b, h0] = ins;
    const y32 = out32(ref.length);
    const [x32, w32, b32, h32] = in32(ins);
    cpuBackend.gruSequenceForward(x32, w32, b32, h32, y32, out32(L * N * 4 * H), spec);
    expect(maxRelativeError(y32, ref)).toBeLessThan(1e-5);
    const y = out64(ref.length), kept = out64(L * N * 4 * H);
    cpuBackend.gruSequenceForward(x, w, b, h0, y, kept, spec);
    expect(maxRelativeError(y, ref)).toBeLessThan(1e-12);
    const gy = seededArray(Float64Array, y.length, 96) as Arr;
    const g = ins.map((a) => out64(a.length));
    cpuBackend.gruSequenceBackward(gy, y, kept, w, h0, g[0], g[1], g[2], g[3], spec);
    const fd = finiteDifferences((i) => naiveGru(i, reverse), ins, gy);
    g.forEach((got, k) => expect(maxRelativeError(got, fd[k])).toBeLessThan(1e-6));
  });
});

it('a backend that borrows the recurrence kernels runs their step products on its own matmul', () => {
  let products = 0;
  const spy = { ...cpuBackend, name: 'spy', matmul: (...a: Parameters<typeof cpuBackend.matmul>) => { products++; cpuBackend.matmul(...a); } };
  const [x, w, h0] = inputs([L * N * H, H * H, N * H], 50);
  spy.rnnSequenceForward(x, w, h0, out64(L * N * H), { length: L, batch: N, hidden: H, reverse: false, relu: false });
  expect(products).toBe(L);
});

it('gradient outputs passed as null are skipped; the others are unchanged', () => {
  const spec = { length: L, batch: N, hidden: H, reverse: false };
  const [x, w, b, h0] = inputs([L * N * 3 * H, 3 * H * H, 3 * H, N * H], 60);
  const y = out64(L * N * H), kept = out64(L * N * 4 * H);
  cpuBackend.gruSequenceForward(x, w, b, h0, y, kept, spec);
  const gy = seededArray(Float64Array, y.length, 61) as Arr;
  const full = [out64(x.length), out64(w.length), out64(b.length), out64(h0.length)];
  cpuBackend.gruSequenceBackward(gy, y, kept, w, h0, full[0], full[1], full[2], full[3], spec);
  const dx = out64(x.length), dh0 = out64(h0.length);
  cpuBackend.gruSequenceBackward(gy, y, kept, w, h0, dx, null, null, dh0, spec);
  expect(dx).toEqual(full[0]);
  expect(dh0).toEqual(full[3]);
});

describe('the LSTM cell kernel on WebAssembly SIMD (float32 σ and tanh polynomials)', () => {
  beforeAll(() => useWasmKernels(true));
  afterAll(() => useWasmKernels(wasmSimdAvailable));

  it('runs its SIMD loop here (the float32 results differ from the CPU loop in the last bits)', () => {
    expect(wasmKernelsActive()).toBe(true);
    const got = cell(wasmBackend as typeof cpuBackend, 16, 64, 5, 1, false), want = cell(cpuBackend, 16, 64, 5, 1, false);
    expect(got.mOut).not.toEqual(want.mOut);
  });

  const cell = (backend: Pick<typeof cpuBackend, 'lstmCell'>, N: number, H: number, seed: number, scale: number, inPlace: boolean) => {
    const G = 4 * H, xBase = 3 * G; // the step's rows sit after other data, as in a sequence
    const a = Float32Array.from(seededArray(Float64Array, N * G, seed), (v) => v * scale);
    const xp = Float32Array.from(seededArray(Float64Array, xBase + N * G, seed + 1), (v) => v * scale);
    const cPrev = Float32Array.from(seededArray(Float64Array, N * H, seed + 2), (v) => v * scale);
    const cOut = inPlace ? cPrev : new Float32Array(N * H).fill(NaN);
    const mOut = new Float32Array(N * H).fill(NaN), gates = new Float32Array(xBase + N * G).fill(7);
    backend.lstmCell(a, xp, xBase, cPrev, cOut, mOut, gates, N, H);
    return { cOut, mOut, gates };
  };

  it.each([
    [16, 64, 1], [3, 4, 8], [5, 12, 0.01], [7, 4096, 2], [2, 3, 1], [4, 6, 3],
  ])('N %i, H %i (inputs ×%f): agrees with the CPU loop to float32 accuracy, in place too', (N, H, scale) => {
    for (const inPlace of [false, true]) {
      const want = cell(cpuBackend, N, H, N + H, scale, inPlace);
      const got = cell(wasmBackend as typeof cpuBackend, N, H, N + H, scale, inPlace);
      for (const key of ['cOut', 'mOut', 'gates'] as const) expect(maxRelativeError(got[key], want[key])).toBeLessThan(1e-6);
      expect(got.gates.subarray(0, 3 * 4 * H).every((v) => v === 7)).toBe(true); // rows before xBase untouched
      // H not a multiple of 4 runs the CPU loop: the same bits.
      if (H % 4 !== 0) for (const key of ['cOut', 'mOut', 'gates'] as const) expect(got[key]).toEqual(want[key]);
    }
  });

  it('saturates like the CPU loop for large inputs and keeps NaN', () => {
    const H = 4, G = 16;
    const a = new Float32Array(G).fill(0);
    const xp = Float32Array.from([200, -200, 1e30, -1e30, 90, -90, 50, -50, NaN, 0, 1, 2, 100, -100, 3, -3]);
    const cPrev = Float32Array.from([1, -1, 0, 2]);
    const outs = [cpuBackend, wasmBackend as typeof cpuBackend].map((b) => {
      const cOut = new Float32Array(H), mOut = new Float32Array(H), gates = new Float32Array(G);
      b.lstmCell(a, xp, 0, cPrev, cOut, mOut, gates, 1, H);
      return [cOut, mOut, gates];
    });
    outs[0].forEach((want, k) => {
      want.forEach((w, i) => {
        const g = outs[1][k][i];
        if (Number.isNaN(w)) expect(g).toBeNaN();
        else expect(Math.abs(g - w)).toBeLessThan(1e-6 * Math.max(1, Math.abs(w)));
      });
    });
  });
});

describe('the LSTM cell gradient kernel on WebAssembly SIMD (float32 sums)', () => {
  beforeAll(() => useWasmKernels(true));
  afterAll(() => useWasmKernels(wasmSimdAvailable));

  /** One step's gradients through `backend`; `stride` > H puts the row blocks inside wider rows (the projected LSTM's layout). */
  const grad = (backend: Pick<typeof cpuBackend, 'lstmCellGrad'>, N: number, H: number, seed: number, stride: number, plain: boolean) => {
    const G = 4 * H, gBase = 2 * G;
    const f32 = (n: number, s: number, map = (v: number) => v) => Float32Array.from(seededArray(Float64Array, n, s), map);
    const gates = f32(gBase + N * G, seed, (v) => (v + 1) / 2); // i, f, o in (0, 1); g too, fine for the algebra
    const rows = (s: number) => ({ data: f32(3 + N * stride, s), offset: 3, stride });
    const c = rows(seed + 1), cPrev = rows(seed + 2), dcOut = rows(seed + 3), dmOut = plain ? rows(seed + 4) : null;
    const dm = f32(N * H, seed + 5), dc = f32(N * H, seed + 6);
    const da = new Float32Array(gBase + N * G).fill(9);
    backend.lstmCellGrad(gates, gBase, c, cPrev, { dm, dmOut, dcOut, dc }, da, N, H);
    return { da, dc };
  };

  it('runs its SIMD loop here (float32 sums differ from the CPU loop in the last bits)', () => {
    const got = grad(wasmBackend as typeof cpuBackend, 16, 64, 1, 64, true), want = grad(cpuBackend, 16, 64, 1, 64, true);
    expect(got.da).not.toEqual(want.da);
  });

  it.each([[16, 64, 64, true], [3, 4, 4, true], [7, 4096, 4096, true], [5, 8, 11, true], [4, 8, 8, false], [2, 6, 6, true]])(
    'N %i, H %i, row stride %i, plain %s: agrees with the CPU loop (bit for bit where it runs the CPU loop)', (N, H, stride, plain) => {
      const got = grad(wasmBackend as typeof cpuBackend, N, H, N + H, stride, plain), want = grad(cpuBackend, N, H, N + H, stride, plain);
      expect(maxRelativeError(got.da, want.da)).toBeLessThan(1e-6);
      expect(maxRelativeError(got.dc, want.dc)).toBeLessThan(1e-6);
      expect(got.da.subarray(0, 8 * H).every((v) => v === 9)).toBe(true);
      if (H % 4 !== 0 || stride !== H || !plain) expect(got).toEqual(want);
    },
  );
});
