/**
 * Five explanations of the demo's MNIST CNN, side by side, for the class it predicts:
 *   - saliency |∂F/∂x| and SmoothGrad (the saliency averaged over 32 noisy copies, σ = 15 % of
 *     the pixel range): where a small change would move the score;
 *   - integrated gradients from a black image (64 steps), with its completeness check
 *     Σ IG = F(x) − F(black);
 *   - KernelSHAP and LIME over 49 superpixels of 4×4 pixels (`explain.gridMask`), a switched-off
 *     superpixel turned black: which parts of the digit carry the evidence.
 * Every method comes from the library's `explain` namespace and runs its model calls in batches.
 * The maps are drawn over the digits with `viz.heatmapOverlay` (signed maps: positive evidence
 * towards yellow, negative towards dark blue, zero mid-ramp).
 *
 * Run: npx tsx examples/explain-mnist.ts   (writes out/explain-mnist-<method>.png)
 */
import { explain, noGrad, type Tensor, viz, zeros } from 'tsgrad';
import { cnnMnistConfig, evaluateAccuracy, mnistCnn, seededModel, trainClassifier, type Classifier, type TrainConfig } from './cnn-mnist.js';
import { imageGrid } from './lib/image-grid.js';
import { isMain } from './lib/is-main.js';
import { loadMnist } from './lib/mnist-data.js';
import { savePng } from './lib/save-png.js';

/** Training of the CNN being explained: the demo's, in 2 epochs instead of 6. */
export const explainTraining: TrainConfig = { ...cnnMnistConfig, epochs: 2 };

/** The budgets of the explanations. */
export interface ExplainBudget {
  /** Points on the integrated-gradients path [64]. */
  steps: number;
  /** Noisy copies for SmoothGrad [32]. */
  smoothSamples: number;
  /** Coalitions for KernelSHAP [1000]. */
  shapSamples: number;
  /** Perturbations for LIME [500]. */
  limeSamples: number;
}

/** The default budgets. */
export const defaultBudget: ExplainBudget = { steps: 64, smoothSamples: 32, shapSamples: 1000, limeSamples: 500 };

/** Each method's maps [N, 1, 28, 28], whether they are signed, and the completeness checks. */
export interface DigitExplanations {
  /** Predicted class of each image: the score explained. */
  predicted: number[];
  /** Attributions per method, of the images' shape. */
  maps: { name: string; signed: boolean; attributions: Tensor }[];
  /** Per image: |Σ IG − (F(x) − F(black))| / |F(x) − F(black)|. */
  integratedGradientsGap: number[];
  /** Per image: |Σ SHAP − (F(x) − F(black))|, summed over superpixels (efficiency). */
  shapEfficiencyGap: number[];
}

/** Explains `model`'s predicted class for `images` [N, 1, 28, 28] with the five methods. */
export function explainDigits(model: Classifier, images: Tensor, budget: ExplainBudget = defaultBudget): DigitExplanations {
  model.eval();
  const f = (x: Tensor) => model.forward(x);
  const predicted = Array.from(noGrad(() => f(images).argmax(1)).toTypedArray());
  const target = predicted;
  const black = zeros(1, 1, 28, 28);
  const superpixels = explain.gridMask(28, 28, 4);
  const ig = explain.integratedGradients(f, images, { target, steps: budget.steps, baseline: black });
  const shap = explain.kernelShap(f, images, { target, background: black, featureMask: superpixels, samples: budget.shapSamples, seed: 0 });
  const maps = [
    { name: 'saliency', signed: false, attributions: explain.saliency(f, images, { target }) },
    { name: 'smoothgrad', signed: false, attributions: explain.smoothGrad(f, images, { target, samples: budget.smoothSamples, sigma: 0.15, seed: 0 }) },
    { name: 'integrated-gradients', signed: true, attributions: ig },
    { name: 'kernel-shap', signed: true, attributions: shap },
    { name: 'lime', signed: true, attributions: explain.lime(f, images, { target, featureMask: superpixels, samples: budget.limeSamples, seed: 0 }) },
  ];
  // F(x) − F(black) for the explained class of each image
  const scores = noGrad(() => f(images)).toTypedArray();
  const blackScores = noGrad(() => f(black)).toTypedArray();
  const difference = predicted.map((k, i) => scores[i * 10 + k] - blackScores[k]);
  const igSums = ig.reshape(images.shape[0], -1).sum(1).toTypedArray();
  // a superpixel's value sits on each of its 16 pixels: one per superpixel is its value
  const shapSums = shap.reshape(images.shape[0], -1).sum(1).toTypedArray();
  return {
    predicted,
    maps,
    integratedGradientsGap: difference.map((d, i) => Math.abs(igSums[i] - d) / Math.abs(d)),
    shapEfficiencyGap: difference.map((d, i) => Math.abs(shapSums[i] / 16 - d)),
  };
}

/** Writes one PNG per method under `dir`: the maps over the digits, in a row. Returns the paths. */
export function writeExplanationPngs(images: Tensor, explanations: DigitExplanations, dir: string): string[] {
  const n = images.shape[0];
  const digits = imageGrid(images, { cols: n, background: 1 });
  return explanations.maps.map(({ name, signed, attributions }) => {
    // each map scaled so its largest |value| is 1, then tiled like the digits
    const flat = attributions.reshape(n, -1);
    const peak = flat.abs().max(1).values.reshape(n, 1).add(1e-12);
    const scores = imageGrid(flat.div(peak).reshape(n, 28, 28), { cols: n, background: 0 });
    const path = `${dir}/explain-mnist-${name}.png`;
    savePng(path, viz.heatmapOverlay(digits, scores, { alpha: 0.6, scale: 4, min: signed ? -1 : 0, max: 1 }));
    return path;
  });
}

if (isMain(import.meta.url)) {
  const started = performance.now();
  const { train, test: heldOut } = loadMnist();
  const model = seededModel(explainTraining.seed, mnistCnn);
  trainClassifier(model, train, explainTraining, { onEpoch: (r) => console.log(`epoch ${r.epoch}: loss ${r.loss.toFixed(4)}`) });
  console.log(`held-out accuracy ${(100 * evaluateAccuracy(model, heldOut)).toFixed(1)}%`);
  const images = heldOut.images.narrow(0, 0, 8);
  const explaining = performance.now();
  const explanations = explainDigits(model, images);
  console.log(`explained 8 digits with 5 methods in ${((performance.now() - explaining) / 1000).toFixed(1)} s`);
  console.log(`labels    ${Array.from(heldOut.labels.narrow(0, 0, 8).toTypedArray()).join(' ')}`);
  console.log(`predicted ${explanations.predicted.join(' ')}`);
  const worst = (gaps: number[]) => Math.max(...gaps);
  console.log(`integrated gradients: worst completeness error ${(100 * worst(explanations.integratedGradientsGap)).toPrecision(3)}%`);
  console.log(`KernelSHAP: worst efficiency error ${worst(explanations.shapEfficiencyGap).toExponential(2)}`);
  for (const path of writeExplanationPngs(images, explanations, 'out')) console.log(`wrote ${path}`);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
