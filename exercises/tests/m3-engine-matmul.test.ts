/**
 * m3 — the topological sort of the backward engine and MatMul.backward. The graphs here use
 * ops whose backward is given (add, neg, exp), so only this task's code decides the result.
 */
import { describe, expect, it } from 'vitest';
import { gradcheck, onesLike, type Tensor } from 'tsgrad';
import { expectClose, randomTensor, seeded, values } from './helpers.js';

/** A·B for row-major [m, k] and [k, n] matrices, in plain JavaScript. */
function matmul(a: readonly number[], b: readonly number[], m: number, k: number, n: number): number[] {
  return Array.from({ length: m * n }, (_, i) => {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[Math.floor(i / n) * k + p] * b[p * n + (i % n)];
    return s;
  });
}

/** The row-major transpose of an [r, c] matrix. */
function transpose(a: readonly number[], r: number, c: number): number[] {
  return Array.from({ length: r * c }, (_, i) => a[(i % r) * c + Math.floor(i / r)]);
}

describe('m3: topological sort and MatMul', () => {
  it('m3: a node shared by two paths sends its gradient once, after both arrived', () => {
    const random = seeded(31);
    const x = randomTensor([3], random, true);
    const a = x.exp();
    const b = a.add(x);
    const c = b.add(a).add(b.neg().neg());
    const g = randomTensor([3], random);
    c.backward(g);
    // c = a + 2b = 3a + 2x, a = eˣ  ⇒  ∂c/∂x = 3eˣ + 2
    expectClose(values(x.grad as Tensor), values(x).map((v, i) => values(g)[i] * (3 * Math.exp(v) + 2)), '∂c/∂x', 1e-12, 1e-10);
  });

  it('m3: a 10,000-op chain does not overflow the stack', () => {
    const random = seeded(32);
    const x = randomTensor([2], random, true);
    let y = x;
    for (let i = 0; i < 10_000; i++) y = y.neg();
    y.backward(onesLike(y));
    expect(values(x.grad as Tensor)).toEqual([1, 1]);
  });

  it('m3: gradients from several uses of a leaf accumulate', () => {
    const random = seeded(33);
    const x = randomTensor([4], random, true);
    const y = x.exp().add(x.neg()).add(x).add(x.exp().exp());
    y.backward(onesLike(y));
    expectClose(values(x.grad as Tensor), values(x).map((v) => Math.exp(v) + Math.exp(Math.exp(v)) * Math.exp(v)), '∂y/∂x', 1e-12, 1e-10);
  });

  it('m3: MatMul.backward gives G·Bᵀ and Aᵀ·G', () => {
    const random = seeded(34);
    const a = randomTensor([3, 4], random, true);
    const b = randomTensor([4, 2], random, true);
    const out = a.matmul(b);
    const g = randomTensor([3, 2], random);
    const [ga, gb] = out.gradFn?.backward(g) ?? [];
    expectClose(values(ga as Tensor), matmul(values(g), transpose(values(b), 4, 2), 3, 2, 4), '∂/∂A');
    expectClose(values(gb as Tensor), matmul(transpose(values(a), 3, 4), values(g), 4, 3, 2), '∂/∂B');
  });

  it('m3: gradcheck of matmul: plain, batched, transposed operand, matrix-vector', () => {
    const random = seeded(35);
    const cases: [number[], number[]][] = [[[3, 4], [4, 2]], [[2, 3, 4], [2, 4, 5]], [[3, 4], [4, 1]], [[1, 4], [4, 3]]];
    for (const [as, bs] of cases) {
      expect(gradcheck((x, y) => x.matmul(y), [randomTensor(as, random, true), randomTensor(bs, random, true)])).toBe(true);
    }
    // A weight used transposed, as Linear does: its gradient keeps the weight's layout.
    const w = randomTensor([5, 4], random, true);
    expect(gradcheck((x, v) => x.matmul(v.T), [randomTensor([3, 4], random, true), w])).toBe(true);
  });

  it('m3: MatMul.backward returns null for an operand that needs no gradient', () => {
    const random = seeded(36);
    const a = randomTensor([2, 3], random, true);
    const b = randomTensor([3, 2], random);
    const grads = a.matmul(b).gradFn?.backward(randomTensor([2, 2], random)) ?? [];
    expect(grads[0]?.shape).toEqual([2, 3]);
    expect(grads[1] ?? null).toBeNull();
  });
});
