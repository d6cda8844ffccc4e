/**
 * The same computation on each tfjs backend: an `Impl` per backend whose prepare switches the
 * backend, builds the inputs there, and whose run reads the result back (`dataSync`), as the
 * tsgrad kernels hand back a filled typed array.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Impl } from '../harness.js';
import { TF_BACKENDS, type Tf, useTfBackend } from '../peers/tfjs.js';

/**
 * One Impl per tfjs backend. `setup` creates input tensors (returned for disposal) and the
 * step that returns the tensors to read back and dispose each iteration.
 */
export function tfjsImpls(setup: (tf: Tf) => { inputs: TfCore.Tensor[]; step: () => TfCore.Tensor[] }): Impl[] {
  return TF_BACKENDS.map((backend) => ({
    label: `tfjs-${backend}`,
    prepare: async () => {
      const tf = await useTfBackend(backend);
      const { inputs, step } = setup(tf);
      return {
        run: () => {
          for (const t of step()) {
            t.dataSync();
            t.dispose();
          }
        },
        dispose: () => {
          for (const t of inputs) t.dispose();
        },
      };
    },
  }));
}
