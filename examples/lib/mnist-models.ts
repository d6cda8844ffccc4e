/**
 * The two MNIST models of the examples, shared by the demo (`npm start`), examples/cnn-mnist.ts,
 * examples/mlp-mnist.ts and their tests. Both map images [N, 1, 28, 28] to logits [N, 10].
 */
import { nn } from 'tsgrad';

/** Options of `mnistCnn`. */
export interface MnistCnnOptions {
  /** Batch normalisation after each convolution (the demo's model; default false). */
  batchNorm?: boolean;
}

/**
 * A small CNN: two blocks of 5×5 convolution (padding 2, so the size is kept), optional batch
 * normalisation, ReLU and 2×2 max pooling (28 → 14 → 7), then one linear layer from the 32·7·7
 * features to the 10 classes.
 */
export function mnistCnn({ batchNorm = false }: MnistCnnOptions = {}): nn.Sequential {
  const block = (inChannels: number, outChannels: number): nn.Module[] => [
    new nn.Conv2d(inChannels, outChannels, 5, { padding: 2 }),
    ...(batchNorm ? [new nn.BatchNorm2d(outChannels)] : []),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
  ];
  return new nn.Sequential(...block(1, 16), ...block(16, 32), new nn.Flatten(), new nn.Linear(32 * 7 * 7, 10));
}

/** A feed-forward network: the 784 pixels through two hidden ReLU layers (256, 128) to 10 logits. */
export function mnistMlp(): nn.Sequential {
  return new nn.Sequential(
    new nn.Flatten(),
    new nn.Linear(28 * 28, 256),
    new nn.ReLU(),
    new nn.Linear(256, 128),
    new nn.ReLU(),
    new nn.Linear(128, 10),
  );
}
