/**
 * Knowledge distillation (Hinton, Vinyals & Dean, 2015): a student learns from a teacher's
 * softened output distribution as well as from the labels,
 *
 *   loss = α · T² · KL(softmax(teacher / T) ‖ softmax(student / T)) + (1 − α) · CE(student, labels).
 *
 * A temperature T > 1 flattens both distributions so the student sees how the teacher ranks the
 * wrong classes (a 7 that looks like a 1); the gradient of the softened term scales as 1/T², hence
 * the factor T² that keeps the two terms comparable whatever T is.
 */
import { nn, type Tensor } from 'tsgrad';

/** Options of `distillationLoss`. */
export interface DistillationOptions {
  /** The softening temperature T (> 0). */
  temperature: number;
  /** Weight α of the teacher's term; 1 − α goes to the labels. */
  alpha: number;
}

/** The label of a row that has none (crossEntropy's ignoreIndex): it counts in the teacher's term only. */
export const NO_LABEL = -100;

/**
 * student and teacher logits [M, classes], labels [M] (int32) → the scalar loss above, the KL
 * term averaged over the M rows, the cross-entropy over the rows with a label (NO_LABEL marks
 * rows known to the teacher only; when no row has a label the loss is the teacher's term alone).
 * The teacher's logits are treated as constants.
 */
export function distillationLoss(student: Tensor, teacher: Tensor, labels: Tensor, opts: DistillationOptions): Tensor {
  const { temperature: T, alpha } = opts;
  if (!(T > 0)) throw new RangeError(`distillationLoss: temperature must be positive, got ${T}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`distillationLoss: alpha must be in [0, 1], got ${alpha}`);
  const soft = nn.functional.klDiv(student.div(T).logSoftmax(1), teacher.detach().div(T).softmax(1), { reduction: 'batchmean' });
  const scaled = soft.mul(alpha * T * T);
  if (labels.ne(NO_LABEL).sum().item() === 0) return scaled;
  const hard = nn.functional.crossEntropy(student, labels, { ignoreIndex: NO_LABEL });
  return scaled.add(hard.mul(1 - alpha));
}
