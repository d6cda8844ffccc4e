/**
 * The page's model: the demo's CNN (examples/lib/mnist-models.ts, with batch normalisation),
 * its weights from the safetensors file `npm start` saves, and the ten class probabilities of
 * one 28×28 input. Shared by the page and its test, so both run the same code.
 */
import { io, noGrad, softmax, tensor, type nn } from 'tsgrad';
import { mnistCnn } from '../lib/mnist-models.js';
import { MODEL_SIDE } from './digit-input.js';

/**
 * The demo's CNN with the weights of a safetensors file (bytes), in eval mode.
 *
 * @example const model = loadClassifier(new Uint8Array(await (await fetch('mnist-cnn.safetensors')).arrayBuffer()))
 */
export function loadClassifier(file: Uint8Array): nn.Sequential {
  const model = mnistCnn({ batchNorm: true });
  model.loadStateDict(io.loadSafetensors(file));
  model.eval();
  return model;
}

/** The probabilities of the digits 0–9 for one input image (784 values, row-major). */
export function digitProbabilities(model: nn.Sequential, input: Float32Array): Float32Array {
  const x = tensor(input, { shape: [1, 1, MODEL_SIDE, MODEL_SIDE] });
  const probabilities = noGrad(() => softmax(model.forward(x), 1)).toTypedArray();
  if (!(probabilities instanceof Float32Array)) throw new Error(`digitProbabilities: expected float32 output, got ${probabilities.constructor.name}`);
  return probabilities;
}
