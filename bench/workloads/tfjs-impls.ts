/**
 * The same computation on each tfjs backend: an `Impl` per backend whose prepare switches the
 * backend, builds the inputs there, and whose run reads the result back (`dataSync`), as the
 * tsgrad kernels hand back a filled typed array. A kernel the backend lacks makes the row
 * "not supported" (the harness's `Unsupported`) instead of a failure.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Impl } from '../harness.js';
import { TF_BACKENDS, type Tf, asUnsupported, useTfBackend } from '../peers/tfjs.js';

/** What a case builds on one backend. */
export interface TfjsSetup {
  /** Input tensors, variables and optimizers, disposed after the case. */
  inputs: { dispose(): void }[];
  /** One iteration: returns the tensors to read back and dispose. */
  step: () => TfCore.Tensor[];
  /** Run once before timing (e.g. checks the step computes the right numbers); may call `step`. */
  verify?: () => void;
}

/** One Impl per tfjs backend; `setup` gets the backend's tfjs and its row label (`tfjs-cpu`, …). */
export function tfjsImpls(setup: (tf: Tf, label: string) => TfjsSetup): Impl[] {
  return TF_BACKENDS.map((backend) => {
    const label = `tfjs-${backend}`;
    return {
      label,
      prepare: async () => {
        const tf = await useTfBackend(backend);
        const { inputs, step, verify } = setup(tf, label);
        const dispose = () => {
          for (const t of inputs) t.dispose();
        };
        try {
          verify?.();
        } catch (e) {
          dispose();
          throw asUnsupported(e);
        }
        return {
          run: () => {
            try {
              for (const t of step()) {
                t.dataSync();
                t.dispose();
              }
            } catch (e) {
              throw asUnsupported(e);
            }
          },
          dispose,
        };
      },
    };
  });
}
