/**
 * A tiny run of examples/transfer-learning.ts: the digit subsets, the safetensors round trip,
 * and that fine-tuning trains the new head only — the optimizer holds the head's parameters, the
 * frozen backbone keeps its pretrained weights bit for bit, and the loss goes down.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io, manualSeed } from '../../src/index.js';
import { digitsFrom, fit, frozenBackboneWithNewHead, pretrain } from '../../examples/transfer-learning.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';

const { train, test } = loadMnist({ trainSize: 1000, testSize: 400 });
const weightsFile = join(mkdtempSync(join(tmpdir(), 'tsgrad-transfer-')), 'pretrained.safetensors');

describe('examples/transfer-learning', () => {
  it('digitsFrom keeps one half of the digits, relabelled 0…4, at most perClass of each', () => {
    const few = digitsFrom(train, 5, 7);
    const labels = Array.from(few.labels.toTypedArray());
    expect(labels.length).toBe(35);
    for (let k = 0; k < 5; k++) expect(labels.filter((y) => y === k).length).toBe(7);
    expect(few.images.shape).toEqual([35, 1, 28, 28]);
  });

  it('fine-tuning updates only the new head; the loaded backbone stays frozen and the loss falls', () => {
    const accuracy = pretrain(train, test, { epochs: 1, batchSize: 32, lr: 3e-3, seed: 0, maxSteps: 12 }, weightsFile);
    expect(accuracy).toBeGreaterThan(0.5); // five classes: chance is 0.2

    manualSeed(0);
    const { model, head } = frozenBackboneWithNewHead(weightsFile);
    expect(head.weight.shape).toEqual([5, 32 * 7 * 7]);
    const saved = io.loadSafetensors(new Uint8Array(readFileSync(weightsFile)));
    const backbone = model.namedParameters().filter(([, p]) => !head.parameters().includes(p));
    expect(backbone.length).toBe(4); // two convolutions' weights and biases
    for (const [name, p] of backbone) {
      expect(p.requiresGrad).toBe(false);
      const stored = saved[name];
      if (!stored) throw new Error(`no ${name} in the saved weights`);
      expect(p.toTypedArray()).toEqual(stored.toTypedArray());
    }
    const headBefore = head.weight.toTypedArray().slice();

    const { optimizer, losses } = fit(model, head.parameters(), digitsFrom(train, 5, 10), {
      epochs: 10, batchSize: 25, lr: 1e-2, maxShift: 0, seed: 0,
    });
    const trained = optimizer.paramGroups.flatMap((g) => g.params);
    expect(trained.length).toBe(2);
    expect(trained.every((p) => head.parameters().includes(p))).toBe(true);
    for (const [name, p] of backbone) expect(p.toTypedArray()).toEqual(saved[name].toTypedArray());
    expect(head.weight.toTypedArray()).not.toEqual(headBefore);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-4))).toBeLessThan(0.5 * mean(losses.slice(0, 4)));
  });
});
