/**
 * Magnitude pruning of the demo CNN (examples/cnn-mnist.ts) to 80 % sparsity: train it dense, then
 * in three rounds prune every Conv2d and Linear weight to 50 %, 70 % and 80 % zeros by |w|
 * (`nn.utils.prune.l1Unstructured`), fine-tuning one epoch after each round with the masks in
 * place (pruned weights stay zero, the others adapt), and finally bake the masks in
 * (`nn.utils.prune.remove`). Prints the held-out accuracy after each stage and the file sizes:
 * safetensors has no sparse format, so the zeros save as dense floats, but they compress (gzip).
 *
 * Measured (2 shared cores, 4 min 17 s in all): dense 98.10 % held-out accuracy; after the rounds
 * 98.20 % (50 %), 97.40 % (70 %), 97.25 % (80 % of conv and linear weights zero); safetensors
 * 114.9 KiB either way, gzip 106.0 KiB dense and 33.4 KiB pruned.
 *
 * Run: npx tsx examples/prune-mnist.ts
 */
import { gzipSync } from 'node:zlib';
import { io, nn, type Tensor } from 'tsgrad';
import { cnnMnistConfig, demoCnn, evaluateAccuracy, runMnist, trainClassifier, type Classifier, type TrainConfig } from './cnn-mnist.js';
import { isMain } from './lib/is-main.js';
import { loadMnist, type MnistSplit } from './lib/mnist-data.js';

/** The cumulative sparsity (fraction of zero weights per layer) after each round. */
export const pruneSchedule = [0.5, 0.7, 0.8];

/** Fine-tuning after each round: one epoch at a tenth of the dense run's peak learning rate. */
export const fineTuneConfig: TrainConfig = { ...cnnMnistConfig, epochs: 1, lr: 3e-4 };

/** The layers whose weights are pruned: every Conv2d and Linear (batch norm and biases stay dense). */
export function prunableLayers(model: nn.Module): (nn.Conv2d | nn.Linear)[] {
  return model.namedModules().map(([, m]) => m).filter((m): m is nn.Conv2d | nn.Linear => m instanceof nn.Conv2d || m instanceof nn.Linear);
}

/** Zero entries of a layer's weight: of the mask while pruned, of the weight itself otherwise. */
function zerosOf(layer: nn.Module & { weight: Tensor }): { zeros: number; size: number } {
  const values = nn.utils.prune.isPruned(layer) ? (layer.getBuffer('weight_mask') as Tensor) : layer.weight;
  const data = values.data();
  let zeros = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 0) zeros++;
  return { zeros, size: data.length };
}

/**
 * Prunes every prunable layer's weight until `sparsity` of it is zero. Pruning again only looks at
 * the entries still kept, so each round asks for the count that is missing.
 */
export function pruneTo(model: nn.Module, sparsity: number): void {
  for (const layer of prunableLayers(model)) {
    const { zeros, size } = zerosOf(layer);
    nn.utils.prune.l1Unstructured(layer, 'weight', { amount: Math.max(0, Math.round(sparsity * size) - zeros) });
  }
}

/** Fraction of all prunable weights that are zero. */
export function sparsityOf(model: nn.Module): number {
  let zeros = 0;
  let size = 0;
  for (const layer of prunableLayers(model)) {
    const counts = zerosOf(layer);
    zeros += counts.zeros;
    size += counts.size;
  }
  return zeros / size;
}

/** One stage of the run: the sparsity reached and the held-out accuracy after fine-tuning. */
export interface PruneStage {
  sparsity: number;
  accuracy: number;
}

/**
 * Prunes `model` round by round along `schedule`, fine-tuning with `config` after each round, then
 * makes the pruning permanent. Returns each round's sparsity and held-out accuracy.
 */
export function pruneAndFineTune(
  model: Classifier,
  train: MnistSplit,
  heldOut: MnistSplit,
  config: TrainConfig,
  schedule: readonly number[] = pruneSchedule,
  onStage?: (stage: PruneStage) => void,
): PruneStage[] {
  const stages: PruneStage[] = [];
  schedule.forEach((target, round) => {
    pruneTo(model, target);
    trainClassifier(model, train, { ...config, seed: config.seed + round + 1 });
    const stage = { sparsity: sparsityOf(model), accuracy: evaluateAccuracy(model, heldOut) };
    stages.push(stage);
    onStage?.(stage);
  });
  for (const layer of prunableLayers(model)) nn.utils.prune.remove(layer, 'weight');
  return stages;
}

if (isMain(import.meta.url)) {
  const dense = runMnist('Demo CNN on MNIST (dense)', demoCnn, cnnMnistConfig);
  const { train } = loadMnist();
  const denseFile = io.saveSafetensors(dense.model.stateDict());
  console.log(`pruning to ${pruneSchedule.map((s) => `${s * 100} %`).join(', ')} with one epoch of fine-tuning after each round`);
  pruneAndFineTune(dense.model, train, dense.heldOut, fineTuneConfig, pruneSchedule, (s) =>
    console.log(`${(s.sparsity * 100).toFixed(1)} % of conv and linear weights zero: held-out accuracy ${(s.accuracy * 100).toFixed(2)}%`),
  );
  const prunedFile = io.saveSafetensors(dense.model.stateDict());
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`after remove(): ${(sparsityOf(dense.model) * 100).toFixed(1)} % zero, held-out accuracy ${(evaluateAccuracy(dense.model, dense.heldOut) * 100).toFixed(2)}% (dense ${(dense.accuracy * 100).toFixed(2)}%)`);
  console.log(`safetensors: dense ${kb(denseFile.length)} (gzip ${kb(gzipSync(denseFile).length)}), pruned ${kb(prunedFile.length)} (gzip ${kb(gzipSync(prunedFile).length)})`);
}
