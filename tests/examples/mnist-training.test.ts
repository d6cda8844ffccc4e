/**
 * Every MNIST example model trains: a short seeded run on a few hundred real digits, with the
 * example's own optimizer and schedule, must lower the loss. The CNN's weights also survive a
 * safetensors round trip into a fresh model, as the demo checks, and load into the web page's copy
 * of the model.
 */
import { describe, expect, it } from 'vitest';
import { io } from '../../src/index.js';
import { cnnMnistConfig, demoCnn, evaluateAccuracy, mnistCnn, seededModel, trainClassifier, type Classifier, type TrainConfig } from '../../examples/cnn-mnist.js';
import { mlpMnistConfig, mnistMlp } from '../../examples/mlp-mnist.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';
import { pageCnn } from '../../examples/web/classifier.js';

const { train, test } = loadMnist({ trainSize: 320, testSize: 100 });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const cases: [string, () => Classifier, TrainConfig, number][] = [
  ['CNN (the demo model: batch norm, shifted inputs)', demoCnn, cnnMnistConfig, 16],
  ['CNN without batch norm', mnistCnn, { ...cnnMnistConfig, maxShift: 0 }, 16],
  ['MLP', mnistMlp, mlpMnistConfig, 40],
];

describe.each(cases)('%s', (_name, build, config, steps) => {
  it(`lowers the loss within ${steps} steps on 320 digits`, () => {
    const model = seededModel(1, build);
    const losses = trainClassifier(model, train, { ...config, batchSize: 32, epochs: 10, maxSteps: steps, seed: 1 });
    expect(losses).toHaveLength(steps);
    expect(losses.every(Number.isFinite)).toBe(true);
    const k = Math.floor(steps / 4);
    expect(mean(losses.slice(-k))).toBeLessThan(0.75 * mean(losses.slice(0, k)));
    expect(evaluateAccuracy(model, test)).toBeGreaterThan(0.3);
  });
});

describe('the demo’s save and reload', () => {
  it('gives a fresh model the same held-out predictions', () => {
    const model = seededModel(2, demoCnn);
    trainClassifier(model, train, { ...cnnMnistConfig, batchSize: 32, epochs: 1, maxSteps: 2, seed: 2 });
    const reloaded = seededModel(3, demoCnn);
    reloaded.loadStateDict(io.loadSafetensors(io.saveSafetensors(model.stateDict())));
    expect(evaluateAccuracy(reloaded, test)).toBe(evaluateAccuracy(model, test));
    const a = model.forward(test.images.narrow(0, 0, 8)).toArray();
    expect(reloaded.forward(test.images.narrow(0, 0, 8)).toArray()).toEqual(a);
  });
});

describe('the web page’s CNN (examples/web/classifier.ts)', () => {
  it('has the demo CNN’s state dict and gives its logits for the same weights', () => {
    const demo = seededModel(4, demoCnn);
    trainClassifier(demo, train, { ...cnnMnistConfig, batchSize: 32, epochs: 1, maxSteps: 2, seed: 4 });
    demo.eval();
    const page = pageCnn();
    const layout = (m: Classifier) => Object.entries(m.stateDict()).map(([name, t]) => [name, t.shape]);
    expect(layout(page)).toEqual(layout(demo));
    page.loadStateDict(demo.stateDict());
    page.eval();
    const x = test.images.narrow(0, 0, 8);
    expect(page.forward(x).toArray()).toEqual(demo.forward(x).toArray());
  });
});
