/**
 * Transfer learning on MNIST. Pretrain the demo's CNN on digits 0–4 (the training split's ~4,000),
 * save it as safetensors, load it back into a fresh network, freeze its convolutional backbone
 * (`requiresGrad_(false)`: no gradients are computed for it and the optimizer only gets the new
 * head), put a new 5-way head on top and fine-tune it on digits 5–9 with only 50 labelled
 * examples per class. The same network trained from scratch on the same 250 examples is the
 * baseline: features learned on other digits (strokes, curves, corners) should beat features
 * learned from 250 images.
 *
 * Run: npx tsx examples/transfer-learning.ts      (writes out/transfer-pretrained.safetensors)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { data, io, manualSeed, nn, optim, tensor, type Parameter } from '../src/index.js';
import { isMain } from './lib/is-main.js';
import { loadMnist, type MnistSplit } from './lib/mnist-data.js';
import { mnistCnn } from './lib/mnist-models.js';
import { evaluateAccuracy } from './lib/mnist-training.js';

/** Sizes and rates of one run. */
export interface TransferConfig {
  pretrainEpochs: number;
  /** Epochs over the 250 labelled examples (fine-tuning and from scratch alike). */
  fewShotEpochs: number;
  perClass: number;
  lr: number;
  seed: number;
}

/** The full run of the example. */
export const transferConfig: TransferConfig = { pretrainEpochs: 2, fewShotEpochs: 30, perClass: 50, lr: 1e-3, seed: 0 };

/** Images of `split` whose digit is in [first, first + 5), relabelled 0…4; at most `perClass` of each (in split order). */
export function digitsFrom(split: MnistSplit, first: number, perClass = Infinity): MnistSplit {
  const labels = split.labels.toTypedArray();
  const taken = new Array<number>(5).fill(0);
  const keep: number[] = [];
  labels.forEach((y, i) => {
    const k = y - first;
    if (k >= 0 && k < 5 && taken[k] < perClass) {
      taken[k]++;
      keep.push(i);
    }
  });
  const index = tensor(Int32Array.from(keep));
  return { images: split.images.indexSelect(0, index), labels: split.labels.indexSelect(0, index).sub(first).int() };
}

/** Adam on cross-entropy over `params` only, shuffled batches of 50. */
function fit(model: nn.Sequential, params: Parameter[], split: MnistSplit, epochs: number, lr: number): void {
  const optimizer = new optim.Adam(params, { lr });
  const loader = new data.DataLoader(new data.TensorDataset(split.images, split.labels), { batchSize: 50, shuffle: true });
  model.train();
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [images, labels] of loader) {
      const loss = nn.functional.crossEntropy(model.forward(images), labels);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    }
  }
}

/** The demo CNN with its last layer (the 10-way linear head) replaced by a 5-way one. */
function withFiveWayHead(cnn: nn.Sequential): nn.Sequential {
  const layers = [...cnn];
  const oldHead = layers.pop();
  if (!(oldHead instanceof nn.Linear)) throw new Error('transfer-learning: expected the CNN to end in a Linear head');
  return new nn.Sequential(...layers, new nn.Linear(oldHead.inFeatures, 5));
}

/** Accuracies on the held-out digits 5–9 of the fine-tuned and the from-scratch network. */
export interface TransferResult {
  pretrainAccuracy: number;
  fineTunedAccuracy: number;
  scratchAccuracy: number;
}

/** The whole experiment; the pretrained weights go through `weightsFile` (safetensors). */
export function runTransfer(train: MnistSplit, test: MnistSplit, config: TransferConfig, weightsFile: string): TransferResult {
  const [low, lowTest] = [digitsFrom(train, 0), digitsFrom(test, 0)];
  const [fewHigh, highTest] = [digitsFrom(train, 5, config.perClass), digitsFrom(test, 5)];

  // 1. pretrain on digits 0–4 (the 10-way head simply never sees labels 5–9) and save
  manualSeed(config.seed);
  const pretrained = mnistCnn();
  fit(pretrained, pretrained.parameters(), low, config.pretrainEpochs, config.lr);
  const pretrainAccuracy = evaluateAccuracy(pretrained, lowTest);
  writeFileSync(weightsFile, io.saveSafetensors(pretrained.stateDict()));

  // 2. load into a fresh network, freeze everything, then replace the head (new layers train)
  const loaded = mnistCnn();
  loaded.loadStateDict(io.loadSafetensors(new Uint8Array(readFileSync(weightsFile))));
  for (const p of loaded.parameters()) p.requiresGrad_(false);
  const fineTuned = withFiveWayHead(loaded);
  const head = fineTuned.at(-1);
  if (!head) throw new Error('transfer-learning: the network has no layers');
  fit(fineTuned, head.parameters(), fewHigh, config.fewShotEpochs, config.lr);

  // 3. the baseline: the same architecture, every weight trained on the same 250 examples
  manualSeed(config.seed);
  const scratch = withFiveWayHead(mnistCnn());
  fit(scratch, scratch.parameters(), fewHigh, config.fewShotEpochs, config.lr);

  return {
    pretrainAccuracy,
    fineTunedAccuracy: evaluateAccuracy(fineTuned, highTest),
    scratchAccuracy: evaluateAccuracy(scratch, highTest),
  };
}

if (isMain(import.meta.url)) {
  const { train, test } = loadMnist();
  mkdirSync('out', { recursive: true });
  const r = runTransfer(train, test, transferConfig, 'out/transfer-pretrained.safetensors');
  console.log(`pretrained on digits 0–4: held-out accuracy ${(100 * r.pretrainAccuracy).toFixed(1)}% (saved to out/transfer-pretrained.safetensors)`);
  console.log(`digits 5–9 from ${5 * transferConfig.perClass} labelled examples, held-out accuracy:`);
  console.log(`  frozen pretrained backbone + new head: ${(100 * r.fineTunedAccuracy).toFixed(1)}%`);
  console.log(`  same network from scratch:             ${(100 * r.scratchAccuracy).toFixed(1)}%`);
}
