/**
 * One training step of a GAN, shared by examples/gan-ring.ts and examples/dcgan-mnist.ts.
 *
 * D step: minimise BCE(D(real), 1) + BCE(D(fake), 0) over D's parameters. The fakes are detached,
 * so this backward stops at D and never reaches G.
 * G step (the non-saturating loss): minimise BCE(D(fake), 1) over G's parameters, i.e. make D
 * call the fakes real. It flows through D too; D's gradients from it are cleared by D's next
 * zeroGrad.
 */
import { nn, onesLike, zerosLike, type Module, type Tensor } from 'tsgrad';

/** The discriminator: samples to one logit per sample ("real" when positive). */
export type Discriminator = Module & { forward(x: Tensor): Tensor };

/** What the step needs of an optimizer. */
export interface StepOptimizer {
  zeroGrad(): void;
  step(): void;
}

/** D's logits on this step's real and fake samples (from the D step, before D moved). */
export interface GanStepLogits {
  realLogits: Tensor;
  fakeLogits: Tensor;
}

/** One D step and one G step on `real` and `fake` (= G(noise), still attached to G's graph). */
export function ganStep(discriminator: Discriminator, dOpt: StepOptimizer, gOpt: StepOptimizer, real: Tensor, fake: Tensor): GanStepLogits {
  const bce = nn.functional.binaryCrossEntropyWithLogits;
  const realLogits = discriminator.forward(real);
  const fakeLogits = discriminator.forward(fake.detach());
  const dLoss = bce(realLogits, onesLike(realLogits)).add(bce(fakeLogits, zerosLike(fakeLogits)));
  dOpt.zeroGrad();
  dLoss.backward();
  dOpt.step();
  const fakeAgain = discriminator.forward(fake);
  const gLoss = bce(fakeAgain, onesLike(fakeAgain));
  gOpt.zeroGrad();
  gLoss.backward();
  gOpt.step();
  return { realLogits, fakeLogits };
}
