/**
 * One training step of an MNIST-shaped classifier (784 → 64 → 10, cross entropy written as
 * −mean(logSoftmax(logits)[label])) on the gpu.js backend matches the CPU backend: same loss and
 * same gradient for every parameter, with the matmuls (forward and both backward products)
 * really served by gpu.js. Autograd reaches the backend only through `currentBackend()`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../../src/gpu.js';
import { manualSeed, nn, randint, randn, useBackend } from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

interface StepResult {
  loss: number;
  grads: Float32Array[];
}

function step(model: nn.Sequential, x: Tensor, labels: Tensor): StepResult {
  model.zeroGrad();
  const logits = model.forward(x);
  const loss = logits.logSoftmax(1).gather(1, labels.unsqueeze(1)).mean().neg();
  loss.backward();
  const grads = model.parameters().map((p) => {
    if (p.grad === null) throw new Error('a parameter got no gradient');
    return Float32Array.from(p.grad.toTypedArray());
  });
  return { loss: loss.item(), grads };
}

describe('an MLP training step on gpu.js', () => {
  afterEach(() => useBackend('cpu'));

  it('matches the CPU backend in loss and every gradient', async () => {
    manualSeed(7);
    const model = new nn.Sequential(new nn.Linear(784, 64), new nn.ReLU(), new nn.Linear(64, 10));
    const x = randn([32, 784]);
    const labels = randint(0, 10, [32]);
    const cpu = step(model, x, labels);

    const backend = await createGpujsBackend({ mode: 'webasm', minSize: 0 });
    try {
      useBackend(backend);
      const gpu = step(model, x, labels);
      expect(backend.runCounts().webasm).toBeGreaterThanOrEqual(4); // 2 forward matmuls + their backward products
      expect(backend.runCounts().cpu).toBe(0);
      expect(Math.abs(gpu.loss - cpu.loss)).toBeLessThan(1e-5 + 1e-5 * Math.abs(cpu.loss));
      expect(gpu.grads).toHaveLength(cpu.grads.length);
      gpu.grads.forEach((g, i) => {
        const want = cpu.grads[i];
        for (let j = 0; j < g.length; j++) expect(Math.abs(g[j] - want[j])).toBeLessThan(1e-5 + 1e-4 * Math.abs(want[j]));
      });
    } finally {
      await backend.destroy();
    }
  });
});
