/**
 * Post-training int8 quantization (`quant.quantize`) of the demo CNN (examples/cnn-mnist.ts) and
 * of the small Vision Transformer (examples/vit-mnist.ts), and of the demo CNN pruned to 80 %
 * (examples/prune-mnist.ts): for each, the safetensors file size (and gzip size: pruning's zeros
 * only shrink a compressed file), the held-out accuracy and the inference time of one batch, in
 * float32 and int8 (dynamic: activation ranges measured per batch; static: fixed by running 4
 * training batches through the float model first).
 *
 * Run: npx tsx examples/quantize-mnist.ts            (the full table, about 20 minutes on 2 shared cores)
 *      npx tsx examples/quantize-mnist.ts --quick    (a minute: small budgets, rough numbers)
 */
import { gzipSync } from 'node:zlib';
import { io, noGrad, quant, type Tensor } from 'tsgrad';
import { cnnMnistConfig, demoCnn, evaluateAccuracy, trainOnMnist, type Classifier, type TrainConfig } from './cnn-mnist.js';
import { isMain } from './lib/is-main.js';
import { loadMnist, type MnistSplit } from './lib/mnist-data.js';
import { fineTuneConfig, pruneAndFineTune } from './prune-mnist.js';
import { VisionTransformer, vitMnistConfig, type VitSize } from './vit-mnist.js';

/** One row of the table: a model in one form. */
export interface QuantRow {
  /** 'demo CNN', 'demo CNN pruned 80 %' or 'ViT'. */
  model: string;
  /** 'float32', 'int8 dynamic' or 'int8 static'. */
  form: string;
  /** Bytes of the safetensors file of its state dict. */
  bytes: number;
  /** Bytes of that file gzipped. */
  gzipBytes: number;
  /** Held-out accuracy (0 … 1). */
  accuracy: number;
  /** Median milliseconds of one forward pass over `timingBatch` held-out images. */
  ms: number;
}

/** Budgets of a run. */
export interface QuantizeMnistConfig {
  cnn: TrainConfig;
  prune: TrainConfig;
  vit: TrainConfig & VitSize;
  /** Use only the first samples of each part of the split. */
  trainSize?: number;
  testSize?: number;
  /** Training batches of 64 run through the float model to calibrate static mode. */
  calibrationBatches: number;
  /** Images per timed forward pass, and passes timed (the median is reported). */
  timingBatch: number;
  timingRuns: number;
}

/** The full run: the examples' own training budgets (the ViT for 6 of its 14 epochs). */
export const quantizeMnistConfig: QuantizeMnistConfig = {
  cnn: cnnMnistConfig,
  prune: fineTuneConfig,
  vit: { ...vitMnistConfig, epochs: 6 },
  calibrationBatches: 4,
  timingBatch: 256,
  timingRuns: 7,
};

/** Median of `runs` timings of `f`, in milliseconds (after one untimed warm-up call). */
function medianMs(f: () => void, runs: number): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** A fresh copy of `model` (built by `build`, given its state), in evaluation mode. */
function copyOf<M extends Classifier>(model: M, build: () => M): M {
  const copy = build();
  copy.loadStateDict(model.stateDict());
  copy.eval();
  return copy;
}

/** The row of `model` in `form`. */
function measure(name: string, form: string, model: Classifier, heldOut: MnistSplit, config: QuantizeMnistConfig): QuantRow {
  const file = io.saveSafetensors(model.stateDict());
  const batch = heldOut.images.narrow(0, 0, Math.min(config.timingBatch, heldOut.images.shape[0]));
  const ms = medianMs(() => noGrad(() => model.forward(batch)), config.timingRuns);
  return { model: name, form, bytes: file.length, gzipBytes: gzipSync(file).length, accuracy: evaluateAccuracy(model, heldOut), ms };
}

/** The float32 row of `model` and the rows of its dynamic and static int8 copies. */
function quantizedRows(name: string, model: Classifier, build: () => Classifier, calibration: Tensor[], heldOut: MnistSplit, config: QuantizeMnistConfig): QuantRow[] {
  model.eval();
  return [
    measure(name, 'float32', model, heldOut, config),
    measure(name, 'int8 dynamic', quant.quantize(copyOf(model, build)), heldOut, config),
    measure(name, 'int8 static', quant.quantize(copyOf(model, build), { mode: 'static', calibration }), heldOut, config),
  ];
}

/**
 * Trains the demo CNN and the ViT, prunes a copy of the CNN, quantizes all three and measures
 * every form. `log` hears about each stage.
 */
export function quantizeMnist(config: QuantizeMnistConfig, log: (line: string) => void = () => {}): QuantRow[] {
  const { train, test } = loadMnist({ trainSize: config.trainSize, testSize: config.testSize });
  const calibration = Array.from({ length: config.calibrationBatches }, (_, i) => train.images.narrow(0, (i * 64) % Math.max(1, train.images.shape[0] - 64), 64));
  const sizes = { trainSize: config.trainSize, testSize: config.testSize };

  log(`training the demo CNN (${config.cnn.epochs} epochs)`);
  const cnn = trainOnMnist(demoCnn, config.cnn, sizes).model;
  const rows = quantizedRows('demo CNN', cnn, demoCnn, calibration, test, config);

  log('pruning a copy to 80 % with fine-tuning');
  const pruned = copyOf(cnn, demoCnn);
  pruneAndFineTune(pruned, train, test, config.prune);
  rows.push(...quantizedRows('demo CNN pruned 80 %', pruned, demoCnn, calibration, test, config));

  log(`training the ViT (${config.vit.epochs} epochs)`);
  const buildVit = () => new VisionTransformer(config.vit);
  const vit = trainOnMnist(buildVit, config.vit, sizes).model;
  rows.push(...quantizedRows('ViT', vit, buildVit, calibration, test, config));
  return rows;
}

/** The rows as a Markdown table, with sizes and times against the model's float32 row. */
export function formatTable(rows: readonly QuantRow[]): string {
  const kib = (n: number) => (n / 1024).toFixed(1);
  const lines = [
    '| model | form | safetensors KiB | × smaller | gzip KiB | held-out accuracy | Δ points | ms / batch | speed-up |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const base = rows.find((b) => b.model === r.model && b.form === 'float32') ?? r;
    lines.push(
      `| ${r.model} | ${r.form} | ${kib(r.bytes)} | ${(base.bytes / r.bytes).toFixed(2)} | ${kib(r.gzipBytes)} | ${(100 * r.accuracy).toFixed(2)} % | ` +
        `${(100 * (r.accuracy - base.accuracy)).toFixed(2)} | ${r.ms.toFixed(1)} | ${(base.ms / r.ms).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const config: QuantizeMnistConfig = quick
    ? { ...quantizeMnistConfig, cnn: { ...cnnMnistConfig, epochs: 1 }, prune: { ...fineTuneConfig, maxSteps: 20 }, vit: { ...vitMnistConfig, epochs: 1 }, trainSize: 2000, testSize: 1000 }
    : quantizeMnistConfig;
  const start = Date.now();
  const rows = quantizeMnist(config, (line) => console.log(`${line} (${((Date.now() - start) / 1000).toFixed(0)} s)`));
  console.log(formatTable(rows));
  console.log(`(batches of ${config.timingBatch} held-out images, median of ${config.timingRuns}; ${((Date.now() - start) / 1000).toFixed(0)} s in all)`);
}

