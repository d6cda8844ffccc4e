/**
 * W2: float32 conv2d, N=32 images, 16→32 channels, 28×28, 3×3 kernel, padding 1 (stride 1):
 * forward, and forward + both gradients (input and weight) given an upstream gradient.
 * FLOPs: forward 2·N·Cout·H·W·Cin·9; each gradient costs the same, so fwd+bwd is 3×.
 * tfjs uses its native NHWC layout, tsgrad NCHW (PyTorch's); the arithmetic is identical.
 */
import type { Conv2dSpec, ProductPlugin } from '../../src/kernels/backend.js';
import { currentBackend } from '../../src/index.js';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { BenchCase, Impl, Workload } from '../harness.js';
import { randomFloat32 } from './random.js';
import { BENCH_THREADS, threadedBackend } from './threaded.js';
import { tfjsImpls } from './tfjs-impls.js';

const C_IN = 16, C_OUT = 32, SIZE = 28, K = 3;

function spec(batch: number): Conv2dSpec {
  return {
    batch, inChannels: C_IN, inH: SIZE, inW: SIZE, outChannels: C_OUT, kH: K, kW: K, outH: SIZE, outW: SIZE,
    strideH: 1, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, groups: 1,
  };
}

function convCase(batch: number, withBackward: boolean): BenchCase {
  const s = spec(batch);
  const xLen = batch * C_IN * SIZE * SIZE, wLen = C_OUT * C_IN * K * K, outLen = batch * C_OUT * SIZE * SIZE;
  const ours = (label: string, backend: () => Promise<ProductPlugin> | ProductPlugin): Impl => ({
    label,
    prepare: async () => {
      const be = await backend();
      const x = randomFloat32(xLen, 1), w = randomFloat32(wLen, 2), gOut = randomFloat32(outLen, 3);
      const out = new Float32Array(outLen), gx = new Float32Array(xLen), gw = new Float32Array(wLen);
      return {
        run: () => {
          be.conv2d(x, w, out, s);
          if (withBackward) {
            be.conv2dInputGrad(gOut, w, gx, s);
            be.conv2dWeightGrad(x, gOut, gw, s);
          }
        },
      };
    },
  });
  const peers = tfjsImpls((tf) => {
    const x = tf.tensor4d(randomFloat32(xLen, 1), [batch, SIZE, SIZE, C_IN]);
    const w = tf.tensor4d(randomFloat32(wLen, 2), [K, K, C_IN, C_OUT]);
    const gOut = tf.tensor4d(randomFloat32(outLen, 3), [batch, SIZE, SIZE, C_OUT]);
    const conv = (xi: TfCore.Tensor, wi: TfCore.Tensor) => tf.conv2d(xi as TfCore.Tensor4D, wi as TfCore.Tensor4D, 1, 'same');
    const both = tf.grads(conv);
    return {
      inputs: [x, w, gOut],
      step: () => (withBackward ? [conv(x, w), ...both([x, w], gOut)] : [conv(x, w)]),
    };
  });
  const flops = 2 * batch * C_OUT * SIZE * SIZE * C_IN * K * K * (withBackward ? 3 : 1);
  return { name: `${withBackward ? 'fwd+bwd' : 'forward'} N=${batch}`, flops, minIterations: 3, impls: [ours('tsgrad', () => currentBackend()), ours(`tsgrad×${BENCH_THREADS}`, threadedBackend), ...peers] };
}

export const w2Conv2d: Workload = {
  id: 'W2',
  title: 'conv2d 16→32, 28×28, 3×3, pad 1 (float32)',
  // Quick mode uses N=4: tfjs-cpu's forward+backward at N=32 alone takes ~20 s an iteration.
  cases: (quick) => [convCase(quick ? 4 : 32, false), convCase(quick ? 4 : 32, true)],
};
