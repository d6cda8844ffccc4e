/** A short run of examples/anomaly-detection.ts: the held-out class must stand out. */
import { describe, expect, it } from 'vitest';
import { anomalyAuc, withoutDigit } from '../../examples/anomaly-detection.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';

describe('examples/anomaly-detection (short run)', () => {
  const { train, test } = loadMnist({ trainSize: 1500, testSize: 500 });

  it('leaves the anomaly class out of training', () => {
    const kept = withoutDigit(train, 2);
    const twos = Array.from(train.labels.toTypedArray()).filter((y) => y === 2).length;
    expect(kept.shape).toEqual([1500 - twos, 784]);
  });

  it('scores unseen 2s above the digits it was trained on (ROC AUC well above chance)', () => {
    const auc = anomalyAuc(train, test, { anomaly: 2, epochs: 12, codeSize: 16, hidden: 128 });
    expect(auc).toBeGreaterThan(0.75);
  });
});
