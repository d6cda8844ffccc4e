/**
 * Every benchmark workload, in the order `bench/run.ts` runs them. A new workload (W3 MLP step,
 * W4 CNN step, W7 elementwise and autograd overhead) is one file exporting a `Workload`, listed here.
 */
import type { Workload } from '../harness.js';
import { w1Matmul } from './w1-matmul.js';
import { w2Conv2d } from './w2-conv2d.js';
import { w7Elementwise } from './w7-elementwise.js';

export const WORKLOADS: readonly Workload[] = [w1Matmul, w2Conv2d, w7Elementwise];
