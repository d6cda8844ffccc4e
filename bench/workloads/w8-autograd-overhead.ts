/**
 * W8: what one autograd op costs when its math is free — a chain of 1,000 ops on 4-element
 * float32 tensors, cycling y·c, y + d, tanh y (c ≈ 1, d ≈ 0, so y and its gradient stay O(1)),
 * then a sum:
 *   forward, no grad      the chain under noGrad (tfjs: outside any gradient tape): dispatch,
 *                         allocation and the kernels
 *   forward, recording    tsgrad only: the chain from a leaf that requires grad, graph kept
 *                         until the result is dropped; minus the row above = node bookkeeping
 *   forward + backward    the chain, sum and backward to the leaf (tfjs: tf.grad of the chain)
 * reported as µs per op. The notes give (forward + backward − no-grad forward) per op: what
 * recording the graph and running it backward add to each op. Before timing, the no-grad sum and
 * the gradient must agree across implementations (Agreement), or the run aborts.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { add, mul, noGrad, sum, tanh, tensor, type Tensor } from '../../src/index.js';
import type { BenchCase, Impl, MeasuredCase, Workload } from '../harness.js';
import { Agreement } from './agreement.js';
import { tfjsImpls } from './tfjs-impls.js';

const CHAIN = 1000;
/** The chain's ops and the final sum. */
const OPS = CHAIN + 1;
const W = [0.05, -0.02, 0.01, 0.03];
const C = [1.001, 0.999, 1.0005, 0.9995];
const D = [1e-4, -1e-4, 2e-4, 0];

const NO_GRAD = 'forward, no grad';
const RECORDING = 'forward, recording';
const BACKWARD = 'forward + backward';

/** The chain on tsgrad tensors: op i is y·c, y + d or tanh y as i mod 3 is 0, 1 or 2. */
function tsgradChain(w: Tensor, c: Tensor, d: Tensor): Tensor {
  let y = w;
  for (let i = 0; i < CHAIN; i++) {
    const k = i % 3;
    y = k === 0 ? mul(y, c) : k === 1 ? add(y, d) : tanh(y);
  }
  return sum(y);
}

/** The same chain with tfjs ops. */
function tfjsChain(tf: typeof TfCore, w: TfCore.Tensor, c: TfCore.Tensor, d: TfCore.Tensor): TfCore.Scalar {
  let y = w;
  for (let i = 0; i < CHAIN; i++) {
    const k = i % 3;
    y = k === 0 ? tf.mul(y, c) : k === 1 ? tf.add(y, d) : tf.tanh(y);
  }
  return tf.sum(y);
}

/** tsgrad's row: `makeRun` gets the leaf w (requiring grad) and the constants c, d, and returns the timed iteration. */
function tsgradImpl(makeRun: (w: Tensor, c: Tensor, d: Tensor) => () => void): Impl {
  return {
    label: 'tsgrad',
    prepare: () => {
      const w = tensor(Float32Array.from(W), { requiresGrad: true });
      return { run: makeRun(w, tensor(Float32Array.from(C)), tensor(Float32Array.from(D))) };
    },
  };
}

function noGradCase(): BenchCase {
  const agreement = new Agreement('W8 no-grad sum of the chain', 1e-4);
  const ours = tsgradImpl((w, c, d) => {
    agreement.check('tsgrad', [noGrad(() => tsgradChain(w, c, d)).item()]);
    return () => void noGrad(() => tsgradChain(w, c, d)).item();
  });
  const peers = tfjsImpls((tf, label) => {
    const [w, c, d] = [W, C, D].map((v) => tf.tensor1d(v));
    const step = () => [tf.tidy(() => tfjsChain(tf, w, c, d))];
    return {
      inputs: [w, c, d],
      step,
      verify: () => {
        const [s] = step();
        agreement.check(label, [s.dataSync()[0]]);
        s.dispose();
      },
    };
  });
  return { name: NO_GRAD, ops: OPS, minIterations: 10, impls: [ours, ...peers] };
}

function recordingCase(): BenchCase {
  const ours = tsgradImpl((w, c, d) => () => void tsgradChain(w, c, d).item());
  return { name: RECORDING, ops: OPS, minIterations: 10, impls: [ours] };
}

function backwardCase(): BenchCase {
  const agreement = new Agreement('W8 gradient of the chain', 1e-4);
  const ours = tsgradImpl((w, c, d) => {
    const step = () => {
      tsgradChain(w, c, d).backward();
      const g = (w.grad as Tensor).toTypedArray();
      w.grad = null;
      return g;
    };
    agreement.check('tsgrad', [...step()]);
    return () => void step();
  });
  const peers = tfjsImpls((tf, label) => {
    const [w, c, d] = [W, C, D].map((v) => tf.tensor1d(v));
    const gradOf = tf.grad((x: TfCore.Tensor) => tfjsChain(tf, x, c, d));
    const step = () => [tf.tidy(() => gradOf(w))];
    return {
      inputs: [w, c, d],
      step,
      verify: () => {
        const [g] = step();
        agreement.check(label, [...g.dataSync()]);
        g.dispose();
      },
    };
  });
  return { name: BACKWARD, ops: OPS, minIterations: 10, impls: [ours, ...peers] };
}

/** µs per op of `label` in case `name`, if it ran. */
function perOp(rows: readonly MeasuredCase[], name: string, label: string): number | undefined {
  const ms = rows.find((r) => r.c.name === name)?.results.find((r) => r.label === label)?.medianMs;
  return ms === undefined ? undefined : (ms * 1000) / OPS;
}

/** Per implementation: forward + backward − no-grad forward; for tsgrad also recording − no-grad. */
function notes(rows: readonly MeasuredCase[]): string[] {
  const labels = rows.find((r) => r.c.name === BACKWARD)?.results.map((r) => r.label) ?? [];
  const lines: string[] = [];
  for (const label of labels) {
    const plain = perOp(rows, NO_GRAD, label), full = perOp(rows, BACKWARD, label), recorded = perOp(rows, RECORDING, label);
    if (plain === undefined || full === undefined) continue;
    const bookkeeping = recorded === undefined ? '' : `, of which ${(recorded - plain).toFixed(2)} µs recording the graph in forward`;
    lines.push(`- ${label}: autograd adds ${(full - plain).toFixed(2)} µs per op (forward + backward − no-grad forward)${bookkeeping}.`);
  }
  // Measured: the same code's no-grad row moves by ~0.1 µs/op between runs on the shared machine.
  if (lines.length > 0) lines.push('- Differences of about 0.1 µs/op are within run-to-run noise here.');
  return lines;
}

export const w8AutogradOverhead: Workload = {
  id: 'W8',
  title: `autograd overhead per op: ${CHAIN} ops (y·c, y + d, tanh y) on 4 floats (float32)`,
  // The same chain in both modes: one iteration is a few ms, only the time budget shrinks.
  cases: () => [noGradCase(), recordingCase(), backwardCase()],
  notes,
};
