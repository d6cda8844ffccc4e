/**
 * Row-by-row MNIST: each 28×28 digit is read as a sequence of 28 rows of 28 pixels by an LSTM
 * (and, in a second run, a GRU); the last hidden state goes through a linear layer to the 10
 * classes. The recurrent layer has to remember what it saw in earlier rows to classify — there is
 * no convolution and no view of the whole image at once.
 *
 * Trained on the fixed 8,000-sample training part of the split, evaluated on the 2,000 held-out.
 *
 * Run: npx tsx examples/lstm-mnist.ts            (both cells)
 *      npx tsx examples/lstm-mnist.ts gru        (one of them)
 */
import { nn, type Tensor } from 'tsgrad';
import { isMain } from './lib/is-main.js';
import { trainOnMnist, type MnistRun, type TrainConfig, type TrainOnMnistOptions } from './cnn-mnist.js';

/** Which recurrent layer reads the rows. */
export type RowCell = 'lstm' | 'gru';

/** An LSTM or GRU over the 28 rows (batch-first), then a linear layer on the last hidden state. */
export class RowClassifier extends nn.Module {
  rnn: nn.LSTM | nn.GRU;
  head: nn.Linear;

  constructor(cell: RowCell, hidden: number) {
    super();
    this.rnn = cell === 'lstm' ? new nn.LSTM(28, hidden, { batchFirst: true }) : new nn.GRU(28, hidden, { batchFirst: true });
    this.head = new nn.Linear(hidden, 10);
  }

  /** images [N, 1, 28, 28] → logits [N, 10]. */
  override forward(images: Tensor): Tensor {
    const rows = images.reshape([images.shape[0], 28, 28]);
    const [out] = this.rnn.forward(rows);
    return this.head.forward(out.narrow(1, 27, 1).squeeze(1));
  }
}

/** Sizes and rates of the full run (AdamW, cosine decay, gradients clipped to norm 1). */
export const rowMnistConfig: TrainConfig & { hidden: number } = {
  hidden: 128, epochs: 12, batchSize: 64, lr: 3e-3, optimizer: 'adamw-cosine', weightDecay: 1e-4, maxGradNorm: 1, seed: 1,
};

/** Trains a row classifier with `cell` on the fixed split; returns it and its held-out accuracy. */
export function trainRowMnist(
  cell: RowCell,
  config = rowMnistConfig,
  opts: TrainOnMnistOptions<RowClassifier> = {},
): MnistRun<RowClassifier> {
  return trainOnMnist(() => new RowClassifier(cell, config.hidden), config, opts);
}

if (isMain(import.meta.url)) {
  const which = process.argv[2];
  const cells: RowCell[] = which === 'lstm' || which === 'gru' ? [which] : ['lstm', 'gru'];
  for (const cell of cells) {
    const start = Date.now();
    console.log(`${cell.toUpperCase()} (hidden ${rowMnistConfig.hidden}) on 28 rows of 28 pixels, 8,000 training / 2,000 held-out digits`);
    const r = trainRowMnist(cell, rowMnistConfig, {
      onEpoch: ({ epoch, loss, accuracy }) => {
        console.log(`  epoch ${epoch}: train loss ${loss.toFixed(4)}, held-out accuracy ${(100 * (accuracy ?? 0)).toFixed(2)}%  (${((Date.now() - start) / 1000).toFixed(0)} s)`);
      },
    });
    console.log(`${cell.toUpperCase()} held-out accuracy: ${(100 * r.accuracy).toFixed(2)}%\n`);
  }
}
