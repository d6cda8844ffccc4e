/**
 * examples/saliency.ts on a briefly trained demo CNN: integrated gradients must satisfy
 * completeness (better with more steps), and the pixels they rank highest must matter more to
 * the score than as many random ink pixels.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, noGrad, rand, tensor, type Tensor } from '../../src/index.js';
import { inputGradient, integratedGradients } from '../../examples/saliency.js';
import { cnnMnistConfig, mnistCnn, seededModel, trainClassifier } from '../../examples/cnn-mnist.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';

const { train, test } = loadMnist({ trainSize: 640, testSize: 4 });
const model = seededModel(0, mnistCnn);
trainClassifier(model, train, { ...cnnMnistConfig, epochs: 1, seed: 0 });
model.eval();
const target = (i: number) => test.labels.narrow(0, i, 1).item();
const image = (i: number) => test.images.narrow(0, i, 1);
const relativeGap = (r: { attributionSum: number; scoreDifference: number }) => Math.abs(r.attributionSum - r.scoreDifference) / Math.abs(r.scoreDifference);

describe('examples/saliency', () => {
  it('integrated gradients sum to F(x) − F(0) within 1% at 64 steps, and 2 steps do worse', () => {
    for (let i = 0; i < 4; i++) {
      const fine = integratedGradients(model, image(i), target(i), 64);
      expect(relativeGap(fine)).toBeLessThan(0.01);
      expect(relativeGap(integratedGradients(model, image(i), target(i), 2))).toBeGreaterThan(relativeGap(fine));
    }
  });

  it('blanking the 40 pixels with the largest attribution lowers the score more than blanking 40 random ink pixels', () => {
    manualSeed(3);
    const score = (x: Tensor, k: number) => noGrad(() => model.forward(x).narrow(1, k, 1).item());
    const blank = (x: Tensor, pixels: number[]) => {
      const values = x.toTypedArray();
      for (const p of pixels) values[p] = 0;
      return tensor(values, { shape: [1, 1, 28, 28] });
    };
    for (let i = 0; i < 4; i++) {
      const x = image(i);
      const ig = integratedGradients(model, x, target(i)).attributions.toTypedArray();
      const top = Array.from(ig.keys()).sort((a, b) => ig[b] - ig[a]).slice(0, 40);
      const ink = Array.from(x.toTypedArray().keys()).filter((p) => x.toTypedArray()[p] > 0.2);
      const keys = rand([ink.length]).toTypedArray(); // a seeded random order of the ink pixels
      const drawn = Array.from(ink.keys()).sort((a, b) => keys[a] - keys[b]).slice(0, 40).map((j) => ink[j]);
      expect(score(blank(x, top), target(i))).toBeLessThan(score(blank(x, drawn), target(i)));
    }
  });

  it('the saliency map has the input shape and is nonzero on the digit', () => {
    const g = inputGradient(model, image(0), target(0));
    expect(g.shape).toEqual([1, 1, 28, 28]);
    expect(g.abs().sum().item()).toBeGreaterThan(0);
  });
});
