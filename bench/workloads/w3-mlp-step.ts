/**
 * W3: one MLP training step, 784-256-10 with ReLU, softmax cross-entropy (mean over the batch),
 * batch 64, plain SGD (lr 0.01): forward, backward and the parameter update, float32.
 *   tsgrad          nn.Sequential(Linear, ReLU, Linear), nn.functional.crossEntropy, optim.SGD
 *   tfjs-cpu/-wasm  matMul/relu, tf.losses.softmaxCrossEntropy, tf.train.sgd(...).minimize
 * Every implementation starts from the same weights (tfjs gets them transposed to its [in, out]
 * layout) and reads the loss back each step. Before timing, the losses of the first steps must
 * agree across implementations (TrainingAgreement), or the run aborts.
 * FLOPs (matmuls only): forward 2B(784·256 + 256·10); backward the two weight gradients and
 * the hidden-layer gradient (the input needs none): 2·F₁ + 3·F₂ in all.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { nn, noGrad, tensor, type Tensor } from '../../src/index.js';
import type { BenchCase, Impl, Workload } from '../harness.js';
import { TrainingAgreement } from './agreement.js';
import { transposed } from './layout.js';
import { randomFloat32 } from './random.js';
import { tfjsImpls } from './tfjs-impls.js';
import { tfjsLossValue, tsgradSgdStep } from './training-step.js';

const BATCH = 64, IN = 784, HIDDEN = 256, CLASSES = 10, LR = 0.01;

const F1 = 2 * BATCH * IN * HIDDEN, F2 = 2 * BATCH * HIDDEN * CLASSES;

/** Seeded inputs in [0, 1) (like pixels), labels 0…9, and PyTorch-style U(±1/√fanIn) weights. */
function problem() {
  const uniform = (n: number, seed: number, bound: number) => randomFloat32(n, seed).map((v) => v * bound);
  return {
    x: randomFloat32(BATCH * IN, 1).map((v) => (v + 1) / 2),
    labels: Int32Array.from(randomFloat32(BATCH, 2), (v) => Math.min(CLASSES - 1, Math.floor(((v + 1) / 2) * CLASSES))),
    w1: uniform(HIDDEN * IN, 11, 1 / Math.sqrt(IN)),
    b1: uniform(HIDDEN, 12, 1 / Math.sqrt(IN)),
    w2: uniform(CLASSES * HIDDEN, 13, 1 / Math.sqrt(HIDDEN)),
    b2: uniform(CLASSES, 14, 1 / Math.sqrt(HIDDEN)),
  };
}

function mlpStepCase(): BenchCase {
  const p = problem();
  const agreement = new TrainingAgreement('W3');
  const ours: Impl = {
    label: 'tsgrad',
    prepare: () => {
      const l1 = new nn.Linear(IN, HIDDEN), l2 = new nn.Linear(HIDDEN, CLASSES);
      noGrad(() => {
        l1.weight.copy_(tensor(p.w1, { shape: [HIDDEN, IN] }));
        (l1.bias as Tensor).copy_(tensor(p.b1));
        l2.weight.copy_(tensor(p.w2, { shape: [CLASSES, HIDDEN] }));
        (l2.bias as Tensor).copy_(tensor(p.b2));
      });
      const model = new nn.Sequential(l1, new nn.ReLU(), l2);
      const x = tensor(p.x, { shape: [BATCH, IN] }), y = tensor(p.labels);
      const step = tsgradSgdStep(model, x, y, LR);
      agreement.check('tsgrad', step);
      return { run: () => void step() };
    },
  };
  const peers = tfjsImpls((tf, label) => {
    const w1 = tf.variable(tf.tensor2d(transposed(p.w1, HIDDEN, IN), [IN, HIDDEN]));
    const b1 = tf.variable(tf.tensor1d(p.b1));
    const w2 = tf.variable(tf.tensor2d(transposed(p.w2, CLASSES, HIDDEN), [HIDDEN, CLASSES]));
    const b2 = tf.variable(tf.tensor1d(p.b2));
    const x = tf.tensor2d(p.x, [BATCH, IN]);
    const onehot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(p.labels, 'int32'), CLASSES), 'float32'));
    const sgd = tf.train.sgd(LR);
    const loss = (): TfCore.Scalar => {
      const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);
      return tf.losses.softmaxCrossEntropy(onehot, logits);
    };
    // minimize(f, returnCost) runs forward, backward and the update; it returns the loss.
    const step = (): TfCore.Tensor[] => [sgd.minimize(loss, true, [w1, b1, w2, b2]) as TfCore.Scalar];
    return {
      inputs: [w1, b1, w2, b2, x, onehot, sgd],
      step,
      verify: () => agreement.check(label, tfjsLossValue(step)),
    };
  });
  return { name: `MLP ${IN}-${HIDDEN}-${CLASSES} step, batch ${BATCH}`, flops: 2 * F1 + 3 * F2, minIterations: 5, impls: [ours, ...peers] };
}

export const w3MlpStep: Workload = {
  id: 'W3',
  title: 'MLP training step 784-256-10, ReLU, softmax cross-entropy, SGD (float32)',
  // One size in both modes: the step is short (tens of ms), only the time budget shrinks.
  cases: () => [mlpStepCase()],
};
