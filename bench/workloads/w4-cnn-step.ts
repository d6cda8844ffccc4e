/**
 * W4: one CNN training step on 28×28 single-channel images, float32:
 *   conv(1→8, 3×3, pad 1) → ReLU → maxpool 2 → conv(8→16, 3×3, pad 1) → ReLU → maxpool 2
 *   → flatten (16·7·7 = 784) → linear(784→10), softmax cross-entropy, plain SGD (lr 0.01).
 *   tsgrad          nn.Conv2d, nn.MaxPool2d, nn.Linear in nn.Sequential, crossEntropy, optim.SGD
 *   tfjs-cpu/-wasm  conv2d/maxPool/matMul in tfjs's NHWC layout, softmaxCrossEntropy, sgd.minimize
 * Both start from the same weights: tfjs gets the conv kernels as [kH, kW, in, out], and the
 * linear weight reordered to match its (h, w, c) flattening. The losses of the first steps must
 * agree (TrainingAgreement) before anything is timed. tfjs's wasm backend has no conv2d
 * weight-gradient kernel (Conv2DBackpropFilter), so its row reads "not supported".
 * FLOPs: forward 2B(8·28²·9 + 16·14²·8·9 + 784·10); backward the weight gradients of all three
 * layers and the input gradients of the last two (the images need none).
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { nn, noGrad, tensor, type Tensor } from '../../src/index.js';
import type { BenchCase, Impl, Workload } from '../harness.js';
import { TrainingAgreement } from './agreement.js';
import { hwioFromOihw } from './layout.js';
import { randomFloat32 } from './random.js';
import { tfjsImpls } from './tfjs-impls.js';
import { tfjsLossValue, tsgradSgdStep } from './training-step.js';

const SIZE = 28, C1 = 8, C2 = 16, K = 3, CLASSES = 10, LR = 0.01;
/** Features after the second pool: 16 channels of 7×7. */
const FEATURES = C2 * (SIZE / 4) * (SIZE / 4);

function flops(batch: number): number {
  const conv1 = 2 * batch * C1 * SIZE * SIZE * K * K;
  const conv2 = 2 * batch * C2 * (SIZE / 2) ** 2 * C1 * K * K;
  const linear = 2 * batch * FEATURES * CLASSES;
  return 2 * conv1 + 3 * conv2 + 3 * linear;
}

/** Seeded images in [0, 1), labels 0…9, and PyTorch-style U(±1/√fanIn) weights in PyTorch's layout. */
function problem(batch: number) {
  const uniform = (n: number, seed: number, fanIn: number) => randomFloat32(n, seed).map((v) => v / Math.sqrt(fanIn));
  return {
    x: randomFloat32(batch * SIZE * SIZE, 1).map((v) => (v + 1) / 2),
    labels: Int32Array.from(randomFloat32(batch, 2), (v) => Math.min(CLASSES - 1, Math.floor(((v + 1) / 2) * CLASSES))),
    k1: uniform(C1 * K * K, 21, K * K),
    b1: uniform(C1, 22, K * K),
    k2: uniform(C2 * C1 * K * K, 23, C1 * K * K),
    b2: uniform(C2, 24, C1 * K * K),
    wl: uniform(CLASSES * FEATURES, 25, FEATURES),
    bl: uniform(CLASSES, 26, FEATURES),
  };
}

function cnnStepCase(batch: number): BenchCase {
  const p = problem(batch);
  const agreement = new TrainingAgreement('W4');
  const ours: Impl = {
    label: 'tsgrad',
    prepare: () => {
      const conv1 = new nn.Conv2d(1, C1, K, { padding: 1 }), conv2 = new nn.Conv2d(C1, C2, K, { padding: 1 });
      const fc = new nn.Linear(FEATURES, CLASSES);
      noGrad(() => {
        conv1.weight.copy_(tensor(p.k1, { shape: [C1, 1, K, K] }));
        (conv1.bias as Tensor).copy_(tensor(p.b1));
        conv2.weight.copy_(tensor(p.k2, { shape: [C2, C1, K, K] }));
        (conv2.bias as Tensor).copy_(tensor(p.b2));
        fc.weight.copy_(tensor(p.wl, { shape: [CLASSES, FEATURES] }));
        (fc.bias as Tensor).copy_(tensor(p.bl));
      });
      const model = new nn.Sequential(
        conv1, new nn.ReLU(), new nn.MaxPool2d(2), conv2, new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), fc,
      );
      const x = tensor(p.x, { shape: [batch, 1, SIZE, SIZE] }), y = tensor(p.labels);
      const step = tsgradSgdStep(model, x, y, LR);
      agreement.check('tsgrad', step);
      return { run: () => void step() };
    },
  };
  const peers = tfjsImpls((tf, label) => {
    const k1 = tf.variable(tf.tensor4d(hwioFromOihw(p.k1, [C1, 1, K, K]), [K, K, 1, C1]));
    const b1 = tf.variable(tf.tensor1d(p.b1));
    const k2 = tf.variable(tf.tensor4d(hwioFromOihw(p.k2, [C2, C1, K, K]), [K, K, C1, C2]));
    const b2 = tf.variable(tf.tensor1d(p.b2));
    // PyTorch flattens (c, h, w) and its weight is [out, (c, h, w)]; tfjs's NHWC flattens
    // (h, w, c) and wants [(h, w, c), out]: the same permutation as the conv kernels.
    const wl = tf.variable(tf.tensor2d(hwioFromOihw(p.wl, [CLASSES, C2, SIZE / 4, SIZE / 4]), [FEATURES, CLASSES]));
    const bl = tf.variable(tf.tensor1d(p.bl));
    // With one channel, NCHW and NHWC images are the same numbers.
    const x = tf.tensor4d(p.x, [batch, SIZE, SIZE, 1]);
    const onehot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(p.labels, 'int32'), CLASSES), 'float32'));
    const sgd = tf.train.sgd(LR);
    const block = (h: TfCore.Tensor4D, k: TfCore.Variable, b: TfCore.Variable): TfCore.Tensor4D =>
      tf.maxPool(tf.relu(tf.add(tf.conv2d(h, k as TfCore.Tensor4D, 1, 'same'), b)), 2, 2, 'valid');
    const loss = (): TfCore.Scalar => {
      const features = tf.reshape(block(block(x, k1, b1), k2, b2), [batch, FEATURES]);
      return tf.losses.softmaxCrossEntropy(onehot, tf.add(tf.matMul(features, wl), bl));
    };
    const step = (): TfCore.Tensor[] => [sgd.minimize(loss, true, [k1, b1, k2, b2, wl, bl]) as TfCore.Scalar];
    return {
      inputs: [k1, b1, k2, b2, wl, bl, x, onehot, sgd],
      step,
      // The first step also finds out whether the backend has every kernel the step needs.
      verify: () => agreement.check(label, tfjsLossValue(step)),
    };
  });
  return { name: `CNN step, batch ${batch}`, flops: flops(batch), minIterations: 3, impls: [ours, ...peers] };
}

export const w4CnnStep: Workload = {
  id: 'W4',
  title: 'CNN training step conv(1→8)-relu-pool-conv(8→16)-relu-pool-linear(784→10), 28×28, SGD (float32)',
  // Quick mode trains on 8 images: tfjs-cpu's step at batch 32 alone takes a good part of a second.
  cases: (quick) => [cnnStepCase(quick ? 8 : 32)],
};
