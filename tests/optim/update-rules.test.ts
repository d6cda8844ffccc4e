/**
 * Each optimizer's steps against the float64 reference of PyTorch's rule (tests/optim/reference.ts),
 * over random options (every option, fast-check, seeded) and several steps of a quadratic whose
 * gradient comes from autograd.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { optim } from '../../src/index.js';
import { expectTrajectoriesClose, libraryTrajectory, referenceTrajectory, type Quadratic } from './helpers.js';
import { adagradReference, adamReference, rmspropReference, sgdReference } from './reference.js';

const STEPS = 7;

const quadratic: fc.Arbitrary<Quadratic> = fc.integer({ min: 1, max: 7 }).chain((n) =>
  fc.record({
    theta0: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
    a: fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
    c: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
  }),
);

const rate = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const maybe = (arb: fc.Arbitrary<number>) => fc.oneof(fc.constant(0), arb);

describe('SGD', () => {
  it('follows the reference with every combination of options', () => {
    const options = fc
      .record({
        lr: rate(1e-3, 0.3),
        momentum: maybe(rate(0.1, 0.95)),
        dampening: maybe(rate(0.05, 0.9)),
        weightDecay: maybe(rate(1e-3, 0.3)),
        nesterov: fc.boolean(),
        maximize: fc.boolean(),
      })
      .map((o) => (o.nesterov ? { ...o, momentum: o.momentum || 0.5, dampening: 0 } : o));
    fc.assert(
      fc.property(quadratic, options, (q, o) => {
        const actual = libraryTrajectory(q, STEPS, (p) => new optim.SGD([p], o));
        expectTrajectoriesClose(actual, referenceTrajectory(q, STEPS, sgdReference(o)), 1e-12);
      }),
      { seed: 11, numRuns: 120 },
    );
  });
});

for (const [name, decoupled] of [['Adam', false], ['AdamW', true]] as const) {
  describe(name, () => {
    it('follows the reference with every combination of options', () => {
      const options = fc.record({
        lr: rate(1e-3, 0.2),
        betas: fc.tuple(rate(0, 0.95), rate(0.5, 0.9999)),
        eps: fc.constantFrom(1e-8, 1e-6, 1e-3),
        weightDecay: maybe(rate(1e-3, 0.5)),
        amsgrad: fc.boolean(),
        maximize: fc.boolean(),
      });
      fc.assert(
        fc.property(quadratic, options, (q, o) => {
          const actual = libraryTrajectory(q, STEPS, (p) => (decoupled ? new optim.AdamW([p], o) : new optim.Adam([p], o)));
          expectTrajectoriesClose(actual, referenceTrajectory(q, STEPS, adamReference({ ...o, decoupled })), 1e-10);
        }),
        { seed: decoupled ? 22 : 21, numRuns: 120 },
      );
    });
  });
}

describe('RMSprop', () => {
  it('follows the reference with every combination of options', () => {
    const options = fc.record({
      lr: rate(1e-3, 0.1),
      alpha: rate(0.5, 0.999),
      eps: fc.constantFrom(1e-8, 1e-6, 1e-3),
      weightDecay: maybe(rate(1e-3, 0.3)),
      momentum: maybe(rate(0.1, 0.95)),
      centered: fc.boolean(),
      maximize: fc.boolean(),
    });
    fc.assert(
      fc.property(quadratic, options, (q, o) => {
        const actual = libraryTrajectory(q, STEPS, (p) => new optim.RMSprop([p], o));
        expectTrajectoriesClose(actual, referenceTrajectory(q, STEPS, rmspropReference(o)), 1e-9);
      }),
      { seed: 31, numRuns: 120 },
    );
  });
});

describe('Adagrad', () => {
  it('follows the reference with every combination of options', () => {
    const options = fc.record({
      lr: rate(1e-3, 0.5),
      lrDecay: maybe(rate(1e-3, 0.5)),
      weightDecay: maybe(rate(1e-3, 0.3)),
      initialAccumulatorValue: maybe(rate(1e-3, 1)),
      eps: fc.constantFrom(1e-10, 1e-6, 1e-3),
      maximize: fc.boolean(),
    });
    fc.assert(
      fc.property(quadratic, options, (q, o) => {
        const actual = libraryTrajectory(q, STEPS, (p) => new optim.Adagrad([p], o));
        expectTrajectoriesClose(actual, referenceTrajectory(q, STEPS, adagradReference(o)), 1e-10);
      }),
      { seed: 41, numRuns: 120 },
    );
  });
});

describe('float32 parameters', () => {
  const q: Quadratic = { theta0: [0.5, -1.25, 2, 0.75, -0.3, 1.1], a: [1, 2, 0.5, 1.5, 2.5, 0.8], c: [0.1, -0.2, 0.3, 0, 0.5, -0.4] };
  const adamOptions = { lr: 0.05, betas: [0.8, 0.99] as [number, number], eps: 1e-8, weightDecay: 0.01, amsgrad: true, maximize: false };

  it('updates float32 parameters by the same rule, to float32 precision', () => {
    const actual = libraryTrajectory(q, STEPS, (p) => new optim.Adam([p], adamOptions), 'float32');
    expectTrajectoriesClose(actual, referenceTrajectory(q, STEPS, adamReference({ ...adamOptions, decoupled: false })), 1e-5, 1e-6);
  });

});
