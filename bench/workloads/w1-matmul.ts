/**
 * W1: float32 matrix products n×n·n×n (n = 128 … 1024) and, at n = 512, the two transposed
 * variants the backward of matmul needs: A·Bᵀ (grad wrt A) and Aᵀ·B (grad wrt B).
 * FLOPs = 2·n³ (one multiply and one add per term).
 */
import type { ProductPlugin } from '../../src/kernels/backend.js';
import { currentBackend } from '../../src/index.js';
import type { BenchCase, Impl, Workload } from '../harness.js';
import { randomFloat32 } from './random.js';
import { BENCH_THREADS, threadedBackend } from './threaded.js';
import { tfjsImpls } from './tfjs-impls.js';

function matmulCase(n: number, transA: boolean, transB: boolean): BenchCase {
  const variant = `${transA ? 'Aᵀ' : 'A'}·${transB ? 'Bᵀ' : 'B'}`;
  const spec = { batch: 1, m: n, n, k: n, transA, transB, aBatchStride: 0, bBatchStride: 0 };
  const ours = (label: string, backend: () => Promise<ProductPlugin> | ProductPlugin): Impl => ({
    label,
    prepare: async () => {
      const be = await backend();
      const a = randomFloat32(n * n, 1), b = randomFloat32(n * n, 2), out = new Float32Array(n * n);
      return { run: () => be.matmul(a, b, out, spec) };
    },
  });
  const peers = tfjsImpls((tf) => {
    const a = tf.tensor2d(randomFloat32(n * n, 1), [n, n]), b = tf.tensor2d(randomFloat32(n * n, 2), [n, n]);
    return { inputs: [a, b], step: () => [tf.matMul(a, b, transA, transB)] };
  });
  return { name: `${variant} n=${n}`, flops: 2 * n ** 3, minIterations: n >= 512 ? 3 : 10, impls: [ours('tsgrad', () => currentBackend()), ours(`tsgrad×${BENCH_THREADS}`, threadedBackend), ...peers] };
}

export const w1Matmul: Workload = {
  id: 'W1',
  title: 'matmul (float32)',
  cases: (quick) => {
    const sizes = quick ? [128, 256, 512] : [128, 256, 512, 1024];
    return [
      ...sizes.map((n) => matmulCase(n, false, false)),
      matmulCase(512, false, true),
      matmulCase(512, true, false),
    ];
  },
};
