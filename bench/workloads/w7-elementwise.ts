/**
 * W7: elementwise throughput and autograd overhead (float32), through tsgrad's public API.
 *  - relu(x·a + b) over 1M floats (a, b scalars): three elementwise ops, no grad. The result is
 *    read with `data()`, a typed array of the values as tfjs's `dataSync` gives (ours is the
 *    storage itself; tfjs-wasm has to copy out of its wasm memory).
 *  - sum over 1M floats.
 *  - autograd overhead: 1,000 ops on 4-element tensors (alternating mul and add by a
 *    constant tensor), then sum and backward: what a graph node costs when the math is free.
 */
import { add, mul, noGrad, relu, sum, tensor, type Tensor } from '../../src/index.js';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { BenchCase, Impl, Workload } from '../harness.js';
import { randomFloat32 } from './random.js';
import { tfjsImpls } from './tfjs-impls.js';

const N = 1 << 20;
const CHAIN = 1000;

function reluAffine(): BenchCase {
  const ours: Impl = {
    label: 'tsgrad',
    prepare: () => {
      const x = tensor(randomFloat32(N, 1));
      return { run: () => void noGrad(() => relu(add(mul(x, 0.5), 0.1))).data() };
    },
  };
  const peers = tfjsImpls((tf) => {
    const x = tf.tensor1d(randomFloat32(N, 1));
    return { inputs: [x], step: () => [tf.tidy(() => tf.relu(tf.add(tf.mul(x, 0.5), 0.1)))] };
  });
  return { name: 'relu(x·a+b) 1M', flops: 3 * N, minIterations: 10, impls: [ours, ...peers] };
}

function sum1M(): BenchCase {
  const ours: Impl = {
    label: 'tsgrad',
    prepare: () => {
      const x = tensor(randomFloat32(N, 2));
      return { run: () => void noGrad(() => sum(x)).item() };
    },
  };
  const peers = tfjsImpls((tf) => {
    const x = tf.tensor1d(randomFloat32(N, 2));
    return { inputs: [x], step: () => [tf.sum(x)] };
  });
  return { name: 'sum 1M', flops: N, minIterations: 10, impls: [ours, ...peers] };
}

function autogradChain(): BenchCase {
  const ours: Impl = {
    label: 'tsgrad',
    prepare: () => {
      const w = tensor([0.5, -0.25, 1, 2], { requiresGrad: true });
      const c = tensor([1.0001, 0.9999, 1, 1.0002]);
      return {
        run: () => {
          let y: Tensor = w;
          for (let i = 0; i < CHAIN; i++) y = i % 2 === 0 ? mul(y, c) : add(y, c);
          sum(y).backward();
          w.grad = null;
        },
      };
    },
  };
  const peers = tfjsImpls((tf) => {
    const w = tf.tensor1d([0.5, -0.25, 1, 2]);
    const c = tf.tensor1d([1.0001, 0.9999, 1, 1.0002]);
    const f = (x: TfCore.Tensor) => {
      let y = x;
      for (let i = 0; i < CHAIN; i++) y = i % 2 === 0 ? tf.mul(y, c) : tf.add(y, c);
      return tf.sum(y);
    };
    const g = tf.grad(f);
    return { inputs: [w, c], step: () => [tf.tidy(() => g(w))] };
  });
  return { name: `autograd ${CHAIN} ops on 4 floats, fwd+bwd`, minIterations: 10, impls: [ours, ...peers] };
}

export const w7Elementwise: Workload = {
  id: 'W7',
  title: 'elementwise, reduction and autograd overhead (float32)',
  cases: () => [reluAffine(), sum1M(), autogradChain()],
};
