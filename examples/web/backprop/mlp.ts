/**
 * The page's tiny MLP: Linear(2, 3) → tanh → Linear(3, 1) on one input x, with the squared error
 * against a target as the loss — the same `nn` layers a model uses, seeded so the picture is the
 * same each time. Its graph shows the tensor engine's ops (matmul, the transposed weight, the
 * broadcast bias) that a scalar expression does not.
 */
import { manualSeed, nn, tensor, type Tensor } from 'tsgrad';

/** The MLP's loss, and names for its input, target, prediction and parameters. */
export function tinyMlp(seed = 0): { root: Tensor; names: [string, Tensor][] } {
  manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(2, 3), new nn.Tanh(), new nn.Linear(3, 1));
  const x = tensor([[0.5, -1.5]]);
  const target = tensor([[1]]);
  const prediction = model.forward(x);
  const loss = nn.functional.mseLoss(prediction, target);
  return { root: loss, names: [['x', x], ['target', target], ['prediction', prediction], ['loss', loss], ...model.namedParameters()] };
}
