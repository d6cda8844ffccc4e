/**
 * The page's model: the demo's CNN (examples/cnn-mnist.ts, with batch normalisation), its
 * weights from the safetensors file `npm start` saves, and the ten class probabilities of one
 * 28×28 input. Shared by the page and its test, so both run the same code.
 */
import { io, nn, noGrad, softmax, tensor } from 'tsgrad';
import { MODEL_SIDE } from './digit-input.js';

/**
 * The demo's CNN (`demoCnn` of examples/cnn-mnist.ts), layer by layer. The page is bundled for the
 * browser and cnn-mnist.ts also holds the training run, which reads MNIST from disk (node:fs), so
 * the page builds the same layers here; tests/examples/mnist-training.test.ts checks that both
 * have the same state dict (names and shapes) and give the same logits for the same weights.
 */
export function pageCnn(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 16, 5, { padding: 2 }),
    new nn.BatchNorm2d(16),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 5, { padding: 2 }),
    new nn.BatchNorm2d(32),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(32 * 7 * 7, 10),
  );
}

/**
 * The demo's CNN with the weights of a safetensors file (bytes), in eval mode.
 *
 * @example const model = loadClassifier(new Uint8Array(await (await fetch('mnist-cnn.safetensors')).arrayBuffer()))
 */
export function loadClassifier(file: Uint8Array): nn.Sequential {
  const model = pageCnn();
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
