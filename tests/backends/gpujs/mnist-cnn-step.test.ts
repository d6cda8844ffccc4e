/**
 * One training step of the examples' MNIST CNN (two 5×5 conv–ReLU–max-pool blocks and a linear
 * layer, cross-entropy loss) on 16 real digits: on the gpu.js backend it gives the CPU backend's
 * loss and every parameter's gradient, with the convolutions (forward, input and weight
 * gradients) and matmuls really served by gpu.js. Autograd reaches the backend only through
 * `currentBackend()`, so nothing in the model changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../../../src/gpu.js';
import { manualSeed, nn, useBackend } from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { loadMnist } from '../../../examples/lib/mnist-data.js';
import { mnistCnn } from '../../../examples/cnn-mnist.js';

interface StepResult {
  loss: number;
  grads: Float32Array[];
}

function step(model: nn.Sequential, images: Tensor, labels: Tensor): StepResult {
  model.zeroGrad();
  const loss = new nn.CrossEntropyLoss().forward(model.forward(images), labels);
  loss.backward();
  const grads = model.parameters().map((p) => {
    if (p.grad === null) throw new Error('a parameter got no gradient');
    return Float32Array.from(p.grad.toTypedArray());
  });
  return { loss: loss.item(), grads };
}

describe('an MNIST CNN training step on gpu.js', () => {
  afterEach(() => useBackend('cpu'));

  it('matches the CPU backend in loss and every gradient', async () => {
    manualSeed(3);
    const model = mnistCnn();
    const { train } = loadMnist({ trainSize: 16, testSize: 0 });
    const cpu = step(model, train.images, train.labels);

    const backend = await createGpujsBackend({ mode: 'webasm', minSize: 0 });
    try {
      useBackend(backend);
      const gpu = step(model, train.images, train.labels);
      const counts = backend.runCounts();
      // conv1 forward + weight grad (the input needs no grad), conv2 forward + both grads, linear forward + 2 grads
      expect(counts.webasm).toBeGreaterThanOrEqual(8);
      expect(counts.cpu).toBe(0);
      expect(Math.abs(gpu.loss - cpu.loss)).toBeLessThan(1e-5 + 1e-5 * Math.abs(cpu.loss));
      expect(gpu.grads).toHaveLength(cpu.grads.length);
      gpu.grads.forEach((g, i) => {
        const want = cpu.grads[i];
        // Both sides sum in float32 in different orders; an element that cancels to near zero is
        // judged against the tensor's largest gradient, not its own tiny value.
        const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        for (let j = 0; j < g.length; j++) expect(Math.abs(g[j] - want[j])).toBeLessThan(1e-4 * scale + 1e-4 * Math.abs(want[j]) + 1e-7);
      });
    } finally {
      await backend.destroy();
    }
  });
});
