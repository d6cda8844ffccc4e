/**
 * A short run of examples/explain-mnist.ts on a briefly trained demo CNN: every method gives maps
 * of the images' shape, integrated gradients are complete within 1 %, KernelSHAP is efficient,
 * and one PNG per method is written.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainDigits, writeExplanationPngs } from '../../examples/explain-mnist.js';
import { cnnMnistConfig, mnistCnn, seededModel, trainClassifier } from '../../examples/cnn-mnist.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';

describe('examples/explain-mnist', () => {
  it('explains the CNN\'s predictions: IG complete within 1 %, SHAP efficient, one PNG per method', () => {
    const { train, test } = loadMnist({ trainSize: 640, testSize: 3 });
    const model = seededModel(0, mnistCnn);
    trainClassifier(model, train, { ...cnnMnistConfig, epochs: 1, seed: 0 });
    const images = test.images;
    const explanations = explainDigits(model, images, { steps: 64, smoothSamples: 4, shapSamples: 100, limeSamples: 60 });
    expect(explanations.maps.map((m) => m.name)).toEqual(['saliency', 'smoothgrad', 'integrated-gradients', 'kernel-shap', 'lime']);
    for (const { attributions } of explanations.maps) {
      expect(attributions.shape).toEqual([3, 1, 28, 28]);
      expect(attributions.abs().sum().item()).toBeGreaterThan(0);
    }
    for (const gap of explanations.integratedGradientsGap) expect(gap).toBeLessThan(0.01);
    for (const gap of explanations.shapEfficiencyGap) expect(gap).toBeLessThan(1e-3); // float32 model
    const dir = mkdtempSync(join(tmpdir(), 'tsgrad-explain-'));
    const paths = writeExplanationPngs(images, explanations, dir);
    expect(paths).toHaveLength(5);
    for (const path of paths) {
      expect(existsSync(path)).toBe(true);
      expect(Array.from(readFileSync(path).subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    }
  }, 60_000);
});
