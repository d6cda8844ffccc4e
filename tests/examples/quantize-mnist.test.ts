/**
 * A tiny run of examples/quantize-mnist.ts: every model in every form gets a row, the int8 files
 * are 3.5× smaller than float32 for the CNNs (less for this tiny ViT, d = 16, whose LayerNorms,
 * embeddings, biases and scales stay float; docs/quantization.md has the full-size numbers),
 * int8 accuracy stays near float32's, pruning's zeros shrink the gzip size, and the table prints.
 */
import { describe, expect, it } from 'vitest';
import { cnnMnistConfig } from '../../examples/cnn-mnist.js';
import { fineTuneConfig } from '../../examples/prune-mnist.js';
import { formatTable, quantizeMnist, type QuantizeMnistConfig } from '../../examples/quantize-mnist.js';
import { vitMnistConfig } from '../../examples/vit-mnist.js';

const tiny: QuantizeMnistConfig = {
  cnn: { ...cnnMnistConfig, epochs: 1, maxSteps: 10, batchSize: 32 },
  prune: { ...fineTuneConfig, maxSteps: 2, batchSize: 32 },
  vit: { ...vitMnistConfig, dModel: 16, heads: 2, layers: 1, dimFeedforward: 32, epochs: 1, maxSteps: 3, batchSize: 32 },
  trainSize: 320,
  testSize: 100,
  calibrationBatches: 2,
  timingBatch: 8,
  timingRuns: 1,
};

describe('examples/quantize-mnist', () => {
  it('measures float32, int8 dynamic and int8 static for the CNN, the pruned CNN and the ViT', () => {
    const rows = quantizeMnist(tiny);
    expect(rows.map((r) => `${r.model}: ${r.form}`)).toEqual(
      ['demo CNN', 'demo CNN pruned 80 %', 'ViT'].flatMap((m) => ['float32', 'int8 dynamic', 'int8 static'].map((f) => `${m}: ${f}`)),
    );
    for (const model of ['demo CNN', 'demo CNN pruned 80 %', 'ViT']) {
      const [float, dynamic, fixed] = rows.filter((r) => r.model === model);
      for (const q of [dynamic, fixed]) {
        expect(float.bytes / q.bytes).toBeGreaterThan(model === 'ViT' ? 1.6 : 3.5);
        expect(Math.abs(q.accuracy - float.accuracy)).toBeLessThanOrEqual(0.05);
        expect(q.ms).toBeGreaterThan(0);
      }
    }
    const cnn = rows.find((r) => r.model === 'demo CNN' && r.form === 'int8 dynamic')!;
    const pruned = rows.find((r) => r.model === 'demo CNN pruned 80 %' && r.form === 'int8 dynamic')!;
    expect(pruned.gzipBytes).toBeLessThan(0.6 * cnn.gzipBytes);
    const table = formatTable(rows);
    expect(table.split('\n')).toHaveLength(2 + rows.length);
    expect(table).toContain('| demo CNN | int8 dynamic |');
  }, 120_000);
});
