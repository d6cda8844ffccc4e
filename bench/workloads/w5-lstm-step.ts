/**
 * W5: one LSTM training step — forward over seq 32, batch 16, input 32,
 * hidden 64, a mean-squared loss against a fixed target, and backward to the input and every
 * weight — for
 *   tsgrad           nn.LSTM (the fused whole-sequence op, hand-written BPTT)
 *   tsgrad composed  the same LSTM written with ordinary tensor ops per step (the form the
 *                    fused op differentiates under createGraph), to show what fusing buys
 *   tfjs-cpu/-wasm   the same LSTM with tfjs ops (matMul, sigmoid, tanh) and tf.variableGrads
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { nn, tensor, type Tensor } from '../../src/index.js';
import { lstmSequenceComposed } from '../../src/nn/recurrent/lstm-sequence.js';
import type { BenchCase, Impl, Workload } from '../harness.js';
import { randomFloat32 } from './random.js';
import { tfjsImpls } from './tfjs-impls.js';

const [L, N, I, H] = [32, 16, 32, 64];

/** Products only: the input projection and the per-step recurrent product, forward; backward ≈ 2× forward. */
const FLOPS = 3 * (2 * L * N * I * 4 * H + 2 * L * N * H * 4 * H);

function lstmCase(): BenchCase {
  const x = tensor(randomFloat32(L * N * I, 1), { shape: [L, N, I] });
  const target = tensor(randomFloat32(L * N * H, 2), { shape: [L, N, H] });
  const ours = (label: string, forward: (m: nn.LSTM, xin: Tensor) => Tensor): Impl => ({
    label,
    prepare: () => {
      const m = new nn.LSTM(I, H);
      const xin = x.detach().requiresGrad_();
      return {
        run: () => {
          m.zeroGrad();
          xin.grad = null;
          forward(m, xin).sub(target).pow(2).mean().backward();
        },
      };
    },
  });
  const fused = ours('tsgrad', (m, xin) => m.forward(xin)[0]);
  const composed = ours('tsgrad composed', (m, xin) => {
    const { wih, whh, bih, bhh } = m.directionWeights(0, 0);
    const bias = (bih as Tensor).add(bhh as Tensor);
    const xp = xin.reshape([L * N, I]).matmul(wih.T).add(bias).reshape([L, N, 4 * H]);
    const zero = tensor(new Float32Array(N * H), { shape: [N, H] });
    return lstmSequenceComposed(xp, whh, zero, zero, false).narrow(1, 0, 1).squeeze(1);
  });
  const peers = tfjsImpls((tf) => {
    const k = 1 / Math.sqrt(H);
    const w = (shape: number[], seed: number) => tf.variable(tf.mul(tf.tensor(randomFloat32(shape.reduce((a, b) => a * b, 1), seed), shape), k));
    const wih = w([4 * H, I], 3);
    const whh = w([4 * H, H], 4);
    const b = w([4 * H], 5);
    const xt = tf.variable(tf.tensor(x.toTypedArray(), [L, N, I]));
    const tt = tf.tensor(target.toTypedArray(), [L, N, H]);
    const loss = (): TfCore.Scalar => {
      const xp = tf.reshape(tf.add(tf.matMul(tf.reshape(xt, [L * N, I]), wih, false, true), b), [L, N, 4 * H]);
      let h: TfCore.Tensor = tf.zeros([N, H]);
      let c: TfCore.Tensor = tf.zeros([N, H]);
      const outs: TfCore.Tensor[] = [];
      for (const xs of tf.unstack(xp)) {
        const [ai, af, ag, ao] = tf.split(tf.add(xs, tf.matMul(h, whh, false, true)), 4, 1);
        c = tf.add(tf.mul(tf.sigmoid(af), c), tf.mul(tf.sigmoid(ai), tf.tanh(ag)));
        h = tf.mul(tf.sigmoid(ao), tf.tanh(c));
        outs.push(h);
      }
      return tf.mean(tf.square(tf.sub(tf.stack(outs), tt)));
    };
    return {
      inputs: [wih, whh, b, xt, tt],
      step: () => tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss, [wih, whh, b, xt]);
        return [value, ...Object.values(grads)];
      }),
    };
  });
  return { name: `LSTM step L=${L} N=${N} in=${I} H=${H}`, flops: FLOPS, minIterations: 10, impls: [fused, composed, ...peers] };
}

export const w5LstmStep: Workload = { id: 'W5', title: 'LSTM training step (forward + backward, float32)', cases: () => [lstmCase()] };

