/**
 * W6: one post-norm Transformer encoder block — d_model 64, 4 heads,
 * feed-forward 256, ReLU, seq 32, batch 8 — forward, a mean-squared loss against a fixed
 * target, and backward to the input and every weight, for
 *   tsgrad           nn.TransformerEncoderLayer (dropout 0, batch-first)
 *   tfjs-cpu/-wasm   the same block with tfjs ops (matMul, softmax, moments, relu) and tf.variableGrads
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { nn, tensor } from '../../src/index.js';
import type { BenchCase, Impl, Workload } from '../harness.js';
import { randomFloat32 } from './random.js';
import { tfjsImpls } from './tfjs-impls.js';

const [E, HEADS, FF, L, N] = [64, 4, 256, 32, 8];
const D = E / HEADS;

/** Products only, forward: q/k/v/out projections, scores and weights·v, the two FF layers; backward ≈ 2×. */
const FLOPS = 3 * (2 * N * L * E * 4 * E + 2 * 2 * N * L * L * E + 2 * 2 * N * L * E * FF);

function blockCase(): BenchCase {
  const x = tensor(randomFloat32(N * L * E, 1), { shape: [N, L, E] });
  const target = tensor(randomFloat32(N * L * E, 2), { shape: [N, L, E] });
  const ours: Impl = {
    label: 'tsgrad',
    prepare: () => {
      const layer = new nn.TransformerEncoderLayer(E, HEADS, { dimFeedforward: FF, dropout: 0, batchFirst: true });
      const xin = x.detach().requiresGrad_();
      return {
        run: () => {
          layer.zeroGrad();
          xin.grad = null;
          layer.forward(xin).sub(target).pow(2).mean().backward();
        },
      };
    },
  };
  const peers = tfjsImpls((tf) => {
    const w = (shape: number[], seed: number, scale: number) =>
      tf.variable(tf.mul(tf.tensor(randomFloat32(shape.reduce((a, b) => a * b, 1), seed), shape), scale));
    const inW = w([E, 3 * E], 3, Math.sqrt(6 / (4 * E)));
    const inB = w([3 * E], 4, 0);
    const outW = w([E, E], 5, 1 / Math.sqrt(E));
    const outB = w([E], 6, 0);
    const w1 = w([E, FF], 7, 1 / Math.sqrt(E));
    const b1 = w([FF], 8, 1 / Math.sqrt(E));
    const w2 = w([FF, E], 9, 1 / Math.sqrt(FF));
    const b2 = w([E], 10, 1 / Math.sqrt(FF));
    const g1 = tf.variable(tf.ones([E]));
    const be1 = tf.variable(tf.zeros([E]));
    const g2 = tf.variable(tf.ones([E]));
    const be2 = tf.variable(tf.zeros([E]));
    const xt = tf.variable(tf.tensor(x.toTypedArray(), [N, L, E]));
    const tt = tf.tensor(target.toTypedArray(), [N, L, E]);
    const norm = (v: TfCore.Tensor, g: TfCore.Tensor, b: TfCore.Tensor) => {
      const { mean, variance } = tf.moments(v, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(v, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
    };
    const heads = (v: TfCore.Tensor) => tf.transpose(tf.reshape(v, [N, L, HEADS, D]), [0, 2, 1, 3]);
    const loss = (): TfCore.Scalar => {
      const flat = tf.reshape(xt, [N * L, E]);
      const [q, k, v] = tf.split(tf.add(tf.matMul(flat, inW), inB), 3, 1);
      const scores = tf.mul(tf.matMul(heads(q), heads(k), false, true), 1 / Math.sqrt(D));
      const att = tf.matMul(tf.softmax(scores), heads(v));
      const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [N * L, E]);
      const a = norm(tf.add(flat, tf.add(tf.matMul(merged, outW), outB)), g1, be1);
      const ff = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(a, w1), b1)), w2), b2);
      const out = norm(tf.add(a, ff), g2, be2);
      return tf.mean(tf.square(tf.sub(tf.reshape(out, [N, L, E]), tt)));
    };
    const vars = [inW, inB, outW, outB, w1, b1, w2, b2, g1, be1, g2, be2, xt];
    return {
      inputs: [...vars, tt],
      step: () => tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss, vars);
        return [value, ...Object.values(grads)];
      }),
    };
  });
  return { name: `encoder block d=${E} h=${HEADS} ff=${FF} L=${L} N=${N}`, flops: FLOPS, minIterations: 10, impls: [ours, ...peers] };
}

export const w6TransformerBlock: Workload = {
  id: 'W6', title: 'Transformer encoder block (forward + backward, float32)', cases: () => [blockCase()],
};

