/**
 * What several tests share about user-defined Functions: the Cube op of the Function docs, and
 * the failure message of a check that must fail.
 */
import { expect } from 'vitest';
import { AutogradError, Function, type Context, type Tensor } from '../../src/index.js';

/** y = x³, a user-defined Function with the correct derivative dy/dx = 3x². */
export class Cube extends Function {
  static override forward(ctx: Context, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x).mul(x);
  }
  static override backward(ctx: Context, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x.mul(x).mul(3));
  }
}

/** The message of the AutogradError `check` must throw (gradcheck or checkFunction failing). */
export function failure(check: () => unknown): string {
  try {
    check();
  } catch (e) {
    expect(e).toBeInstanceOf(AutogradError);
    return (e as Error).message;
  }
  throw new Error('the check passed where it should have failed');
}
