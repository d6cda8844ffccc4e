/**
 * Which pixels made the network say "7"? Two answers for the demo's MNIST CNN, where the score
 * F(x) is the logit of the predicted class:
 *   - gradient saliency: |∂F/∂xᵢ|, how much a small change of pixel i would move the score;
 *   - integrated gradients (Sundararajan et al., 2017): IGᵢ = (xᵢ − x'ᵢ)·∫₀¹ ∂F(x' + α(x − x'))/∂xᵢ dα
 *     from a black baseline x' = 0, the integral by the midpoint rule over `steps` points. By the
 *     fundamental theorem of calculus along the path, Σᵢ IGᵢ = F(x) − F(x') ("completeness"),
 *     which we check: the sum must match the score difference within 1%.
 * Both come from the library's `explain` namespace (`explain.saliency`, `explain.integratedGradients`),
 * each one backward pass over a batch (integrated gradients: the whole path as one batch).
 *
 * Run: npx tsx examples/saliency.ts      (writes out/saliency-inputs.png, out/saliency-gradients.png,
 *                                          out/saliency-integrated-gradients.png)
 */
import { explain, noGrad, stack, type Tensor, viz, zerosLike } from 'tsgrad';
import { cnnMnistConfig, evaluateAccuracy, mnistCnn, seededModel, trainClassifier, type Classifier, type TrainConfig } from './cnn-mnist.js';
import { imageGrid } from './lib/image-grid.js';
import { isMain } from './lib/is-main.js';
import { loadMnist } from './lib/mnist-data.js';
import { grayImage, savePng } from './lib/save-png.js';

/** Training of the CNN being explained: the demo's, in 2 epochs instead of 4. */
export const saliencyTraining: TrainConfig = { ...cnnMnistConfig, epochs: 2 };

/** Points on the path for integrated gradients. */
export const integrationSteps = 64;

/** The score F: the logit of class `target` for one image x [1, 1, 28, 28] (or a batch of them → [N]). */
function score(model: Classifier, x: Tensor, target: number): Tensor {
  return model.forward(x).narrow(1, target, 1).reshape(-1);
}

/** ∂F/∂x for one image x [1, 1, 28, 28] (signed): its absolute value is the saliency map. */
export function inputGradient(model: Classifier, x: Tensor, target: number): Tensor {
  return explain.saliency((input) => model.forward(input), x, { target, abs: false });
}

/** Integrated gradients of one image x [1, 1, 28, 28] against `baseline` (default black), and the completeness check. */
export function integratedGradients(
  model: Classifier, x: Tensor, target: number, steps = integrationSteps, baseline: Tensor = zerosLike(x),
): { attributions: Tensor; attributionSum: number; scoreDifference: number } {
  // the library evaluates the whole path x' + α(x − x') as one batch (up to 256 points per call)
  const attributions = explain.integratedGradients((input) => model.forward(input), x, { target, steps, baseline });
  const scoreDifference = noGrad(() => score(model, x, target).sub(score(model, baseline, target)).item());
  return { attributions, attributionSum: attributions.sum().item(), scoreDifference };
}

/** Each map of `maps` [N, 28, 28] scaled so its largest |value| is 1. */
function normalised(maps: Tensor): Tensor {
  return maps.div(maps.abs().reshape(maps.shape[0], -1).max(1).values.reshape(-1, 1, 1).add(1e-12));
}

if (isMain(import.meta.url)) {
  const { train, test: heldOut } = loadMnist();
  const model = seededModel(saliencyTraining.seed, mnistCnn);
  trainClassifier(model, train, saliencyTraining, { onEpoch: (r) => console.log(`epoch ${r.epoch}: loss ${r.loss.toFixed(4)}`) });
  console.log(`held-out accuracy ${(100 * evaluateAccuracy(model, heldOut)).toFixed(1)}%`);
  model.eval();
  const test = { images: heldOut.images.narrow(0, 0, 8), labels: heldOut.labels.narrow(0, 0, 8) };
  const saliencies: Tensor[] = [];
  const attributions: Tensor[] = [];
  let worst = 0;
  for (let i = 0; i < 8; i++) {
    const x = test.images.narrow(0, i, 1);
    const target = noGrad(() => model.forward(x).argmax(1).item());
    saliencies.push(inputGradient(model, x, target).abs().reshape(28, 28));
    const ig = integratedGradients(model, x, target);
    attributions.push(ig.attributions.reshape(28, 28));
    const error = Math.abs(ig.attributionSum - ig.scoreDifference) / Math.abs(ig.scoreDifference);
    worst = Math.max(worst, error);
    console.log(`digit ${test.labels.narrow(0, i, 1).item()} (predicted ${target}): Σ IG = ${ig.attributionSum.toFixed(4)}, `
      + `F(x) − F(0) = ${ig.scoreDifference.toFixed(4)}, completeness error ${(100 * error).toFixed(3)}%`);
  }
  console.log(`completeness: worst error ${(100 * worst).toFixed(3)}% (${worst < 0.01 ? 'within' : 'NOT within'} 1%)`);

  savePng('out/saliency-inputs.png', grayImage(imageGrid(test.images, { cols: 8 }), 4));
  savePng('out/saliency-gradients.png', viz.heatmap(imageGrid(normalised(stack(saliencies, 0)), { cols: 8, background: 0 }), { scale: 4, min: 0, max: 1 }));
  // integrated gradients are signed: 0 sits mid-ramp, positive (evidence for the class) towards yellow
  savePng('out/saliency-integrated-gradients.png', viz.heatmap(imageGrid(normalised(stack(attributions, 0)), { cols: 8, background: 0 }), { scale: 4, min: -1, max: 1 }));
  console.log('wrote out/saliency-inputs.png, out/saliency-gradients.png, out/saliency-integrated-gradients.png');
}
