/**
 * The backward of a fused recurrence when the backward itself is being recorded
 * (`grad(..., { createGraph: true })`). The hand-written backward loops compute numbers, not a
 * graph, so for gradients of gradients the recurrence is re-run with ordinary tensor ops on the
 * same inputs and that graph is differentiated, with the graph of the result kept.
 */
import { grad } from '../../autograd/grad.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import type { Tensor } from '../../tensor/tensor.js';

/** True when a backward is being recorded (grad mode is on inside backward only under createGraph). */
export function recordingBackward(): boolean {
  return isGradEnabled();
}

/**
 * ∂⟨g, composed(inputs)⟩/∂inputs as differentiable tensors: one gradient (or null) per entry of
 * `inputs`, null where `needs` says none is wanted.
 */
export function composedGradients(composed: () => Tensor, inputs: readonly Tensor[], needs: readonly boolean[], g: Tensor): (Tensor | null)[] {
  const wanted = inputs.filter((_, i) => needs[i]);
  const grads = grad(composed(), wanted, { gradOutputs: g, createGraph: true, allowUnused: true });
  let next = 0;
  return inputs.map((_, i) => (needs[i] ? grads[next++] : null));
}
