/**
 * A tiny run of examples/prune-mnist.ts: the demo CNN, briefly trained, pruned in the example's
 * rounds with short fine-tuning, reaches the scheduled sparsity in every layer, keeps it through
 * fine-tuning (the masks hold the pruned weights at zero while the optimizer updates weight_orig),
 * and after remove() has a plain state dict whose zeros survive a safetensors round trip.
 */
import { describe, expect, it } from 'vitest';
import { io, nn } from '../../src/index.js';
import { demoCnn, evaluateAccuracy, seededModel, trainClassifier } from '../../examples/cnn-mnist.js';
import { fineTuneConfig, pruneAndFineTune, pruneSchedule, pruneTo, prunableLayers, sparsityOf } from '../../examples/prune-mnist.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';

const { train, test } = loadMnist({ trainSize: 320, testSize: 100 });

describe('examples/prune-mnist', () => {
  it('pruneTo reaches the sparsity in every layer, counting what earlier rounds pruned', () => {
    const model = seededModel(4, demoCnn);
    pruneTo(model, 0.5);
    pruneTo(model, 0.8);
    for (const layer of prunableLayers(model)) {
      const mask = layer.getBuffer('weight_mask')!;
      expect(mask.size - mask.sum().item()).toBe(Math.round(0.8 * mask.size));
    }
    expect(sparsityOf(model)).toBeCloseTo(0.8, 3);
  });

  it('prunes the demo CNN to 80 % with fine-tuning, keeps the sparsity and saves a plain state dict', () => {
    const model = seededModel(5, demoCnn);
    const short = { ...fineTuneConfig, batchSize: 32, maxSteps: 4, seed: 5 };
    trainClassifier(model, train, { ...short, lr: 3e-3, maxSteps: 12 });
    expect(evaluateAccuracy(model, test)).toBeGreaterThan(0.3);
    const denseState = io.saveSafetensors(model.stateDict());
    const stages = pruneAndFineTune(model, train, test, short);
    expect(stages.map((s) => Number(s.sparsity.toFixed(3)))).toEqual(pruneSchedule);
    expect(stages.every((s) => s.accuracy >= 0 && s.accuracy <= 1)).toBe(true);
    expect(nn.utils.prune.isPruned(model)).toBe(false);
    expect(sparsityOf(model)).toBeCloseTo(0.8, 3);
    const keys = Object.keys(model.stateDict());
    expect(keys.some((k) => k.endsWith('_orig') || k.endsWith('_mask'))).toBe(false);
    const reloaded = seededModel(6, demoCnn);
    reloaded.loadStateDict(io.loadSafetensors(io.saveSafetensors(model.stateDict())));
    expect(sparsityOf(reloaded)).toBeCloseTo(0.8, 3);
    expect(evaluateAccuracy(reloaded, test)).toBe(evaluateAccuracy(model, test));

    // The same dense model pruned to 80 % without fine-tuning: the same sparsity, other kept weights.
    const unTuned = seededModel(7, demoCnn);
    unTuned.loadStateDict(io.loadSafetensors(denseState));
    pruneTo(unTuned, 0.8);
    for (const layer of prunableLayers(unTuned)) nn.utils.prune.remove(layer, 'weight');
    expect(sparsityOf(unTuned)).toBeCloseTo(0.8, 3);
    const tunedWeight = prunableLayers(model)[0]!.weight.toArray();
    expect(prunableLayers(unTuned)[0]!.weight.toArray()).not.toEqual(tunedWeight);
  });
});
