/**
 * The training step W3 and W4 time, once for each library: forward, softmax cross-entropy,
 * backward and a plain SGD update, returning (or handing back) the loss so the step's result can
 * be checked (TrainingAgreement) before it is timed.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { nn, optim, type Tensor } from '../../src/index.js';

/** One tsgrad SGD step of `model` on the batch (x, y); returns the loss before the update. */
export function tsgradSgdStep(model: nn.Module & { forward(x: Tensor): Tensor }, x: Tensor, y: Tensor, lr: number): () => number {
  const opt = new optim.SGD(model.parameters(), { lr });
  return () => {
    opt.zeroGrad();
    const loss = nn.functional.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

/** A tfjs step that returns its loss tensor, as a function returning the loss's value (and disposing the tensor). */
export function tfjsLossValue(step: () => TfCore.Tensor[]): () => number {
  return () => {
    const [loss] = step();
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  };
}
