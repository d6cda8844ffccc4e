/**
 * Checks, before anything is timed, that every implementation of a case computes the same
 * numbers (losses after a few training steps, a gradient): the first implementation to report
 * sets the reference, and every later one must match it to within
 *   |value_i − reference_i| ≤ rtol · max_j |reference_j|
 * (relative to the largest reference value, so a near-zero entry is not held to a tolerance
 * below float32 rounding). A mismatch throws `WrongResult`, which aborts the run.
 */
import { WrongResult } from '../harness.js';

/** The reference values of one quantity, and the check of every implementation against them. */
export class Agreement {
  private reference: { label: string; values: readonly number[] } | undefined;

  /** `what` names the quantity in the error message; `rtol` is the tolerance above. */
  constructor(
    readonly what: string,
    readonly rtol: number,
  ) {}

  /** Records `values` as the reference (first call) or throws `WrongResult` unless they agree with it. */
  check(label: string, values: readonly number[]): void {
    const ref = this.reference;
    if (ref === undefined) {
      if (values.some((v) => !Number.isFinite(v))) throw new WrongResult(`${this.what}: ${label} computed non-finite values [${values.join(', ')}]`);
      this.reference = { label, values: [...values] };
      return;
    }
    const scale = Math.max(...ref.values.map(Math.abs));
    const bad = ref.values.length !== values.length || values.some((v, i) => !(Math.abs(v - ref.values[i]) <= this.rtol * scale));
    if (bad) {
      throw new WrongResult(
        `${this.what}: ${label} gives [${values.join(', ')}] but ${ref.label} gives [${ref.values.join(', ')}] (tolerance ${this.rtol} × ${scale})`,
      );
    }
  }
}

/** Training steps run by each implementation before timing: the first sees the initial weights. */
export const CHECK_STEPS = 3;

/**
 * The check of a training step that returns its loss: the first loss (forward from identical
 * weights) must agree to 1e-4, and the decreases ℓ₀ − ℓₖ over the next steps (which only the
 * right gradients and update produce: ℓ₀ − ℓ₁ ≈ lr·‖∇ℓ‖²) to 1e-3 — a loss alone would hide a
 * gradient off by a percent, as one step changes it by well under a percent.
 */
export class TrainingAgreement {
  private readonly first: Agreement;
  private readonly decrease: Agreement;

  constructor(what: string) {
    this.first = new Agreement(`${what}: loss from the initial weights`, 1e-4);
    this.decrease = new Agreement(`${what}: loss decrease over ${CHECK_STEPS - 1} updates`, 1e-3);
  }

  /** Runs `step` CHECK_STEPS times and checks its losses (throws `WrongResult` on a mismatch). */
  check(label: string, step: () => number): void {
    const losses: number[] = [];
    for (let i = 0; i < CHECK_STEPS; i++) losses.push(step());
    this.first.check(label, [losses[0]]);
    this.decrease.check(label, losses.slice(1).map((l) => losses[0] - l));
  }
}
